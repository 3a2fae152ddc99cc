/**
 * One conversation of the load run, as a user would have it: paste an error,
 * answer the guest OS card if the paste did not name the OS, then click through
 * the cause cards (then the current article's extra checks) until one fixes it or the last one still fails. Every turn is
 * one POST with `deliveryMode: "expectReplies"`; the next click is read from the
 * buttons of the card that came back, and every reply is checked: the OS card
 * for the error, the causes in the article's order for the error and OS, then
 * the fixed card or the summary.
 */
import type { Activity } from 'botbuilder';
import type { CardActionData, GuestOsChoice } from '../../src/domain/flow/card-action';
import { startWalk, walkSteps } from '../../src/domain/flow/walk';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import type { ErrorId, Language } from '../../src/domain/knowledge/schema';
import { buttonsOfLastCard, textOf, type Replies } from './cards';

/** One error code per error; none names a guest OS. */
const CODES: Record<ErrorId, string> = {
  'agent-unreachable': 'UserErrorGuestAgentStatusUnavailable',
  'no-network': 'ExtensionSnapshotFailedNoNetwork',
  'vmsnapshot-extension-failed': 'ExtensionOperationFailedForManagedDisks',
  'agent-unresponsive': 'GuestAgentSnapshotTaskStatusError',
  'internal-error': 'BackUpOperationFailedV2',
};
export const ERROR_IDS = Object.keys(CODES) as ErrorId[];

const OS_WORDS: Record<Language, Record<'windows' | 'linux', string>> = {
  en: { windows: 'on Windows Server 2019', linux: 'on an Ubuntu 22.04 VM' },
  ja: { windows: 'Windows Server 2022 の VM で', linux: 'Ubuntu の VM で' },
};
const LOCALES: Record<Language, string> = { en: 'en-US', ja: 'ja-JP' };

export interface Scenario {
  category: ErrorId;
  language: Language;
  os: GuestOsChoice;
  /** The paste names the OS (then no OS card); never with `unknown`. */
  pasteNamesOs: boolean;
  /** Index of the cause that fixes it; undefined: none does (the summary). */
  fixedAt?: number;
}

export function pasteOf(scenario: Scenario): string {
  const code = CODES[scenario.category];
  const named = scenario.pasteNamesOs && scenario.os !== 'unknown';
  if (scenario.language === 'en') return named ? `${code} ${OS_WORDS.en[scenario.os as 'windows' | 'linux']}` : code;
  return `${named ? OS_WORDS.ja[scenario.os as 'windows' | 'linux'] : ''}バックアップ ジョブが失敗しました。エラー コード: ${code}`;
}

/** A flow drawn from `random`: any error, language and OS, a third ending in "fixed". */
export function drawScenario(random: () => number): Scenario {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const category = pick(ERROR_IDS);
  const language = pick<Language>(['en', 'ja']);
  const os = pick<GuestOsChoice>(['windows', 'linux', 'unknown']);
  const causes = expectedCauses({ category, language, os, pasteNamesOs: false });
  const fixed = random() < 1 / 3;
  return {
    category,
    language,
    os,
    pasteNamesOs: os !== 'unknown' && random() < 0.5,
    ...(fixed ? { fixedAt: Math.floor(random() * causes.length) } : {}),
  };
}

export function expectedCauses(scenario: Scenario): string[] {
  // The article's causes for the error and OS, then the current article's extra checks (issue 12).
  return walkSteps(startWalk(defaultLibrary()[scenario.language], scenario.category, scenario.os));
}

/** What went wrong with a turn, by kind: the load run counts each. */
export type TurnProblem = { kind: 'non-2xx'; status: number } | { kind: 'transport'; message: string } | { kind: 'wrong-card'; message: string };

export class FlowError extends Error {
  constructor(readonly problem: TurnProblem) {
    super(problem.kind === 'non-2xx' ? `HTTP ${problem.status}` : problem.message);
  }
}

