/**
 * Reads what a user typed as a whole message: a command (help, start over,
 * cancel, helpdesk), a language switch, an answer (yes, next, an OS, a button
 * number), or free text (probably a paste). Only the whole message counts:
 * "the helpdesk said to restart the agent" is a paste, not the helpdesk command.
 */
import type { GuestOsChoice } from '../flow/card-action';
import type { Language } from '../knowledge/schema';

export type Command = 'help' | 'start-over' | 'cancel' | 'helpdesk';

export type Reply =
  | { kind: 'command'; command: Command }
  | { kind: 'language'; language: Language }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'not-yet' }
  | { kind: 'os'; os: GuestOsChoice }
  | { kind: 'number'; value: number }
  | { kind: 'text'; text: string };

const PHRASES: [Reply, string[]][] = [
  [{ kind: 'command', command: 'help' }, ['help', '?', 'what can you do', 'commands', 'ヘルプ', '助けて', '使い方', 'へるぷ']],
  [
    { kind: 'command', command: 'start-over' },
    ['start over', 'restart', 'reset', 'start again', 'new', 'begin again', '最初から', 'やり直し', 'やりなおし', '最初からやり直す', 'はじめから', 'リセット'],
  ],
  [{ kind: 'command', command: 'cancel' }, ['cancel', 'stop', 'quit', 'exit', 'キャンセル', '中止', 'やめる', 'やめます', '終了']],
  [
    { kind: 'command', command: 'helpdesk' },
    [
      'helpdesk', 'help desk', 'human', 'talk to a person', 'talk to someone', 'talk to the helpdesk', 'person', 'operator',
      'support', 'escalate', '担当者', '担当者と話したい', '担当者につないで', 'オペレーター', '人と話したい', 'ヘルプデスク', 'サポート',
    ],
  ],
  [{ kind: 'language', language: 'en' }, ['english', 'in english', 'en', '英語']],
  [{ kind: 'language', language: 'ja' }, ['japanese', 'in japanese', 'ja', '日本語', 'にほんご']],
  [
    { kind: 'yes' },
    [
      'yes', 'y', 'yeah', 'yep', 'fixed', 'it works', 'yes, it succeeded', 'it succeeded', 'succeeded', 'works now', 'it worked', 'solved', 'resolved', 'this fixed it', 'ok now', 'switch',
      'はい', 'はい、成功しました', 'うん', '直った', '直りました', 'なおった', '解決', '解決した', '解決しました', 'できた', 'できました', '成功', '成功しました', '切り替える',
    ],
  ],
  [
    { kind: 'no' },
    [
      'no', 'n', 'nope', 'next', 'still failing', 'no, it failed again', 'it failed again', 'failed again', 'not fixed', "doesn't work", 'does not work', 'still fails', 'keep', 'continue',
      'いいえ', 'いいえ、また失敗しました', 'また失敗しました', 'また失敗した', '次', '次へ', 'つぎ', 'だめ', 'ダメ', 'まだ失敗', 'まだ失敗する', '直らない', '直りません', '失敗', '失敗しました', '続ける',
    ],
  ],
  [
    { kind: 'not-yet' },
    [
      'not yet', 'not run yet', 'it has not run yet', "hasn't run yet", 'has not run yet', 'not yet run', "didn't run yet", 'wait',
      'まだ', 'まだです', 'まだ実行されていません', 'まだ実行されていない', 'まだ動いていない', 'まだ動いていません', 'まだ走っていない', '未実行',
    ],
  ],
  [{ kind: 'os', os: 'windows' }, ['windows', 'win', 'ウィンドウズ']],
  [{ kind: 'os', os: 'linux' }, ['linux', 'ubuntu', 'centos', 'rhel', 'red hat', 'suse', 'debian', 'リナックス']],
  [{ kind: 'os', os: 'unknown' }, ['not sure', "don't know", 'unknown', 'no idea', 'わからない', '分からない', '不明', 'わかりません', '分かりません']],
];

const LOOKUP = new Map<string, Reply>(PHRASES.flatMap(([reply, phrases]) => phrases.map((phrase) => [phrase, reply] as const)));

/** Lower-case, NFKC (full-width → ASCII), trailing punctuation and courtesy words dropped. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[「"'“]+|[」"'”]+$/g, '')
    .replace(/[\s.。!！、,]+$/u, '')
    .replace(/(?:です|でした|ください|please)$/u, '')
    .trim();
}

export function readReply(text: string): Reply {
  const normalized = normalizeReply(text);
  if (/^\d{1,2}$/.test(normalized)) return { kind: 'number', value: Number(normalized) };
  return LOOKUP.get(normalized) ?? { kind: 'text', text };
}
