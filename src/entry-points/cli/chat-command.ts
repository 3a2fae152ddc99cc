/**
 * `backup-troubleshooter chat`: the bot and its dialogs in a terminal, with no
 * channel at all. State lives in an in-memory SQLite store, so every run
 * starts a fresh conversation. In a terminal, lines that arrive within 50 ms
 * of each other (a paste) are one message; with piped input every line is one
 * message, sent in order, each after the previous turn has finished. The run
 * ends at the end of input (Ctrl-D) or on `/quit`: "quit" and "exit" on their
 * own are the bot's cancel command.
 */
import { createInterface } from 'node:readline';
import { composeBot } from '../../bot/compose-bot';
import { SqliteStorage } from '../../data-access/sqlite-storage';
import { languageOfLocale } from '../../domain/i18n/localized';
import { jsonLogger, type Logger } from '../../logger';
import { PasteJoiner } from './paste-joiner';
import { TerminalAdapter, type BotLogic } from './terminal-adapter';

export interface ChatOptions {
  /** The locale of the user's messages, e.g. "ja-JP" (see chatLocale); none when LANG names no language. */
  locale: string | undefined;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** A person at a terminal: a prompt, and pastes joined by timing. Default: when the input is a TTY. */
  interactive?: boolean;
  /** Where a failed turn is logged (with the reference the apology names). Default: JSON lines on stderr. */
  logger?: Logger;
}

/** Typed on its own line, ends the run. */
export const QUIT_COMMANDS: readonly string[] = ['/quit', '/exit'];

const LOCALE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i;

/**
 * `--locale` as given (with "_" read as "-"), or null if it is not a locale;
 * without the option, from LANG: "ja…" gives ja-JP, "en…" en-US, and anything
 * else (C.UTF-8, POSIX, unset) no locale: the bot then answers in the language
 * the user writes in, as on a channel that sends none.
 */
export function chatLocale(option: string | undefined, env: NodeJS.ProcessEnv = process.env): { locale: string | undefined } | null {
  if (option !== undefined) return LOCALE.test(option) ? { locale: option.replace(/_/g, '-') } : null;
  const lang = env['LANG'] ?? '';
  if (/^ja/i.test(lang)) return { locale: 'ja-JP' };
  if (/^en/i.test(lang)) return { locale: 'en-US' };
  return { locale: undefined };
}

const BANNER = {
  en: 'Azure VM Backup troubleshooter in the terminal. Type the number of a button to click it. /quit or Ctrl-D leaves.\n\n',
  ja: 'Azure VM バックアップ トラブルシューター (ターミナル版)。ボタンは番号を入力して選べます。/quit か Ctrl-D で終了します。\n\n',
} as const;

/** Messages in arrival order; `next` waits for one, or gives undefined once the input has ended. */
class MessageQueue {
  private readonly messages: string[] = [];
  private waiting: ((message: string | undefined) => void) | undefined;
  private ended = false;

  push(message: string): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(message);
    } else this.messages.push(message);
  }

  end(): void {
    this.ended = true;
    this.waiting?.(undefined);
    this.waiting = undefined;
  }

  get isEmpty(): boolean {
    return this.messages.length === 0;
  }

  next(): Promise<string | undefined> {
    if (this.messages.length > 0) return Promise.resolve(this.messages.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

export async function runChat(options: ChatOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? (input as { isTTY?: boolean }).isTTY === true;
  const storage = new SqliteStorage(':memory:');
  try {
    const { bot, onTurnError } = composeBot(storage, options.logger ?? jsonLogger);
    const adapter = new TerminalAdapter({ output, locale: options.locale });
    adapter.onTurnError = onTurnError;
    const logic: BotLogic = (context) => bot.run(context);

    if (interactive) output.write(BANNER[languageOfLocale(options.locale) ?? 'en']);
    await turn(adapter.join(logic));

    const lines = createInterface({ input, ...(interactive ? { output, prompt: '> ' } : {}), terminal: interactive, crlfDelay: Infinity });
    const queue = new MessageQueue();
    const joiner = interactive ? new PasteJoiner((message) => queue.push(message), () => lines.line) : undefined;
    let first = true;
    lines.on('line', (line: string) => {
      // A file saved with a byte-order mark starts with one; it is not part of the text.
      const text = first ? line.replace(/^\uFEFF/, '') : line;
      first = false;
      if (joiner) joiner.push(text);
      else queue.push(text);
    });
    lines.on('close', () => {
      joiner?.flush();
      queue.end();
    });

    if (interactive) lines.prompt();
    for (let message = await queue.next(); message !== undefined; message = await queue.next()) {
      if (QUIT_COMMANDS.includes(message.trim().toLowerCase())) break;
      if (message.trim() !== '') {
        // Piped input is echoed so the output reads as a transcript; at a terminal it is on screen already.
        output.write(interactive ? '\n' : `${message.replace(/^/gm, '> ')}\n\n`);
        await turn(adapter.say(message, logic));
      }
      if (interactive && queue.isEmpty) lines.prompt();
    }
    if (interactive) output.write('\n');
    lines.close();
  } finally {
    storage.close();
  }
}

/** A turn's errors are answered by the bot's onTurnError; only a failure of that handler itself gets here. */
async function turn(running: Promise<void>): Promise<void> {
  try {
    await running;
  } catch (error) {
    process.stderr.write(`backup-troubleshooter chat: a turn failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