export interface TurnObserver {
  /** Called after every turn that got a 2xx answer, with its latency. */
  turn(latencyMs: number): void;
}

const TURN_TIMEOUT_MS = 15_000;

/** A sequential client for one conversation: one POST per turn, the replies in the response. */
export class LoadConversation {
  private sequence = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly conversationId: string,
    private readonly userId: string,
    private readonly locale: string,
    private readonly observer: TurnObserver,
  ) {}

  say(text: string): Promise<Replies> {
    return this.turn({ text });
  }

  click(data: CardActionData): Promise<Replies> {
    return this.turn({ text: '', value: data });
  }

  private async turn(fields: Partial<Activity>): Promise<Replies> {
    this.sequence += 1;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `${this.conversationId}-${this.sequence}`,
      channelId: 'load',
      // Never called: with expectReplies the replies come back in the HTTP response.
      serviceUrl: 'http://127.0.0.1:1/',
      deliveryMode: 'expectReplies',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: 'load' },
      from: { id: this.userId, name: 'Load user' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: this.locale,
      ...fields,
    };
    const started = performance.now();
    let status: number;
    let raw: string;
    try {
      const response = await fetch(`${this.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
      });
      status = response.status;
      raw = await response.text();
    } catch (error) {
      throw new FlowError({ kind: 'transport', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
    if (status < 200 || status > 299) throw new FlowError({ kind: 'non-2xx', status });
    this.observer.turn(performance.now() - started);
    try {
      return (JSON.parse(raw) as { activities?: Partial<Activity>[] }).activities ?? [];
    } catch {
      throw new FlowError({ kind: 'wrong-card', message: `the response is not JSON: ${raw.slice(0, 120)}` });
    }
  }
}

function wrong(message: string): never {
  throw new FlowError({ kind: 'wrong-card', message });
}

function buttonFor(replies: Replies, wanted: (data: CardActionData) => boolean, what: string): CardActionData {
  const found = buttonsOfLastCard(replies).find(wanted);
  if (!found) wrong(`no ${what} button on the last card (buttons: ${JSON.stringify(buttonsOfLastCard(replies).map((data) => data.action))})`);
  return found;
}

/** The cause the last card is about, read from its "next" button. */
function causeOnLastCard(replies: Replies): string | undefined {
  return buttonsOfLastCard(replies).find((data) => data.action === 'next')?.causeId;
}

/** Runs one whole flow; throws FlowError at the first turn that is not as expected. Returns how it ended. */
export async function runFlow(conversation: LoadConversation, scenario: Scenario): Promise<'fixed' | 'exhausted'> {
  const causes = expectedCauses(scenario);
  const texts = CARD_TEXTS[scenario.language];
  let replies = await conversation.say(pasteOf(scenario));

  if (!(scenario.pasteNamesOs && scenario.os !== 'unknown')) {
    const choose = buttonFor(replies, (data) => data.action === 'choose-os' && data.os === scenario.os && data.category === scenario.category, `choose-os ${scenario.os}`);
    replies = await conversation.click(choose);
  }

  for (let index = 0; index < causes.length; index++) {
    const shown = causeOnLastCard(replies);
    if (shown !== causes[index]) wrong(`expected cause ${index + 1} of ${causes.length} (${causes[index]}), got ${shown ?? 'a card without a cause'}`);
    if (scenario.fixedAt === index) {
      replies = await conversation.click(buttonFor(replies, (data) => data.action === 'resolved' && data.causeId === shown, 'resolved'));
      if (!textOf(replies).includes(texts.fixed.title) || causeOnLastCard(replies) !== undefined) wrong('no fixed card after "this fixed it"');
      return 'fixed';
    }
    replies = await conversation.click(buttonFor(replies, (data) => data.action === 'next' && data.causeId === shown, 'next'));
  }
  if (!textOf(replies).includes(texts.exhausted.title) || causeOnLastCard(replies) !== undefined) wrong('no summary card after the last cause');
  return 'exhausted';
}

export function localeOf(language: Language): string {
  return LOCALES[language];
}
