/**
 * The follow-up end to end (issue 11): the real server with FOLLOW_UP_AFTER=2s,
 * user turns POSTed to /api/messages (expectReplies: their replies come back in
 * the HTTP response), and the proactive question posted by the bot's real
 * CloudAdapter to a connector stand-in on loopback — the activities' serviceUrl —
 * as Teams (or any channel) would receive it. Nothing in the SDK is mocked.
 *
 * Each case has its own server(s) and stand-in, and the cases run at once
 * (test.concurrent): most of the time is spent waiting for due times.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';
import type { CardActionData, GuestOsChoice } from '../../src/domain/flow/card-action';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import type { Insights } from '../../src/domain/insights/figures';
import { ARTICLES, LOCALES, causeOnCard, expectedCauses, type ErrorId, type Language } from '../support/article-order';
import { button, buttonsOf, cardsOf, lastCard, textOf } from '../support/bot-conversation';
import { ConnectorStandIn, cardsOfActivity, type ConnectorRequest } from '../support/connector-stand-in';
import { FakeHelpdesk, eventually } from '../support/fake-helpdesk';
import { HttpBotConversation } from '../support/http-bot-client';
import { startAzurite } from '../support/azurite';
import { captureLog, type CapturedLog } from '../operations/helpers';

jest.setTimeout(60_000);

/** FOLLOW_UP_AFTER for every bot here, and what the fixed card says of it. */
const FOLLOW_UP_AFTER = '2s';
const FOLLOW_UP_AFTER_MS = 2_000;
const CHECK_BACK_EN = CARD_TEXTS.en.fixed.checkBack('2 seconds');
/** Due after 2 s; the dispatcher looks every second: the question comes within this of being due (generous for a loaded machine). */
const ARRIVES_WITHIN_MS = 8_000;
/** How long "nothing more comes" is watched for. */
const QUIET_MS = 5_000;
/** A timer may fire a few milliseconds early against Date.now(). */
const CLOCK_SLACK_MS = 50;

const SERVE_SCRIPT = resolve(__dirname, '../../dist/scripts/serve-with-storage.js');
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const PASTES: Record<ErrorId, string> = {
  'agent-unreachable': 'UserErrorGuestAgentStatusUnavailable',
  'no-network': 'Error code: ExtensionSnapshotFailedNoNetwork',
  'vmsnapshot-extension-failed': 'VMSnapshot extension operation failed',
  'agent-unresponsive': 'GuestAgentSnapshotTaskStatusError',
  'internal-error': 'BackUpOperationFailedV2',
};

// ---------------------------------------------------------------------------
// Resources of one case, released when it ends, pass or fail
// ---------------------------------------------------------------------------

class Scope {
  private readonly cleanUps: (() => Promise<void> | void)[] = [];

  add(cleanUp: () => Promise<void> | void): void {
    this.cleanUps.push(cleanUp);
  }

  async close(): Promise<void> {
    for (const cleanUp of this.cleanUps.splice(0).reverse()) {
      try {
        await cleanUp();
      } catch {
        // Keep releasing the rest.
      }
    }
  }

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async standIn(): Promise<ConnectorStandIn> {
    const standIn = await ConnectorStandIn.start();
    this.add(() => standIn.close());
    return standIn;
  }
}

async function inScope(body: (scope: Scope) => Promise<void>): Promise<void> {
  const scope = new Scope();
  try {
    await body(scope);
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------
// The bot: in process (logs captured), or as a child process
// ---------------------------------------------------------------------------

interface InProcessBot {
  url: string;
  log: CapturedLog;
  storage: SqliteStorage;
  running: RunningServer;
  /** Stops the server (the dispatcher finishes what it started) and closes its connection to the file. */
  stop(): Promise<void>;
}

/** The real server on DATA_DIR (bot.sqlite there), FOLLOW_UP_AFTER=2s, logs captured. */
async function startBot(scope: Scope, dataDir: string, env: Record<string, string> = {}): Promise<InProcessBot> {
  const log = captureLog();
  const storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, FOLLOW_UP_AFTER, ...env });
  const running = await startServer(config, storage, log.logger);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await running.close();
    storage.close();
  };
  scope.add(stop);
  return { url: running.url, log, storage, running, stop };
}

interface BotProcess {
  url: string;
  /** The JSON lines it wrote on stderr so far. */
  logEntries(): Record<string, unknown>[];
}

/** dist/scripts/serve-with-storage.js: the store the environment asks for (STORAGE), as a second process would have it. */
async function startBotProcess(scope: Scope, env: Record<string, string>): Promise<BotProcess> {
  if (!existsSync(SERVE_SCRIPT)) throw new Error(`${SERVE_SCRIPT} is missing: run npm run build (jest's globalSetup does)`);
  const child = spawn(process.execPath, [SERVE_SCRIPT], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', FOLLOW_UP_AFTER, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  scope.add(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the bot process did not start:\n${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"ready"'));
      if (line) {
        clearTimeout(timer);
        resolveUrl((JSON.parse(line) as { ready: string }).ready);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot process exited (${code}) before it listened:\n${stderr}`));
    });
  });
  return {
    url,
    logEntries: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

// ---------------------------------------------------------------------------
// A user in one conversation, and what the stand-in received in it
// ---------------------------------------------------------------------------

type Channel = 'msteams' | 'webchat' | 'test';
type Replies = Partial<Activity>[];

let conversations = 0;

class Chat {
  readonly conversationId: string;
  readonly userId: string;
  private http: HttpBotConversation;
  private sequence = 0;
  /** Date.now() when the last user turn was sent: anything the bot scheduled in it is due after this plus the delay. */
  lastTurnSentAt = 0;

  constructor(
    baseUrl: string,
    readonly standIn: ConnectorStandIn,
    readonly channel: Channel,
    readonly language: Language = 'en',
  ) {
    conversations += 1;
    const tag = `${conversations}-${Date.now().toString(36)}`;
    // Teams' shapes: a personal chat "a:…", a user "29:…".
    this.conversationId = channel === 'msteams' ? `a:1follow-up-${tag}` : `follow-up-${tag}`;
    this.userId = channel === 'msteams' ? `29:1user-${tag}` : `user-${tag}`;
    this.http = this.connectTo(baseUrl);
  }

  /** The same conversation through another bot server (a restart, another instance). */
  moveTo(baseUrl: string): void {
    this.http = this.connectTo(baseUrl);
  }

  say(text: string): Promise<Replies> {
    return this.turn({ text });
  }

  /** A click on an Action.Submit; in Teams it replies to the card's message when its id is known. */
  click(data: CardActionData, replyToId?: string): Promise<Replies> {
    return this.turn({ text: '', value: data, ...(replyToId ? { replyToId } : {}) });
  }

  /** Pastes the error, answers the guest OS, says "Still failing" `fixedAt` times, then "This fixed it": the fixed card's turn. */
  async fixAt(category: ErrorId, os: GuestOsChoice, fixedAt: number, paste = PASTES[category]): Promise<Replies> {
    let replies = await this.walkTo(category, os, fixedAt, paste);
    replies = await this.click(button(lastCard(replies), 'resolved'));
    expect(cardsOf(replies).some((card) => buttonsOf(card).some((entry) => entry.data.action === 'start-over'))).toBe(true);
    return replies;
  }

  /** Pastes the error, answers the guest OS and goes on to cause `position` (0-based): that turn's replies. */
  async walkTo(category: ErrorId, os: GuestOsChoice, position: number, paste = PASTES[category]): Promise<Replies> {
    let replies = await this.say(paste);
    replies = await this.click(button(lastCard(replies), 'choose-os', { os }));
    for (let index = 0; index < position; index += 1) replies = await this.click(button(lastCard(replies), 'next'));
    expect(causeOnCard(lastCard(replies))).toBe(expectedCauses(this.language, category, os)[position]);
    return replies;
  }

  /** The follow-up questions this conversation received from the stand-in, with the request that brought each. */
  followUps(): { card: AdaptiveCardJson; request: ConnectorRequest }[] {
    return this.standIn
      .postsTo(this.conversationId)
      .filter((request) => request.status < 300)
      .flatMap((request) => cardsOfActivity(request.activity ?? {}).map((card) => ({ card, request })))
      .filter(({ card }) => isFollowUpCard(card));
  }

  /** Waits for the `count`th follow-up question; returns it. */
  async followUp(count: number, timeoutMs = ARRIVES_WITHIN_MS): Promise<{ card: AdaptiveCardJson; request: ConnectorRequest }> {
    await this.standIn.waitFor(() => this.followUps().length >= count, timeoutMs, `follow-up question #${count} in ${this.conversationId}`);
    return this.followUps()[count - 1]!;
  }

  /** True if another follow-up question (beyond `count`) comes within `ms`. */
  anotherFollowUpWithin(count: number, ms: number): Promise<boolean> {
    return this.standIn.happensWithin(() => this.followUps().length > count, ms);
  }

  private connectTo(baseUrl: string): HttpBotConversation {
    const http = new HttpBotConversation(baseUrl, LOCALES[this.language], this.conversationId, this.userId, this.channel);
    http.serviceUrl = this.standIn.serviceUrl;
    return http;
  }

  private turn(fields: Partial<Activity>): Promise<Replies> {
    this.sequence += 1;
    this.lastTurnSentAt = Date.now();
    const teams: Partial<Activity> =
      this.channel === 'msteams'
        ? {
            conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', tenantId: TENANT_ID, name: '' },
            recipient: { id: '28:bot', name: 'Backup troubleshooter' },
            channelData: { tenant: { id: TENANT_ID } },
          }
        : {};
    // The activity id is this object's own sequence, so that it stays unique across moveTo.
    return this.http.turn({ id: `${this.conversationId}-turn-${this.sequence}`, ...teams, ...fields });
  }
}

function isFollowUpCard(card: AdaptiveCardJson): boolean {
  return buttonsOf(card).some((entry) => entry.data.action === 'follow-up-succeeded');
}

/** The figures of the insights dashboard, once `ready` holds (the insights are written in 200 ms batches). */
async function insightsWhen(baseUrl: string, ready: (insights: Insights) => boolean): Promise<Insights> {
  let latest: Insights | undefined;
  await eventually(
    async () => {
      const response = await fetch(`${baseUrl}/insights/data.json`);
      latest = (await response.json()) as Insights;
      return response.status === 200 && ready(latest);
    },
    'the insights to show the answer',
    5_000,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last figures: ${JSON.stringify(latest && { resolved: latest.resolved, confirmed: latest.confirmed, reopened: latest.reopened })}`);
  });
  return latest!;
}

/** Log entries of one event, optionally of one delivery kind. */
function events(entries: readonly Record<string, unknown>[], event: string, kind?: string): Record<string, unknown>[] {
  return entries.filter((entry) => entry['event'] === event && (kind === undefined || entry['kind'] === kind));
}

const causeTitle = (language: Language, causeId: string): string => ARTICLES[language].causes.find((cause) => cause.id === causeId)!.title;

// ---------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------

describe('the follow-up over HTTP, posted to a connector stand-in', () => {
  test.concurrent('When a cause fixed it in Teams, Then the fixed card promises to check back, one question arrives in the same conversation about 2 s later, and "Yes, it succeeded" is confirmed and counted', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-yes-'));
      const chat = new Chat(bot.url, standIn, 'msteams');

      const fixed = await chat.fixAt('agent-unreachable', 'windows', 1, 'UserErrorGuestAgentStatusUnavailable on VM vm-web01');
      const fixedAt = chat.lastTurnSentAt;
      expect(textOf(fixed)).toContain(CHECK_BACK_EN);
      expect(buttonsOf(lastCard(fixed)).map((entry) => entry.data.action)).toEqual(['no-follow-up', 'start-over']);
      expect(chat.followUps()).toHaveLength(0);

      const { card, request } = await chat.followUp(1);
      const arrivedAfter = request.at - fixedAt;
      expect(arrivedAfter).toBeGreaterThanOrEqual(FOLLOW_UP_AFTER_MS - CLOCK_SLACK_MS);
      expect(arrivedAfter).toBeLessThan(ARRIVES_WITHIN_MS);
      // In the user's conversation, to the user, as the bot.
      expect(request.conversationId).toBe(chat.conversationId);
      expect(request.activity).toMatchObject({ type: 'message', conversation: { id: chat.conversationId }, recipient: { id: chat.userId }, from: { id: '28:bot' } });
      const causes = expectedCauses('en', 'agent-unreachable', 'windows');
      expect(textOf([request.activity!])).toContain(CARD_TEXTS.en.followUp.title('vm-web01'));
      expect(textOf([request.activity!])).toContain(causeTitle('en', causes[1]!));
      expect(buttonsOf(card).map((entry) => entry.title)).toEqual([CARD_TEXTS.en.followUp.succeeded, CARD_TEXTS.en.followUp.failedAgain, CARD_TEXTS.en.followUp.notRunYet]);

      const answered = await chat.click(button(card, 'follow-up-succeeded'), request.answeredId);
      expect(textOf(answered)).toContain(BOT_TEXTS.en.followUpConfirmed);
      // Teams: the question's card is updated in place to show the answer.
      const update = standIn.updatesTo(chat.conversationId).find((entry) => entry.activityId === request.answeredId);
      expect(update).toBeDefined();
      expect(textOf([update!.activity!])).toContain(CARD_TEXTS.en.answered.choice(CARD_TEXTS.en.followUp.succeeded));

      const insights = await insightsWhen(bot.url, (figures) => figures.confirmed === 1);
      expect(insights).toMatchObject({ resolved: 1, confirmed: 1, reopened: 0 });
      expect(insights.rates.confirmedResolution).toBeGreaterThan(0);
      // One question only, and the second click on it changes nothing.
      expect(textOf(await chat.click(button(card, 'follow-up-failed'), request.answeredId))).toContain(BOT_TEXTS.en.staleClick);
      expect(chat.followUps()).toHaveLength(1);
      expect(standIn.cardsSentTo(chat.conversationId).filter(isFollowUpCard)).toHaveLength(1);
      expect(events(bot.log.entries(), 'delivery.delivered', 'follow-up')).toHaveLength(1);
    }),
  );

  test.concurrent('When the backup failed again ("No, it failed again"), Then the walk goes on at the cause after the one that seemed to fix it, in the article\'s order', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-no-'));
      const chat = new Chat(bot.url, standIn, 'webchat');
      const category: ErrorId = 'vmsnapshot-extension-failed';
      const causes = expectedCauses('en', category, 'linux');
      expect(causes.length).toBeGreaterThanOrEqual(4);

      await chat.fixAt(category, 'linux', 1);
      const { card } = await chat.followUp(1);
      const resumed = await chat.click(button(card, 'follow-up-failed'));
      expect(textOf(resumed)).toContain(BOT_TEXTS.en.followUpReopened(3, causes.length));
      expect(causeOnCard(lastCard(resumed))).toBe(causes[2]);
      expect(textOf(resumed)).toContain(CARD_TEXTS.en.cause.position(3, causes.length));

      // And on from there, to the last cause.
      const next = await chat.click(button(lastCard(resumed), 'next'));
      expect(causeOnCard(lastCard(next))).toBe(causes[3]);

      const insights = await insightsWhen(bot.url, (figures) => figures.reopened === 1);
      expect(insights).toMatchObject({ resolved: 0, confirmed: 0, reopened: 1 });
    }),
  );

  test.concurrent('When the next backup has not run yet, Then it is asked again about 2 s later, and after a second "not yet" it is not asked again', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-not-yet-'));
      const chat = new Chat(bot.url, standIn, 'test', 'ja');

      const fixed = await chat.fixAt('no-network', 'windows', 0);
      expect(textOf(fixed)).toContain(CARD_TEXTS.ja.fixed.checkBack('2 秒'));
      await chat.followUp(1);
      const first = await chat.say('まだ');
      const answeredAt = chat.lastTurnSentAt;
      expect(textOf(first)).toContain(BOT_TEXTS.ja.followUpAskAgain('2 秒'));

      const { card, request } = await chat.followUp(2);
      expect(request.at - answeredAt).toBeGreaterThanOrEqual(FOLLOW_UP_AFTER_MS - CLOCK_SLACK_MS);
      expect(textOf([request.activity!])).toContain(CARD_TEXTS.ja.followUp.title(undefined));
      const second = await chat.click(button(card, 'follow-up-not-run'));
      expect(textOf(second)).toContain(BOT_TEXTS.ja.followUpNoMore);

      expect(await chat.anotherFollowUpWithin(2, QUIET_MS)).toBe(false);
      expect(chat.followUps()).toHaveLength(2);
      const insights = await insightsWhen(bot.url, (figures) => figures.resolved === 1);
      expect(insights.confirmed).toBe(0);
    }),
  );

  test.concurrent('When the user says "Don\'t check back" on the fixed card, Then no question comes', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-decline-'));
      const chat = new Chat(bot.url, standIn, 'msteams');

      const fixed = await chat.fixAt('internal-error', 'linux', 0);
      const declined = await chat.click(button(lastCard(fixed), 'no-follow-up'));
      expect(textOf(declined)).toContain(BOT_TEXTS.en.followUpDeclined);

      expect(await chat.anotherFollowUpWithin(0, QUIET_MS)).toBe(false);
      expect(standIn.postsTo(chat.conversationId)).toEqual([]);
      expect(events(bot.log.entries(), 'delivery.delivered', 'follow-up')).toEqual([]);
    }),
  );

  test.concurrent('When the user is in the middle of another walk when it comes due, Then the question waits until that walk is over', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-busy-'));
      const chat = new Chat(bot.url, standIn, 'test');
      const first = expectedCauses('en', 'no-network', 'linux');

      await chat.fixAt('no-network', 'linux', 0);
      // Another error, walked while the question falls due.
      const other: ErrorId = 'agent-unreachable';
      const otherCauses = expectedCauses('en', other, 'windows');
      let replies = await chat.walkTo(other, 'windows', 1);
      await eventually(() => events(bot.log.entries(), 'delivery.rescheduled', 'follow-up').length > 0, 'the due question to be put off', ARRIVES_WITHIN_MS);
      expect(chat.followUps()).toHaveLength(0);
      // Still in the walk: nothing comes.
      replies = await chat.click(button(lastCard(replies), 'next'));
      expect(causeOnCard(lastCard(replies))).toBe(otherCauses[2]);
      expect(chat.followUps()).toHaveLength(0);

      // The walk ends (every cause still failing: the summary).
      for (let index = 2; index < otherCauses.length; index += 1) replies = await chat.click(button(lastCard(replies), 'next'));
      expect(textOf(replies)).toContain(CARD_TEXTS.en.exhausted.title);
      // The delivery looks again BUSY_RETRY_MS (10 minutes) after it was put off; nothing makes it sooner. The test
      // brings that moment forward in the store (as if the 10 minutes had passed): then the question comes.
      const rescheduled = events(bot.log.entries(), 'delivery.rescheduled', 'follow-up')[0]!;
      expect(rescheduled['retryInMs']).toBe(10 * 60_000);
      const database: Database.Database = bot.storage.database;
      database.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE kind = 'follow-up' AND status = 'pending'").run(Date.now());
      const { card, request } = await chat.followUp(1, 5_000);
      expect(textOf([request.activity!])).toContain(causeTitle('en', first[0]!));
      expect(chat.followUps()).toHaveLength(1);
      expect(textOf(await chat.click(button(card, 'follow-up-succeeded')))).toContain(BOT_TEXTS.en.followUpConfirmed);
    }),
  );

  test.concurrent('When the bot restarts between "This fixed it" and the due time, Then exactly one question arrives, from the new process', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const dataDir = scope.tempDir('follow-up-restart-');
      const before = await startBot(scope, dataDir);
      const chat = new Chat(before.url, standIn, 'msteams');

      await chat.fixAt('agent-unresponsive', 'linux', 0);
      await before.stop();
      expect(chat.followUps()).toHaveLength(0);
      const after = await startBot(scope, dataDir);
      chat.moveTo(after.url);

      const { card, request } = await chat.followUp(1);
      expect(await chat.anotherFollowUpWithin(1, 3_000)).toBe(false);
      expect(events(before.log.entries(), 'delivery.delivered', 'follow-up')).toEqual([]);
      expect(events(after.log.entries(), 'delivery.delivered', 'follow-up')).toHaveLength(1);
      // The question is answerable after the restart.
      expect(textOf(await chat.click(button(card, 'follow-up-succeeded'), request.answeredId))).toContain(BOT_TEXTS.en.followUpConfirmed);
    }),
  );

  /**
   * Two bot processes on one store: exactly one question, and (with a helpdesk that fails
   * twice first, so that both dispatchers see the ticket due) exactly one ticket, told once.
   */
  async function twoProcessesOnOneStore(scope: Scope, storeEnv: Record<string, string>): Promise<void> {
    const standIn = await scope.standIn();
    const helpdesk = await FakeHelpdesk.start();
    scope.add(() => helpdesk.close());
    const env = { ...storeEnv, HELPDESK_WEBHOOK_URL: helpdesk.webhookUrl, HELPDESK_RETRY_BASE_MS: '200', HELPDESK_RETRY_MAX_MS: '400' };
    const bots = await Promise.all([startBotProcess(scope, env), startBotProcess(scope, env)]);
    const chat = new Chat(bots[0]!.url, standIn, 'msteams');
    const category: ErrorId = 'agent-unreachable';
    const causes = expectedCauses('en', category, 'linux');

    // The turns alternate between the processes.
    let replies = await chat.say(PASTES[category]);
    chat.moveTo(bots[1]!.url);
    replies = await chat.click(button(lastCard(replies), 'choose-os', { os: 'linux' }));
    chat.moveTo(bots[0]!.url);
    replies = await chat.click(button(lastCard(replies), 'resolved'));
    expect(textOf(replies)).toContain(CHECK_BACK_EN);

    const { card, request } = await chat.followUp(1);
    expect(await chat.anotherFollowUpWithin(1, 3_000)).toBe(false);
    const logs = (): Record<string, unknown>[] => bots.flatMap((bot) => bot.logEntries());
    expect(events(logs(), 'delivery.delivered', 'follow-up')).toHaveLength(1);

    chat.moveTo(bots[1]!.url);
    const resumed = await chat.click(button(card, 'follow-up-failed'), request.answeredId);
    expect(causeOnCard(lastCard(resumed))).toBe(causes[1]);
    const preview = await chat.say('helpdesk');
    helpdesk.failNext(2, 500);
    chat.moveTo(bots[0]!.url);
    const queued = await chat.click(button(lastCard(preview), 'send-case'));
    expect(textOf(queued)).toContain(HANDOFF_TEXTS.en.messages.queued);

    const told = (): Partial<Activity>[] => standIn.delivered(chat.conversationId).filter((activity) => (activity.text ?? '').startsWith(HANDOFF_TEXTS.en.messages.delivered('').trim()));
    await standIn.waitFor(() => told().length >= 1, 15_000, 'the ticket reference');
    expect(await standIn.happensWithin(() => told().length > 1 || helpdesk.tickets.length > 1, 3_000)).toBe(false);
    expect(helpdesk.tickets).toHaveLength(1);
    expect(told()[0]!.text).toBe(HANDOFF_TEXTS.en.messages.delivered(helpdesk.tickets[0]!.reference));
    expect(helpdesk.requests.length).toBeGreaterThanOrEqual(3);
    expect(events(logs(), 'delivery.delivered', 'ticket')).toHaveLength(1);
    expect(chat.followUps()).toHaveLength(1);
    for (const entry of logs()) expect(entry['event']).not.toBe('turn-failed');
  }

  test.concurrent('When two bot processes share one SQLite file, Then exactly one question and exactly one ticket', () =>
    inScope(async (scope) => {
      await twoProcessesOnOneStore(scope, { DATA_DIR: scope.tempDir('follow-up-two-sqlite-') });
    }),
  );

  test.concurrent('When two bot processes share Azure storage (Azurite, STORAGE=azure-blob), Then exactly one question and exactly one ticket', () =>
    inScope(async (scope) => {
      const azurite = await startAzurite();
      scope.add(() => azurite.stop());
      await twoProcessesOnOneStore(scope, {
        STORAGE: 'azure-blob',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_STORAGE_CONTAINER: 'follow-up-e2e',
        // Nothing of the bot's is kept there with azure-blob; a temp folder keeps it out of the project.
        DATA_DIR: scope.tempDir('follow-up-two-azure-'),
      });
    }),
  );

  test.concurrent('When Teams answers 429 with Retry-After: 1 to the question, Then it arrives once, at least 1 s later', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-429-'));
      const chat = new Chat(bot.url, standIn, 'msteams');

      await chat.fixAt('no-network', 'windows', 1);
      standIn.failNext(1, { status: 429, retryAfterSeconds: 1, kinds: ['send', 'reply'] });
      const { request } = await chat.followUp(1);
      const posts = standIn.postsTo(chat.conversationId);
      expect(posts.map((post) => post.status)).toEqual([429, 200]);
      expect(request.at - posts[0]!.at).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
      expect(await chat.anotherFollowUpWithin(1, 2_000)).toBe(false);
      expect(standIn.postsTo(chat.conversationId)).toHaveLength(2);
      expect(events(bot.log.entries(), 'delivery.delivered', 'follow-up')).toHaveLength(1);
    }),
  );

  // A failed send inside the proactive turn must reach the delivery, not the adapter's onTurnError (which would reset
  // the conversation, post an apology and swallow the error, marking the entry delivered).
  test.concurrent('When Teams answers 403 (the user blocked the bot), Then the question is not retried, delivery.failed is logged, and the user\'s next message still works', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-403-'));
      const chat = new Chat(bot.url, standIn, 'msteams');

      await chat.fixAt('internal-error', 'windows', 0);
      standIn.failAll({
        status: 403,
        body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } },
        kinds: ['send', 'reply'],
      });
      await standIn.waitFor(() => standIn.postsTo(chat.conversationId).length >= 1, ARRIVES_WITHIN_MS, 'the first post of the question');
      expect(await standIn.happensWithin(() => standIn.postsTo(chat.conversationId).length > 1, QUIET_MS)).toBe(false);
      expect(standIn.postsTo(chat.conversationId).map((post) => post.status)).toEqual([403]);

      await eventually(() => events(bot.log.entries(), 'delivery.failed', 'follow-up').length > 0, 'delivery.failed in the log', 2_000);
      const [failed] = events(bot.log.entries(), 'delivery.failed', 'follow-up');
      expect(failed).toMatchObject({ level: 'error', kind: 'follow-up', status: 403, reason: 'rejected' });
      expect(JSON.stringify(bot.log.entries())).not.toContain('ConversationBlockedByUser');

      const next = await chat.say(PASTES['agent-unreachable']);
      expect(buttonsOf(lastCard(next)).some((entry) => entry.data.action === 'choose-os')).toBe(true);
      expect(events(bot.log.entries(), 'turn-failed')).toEqual([]);
    }),
  );

  // The connector client itself retries a 429 three times (after Retry-After); a fourth must reach the delivery's own
  // retry, not the adapter's onTurnError (which would apologise out of the blue and lose the question).
  test.concurrent('When Teams answers 429 more times than the connector client retries, Then the delivery retries after Retry-After and the question still arrives once', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-429x4-'));
      const chat = new Chat(bot.url, standIn, 'msteams');

      await chat.fixAt('agent-unreachable', 'linux', 0);
      standIn.failNext(4, { status: 429, retryAfterSeconds: 1, kinds: ['send', 'reply'] });
      // Four 429s take the client about 3 s; the dispatcher's next attempt comes 2.5 to 5 s after (the follow-up's backoff).
      // Whichever comes first: the question, or a failed turn (then the question is lost: no need to wait longer).
      await eventually(() => chat.followUps().length > 0 || events(bot.log.entries(), 'turn-failed').length > 0, 'the question (or a failed turn)', 20_000);
      expect(events(bot.log.entries(), 'turn-failed')).toEqual([]);
      const posts = standIn.postsTo(chat.conversationId);
      expect(posts.map((post) => post.status)).toEqual([429, 429, 429, 429, 200]);
      expect(events(bot.log.entries(), 'delivery.retry', 'follow-up')[0]).toMatchObject({ status: 429 });
      expect(await chat.anotherFollowUpWithin(1, 1_000)).toBe(false);
    }),
  );

  // "In the middle of a walk" includes a prompt waiting for its answer: while the bot waits for the guest OS of a new
  // paste there is no walk yet, and a question shown then would make the OS card stale and a typed "1" answer it.
  test.concurrent('When the question falls due while the bot waits for the guest OS of another error, Then it waits too, and the OS answer starts the walk', () =>
    inScope(async (scope) => {
      const standIn = await scope.standIn();
      const bot = await startBot(scope, scope.tempDir('follow-up-os-question-'));
      const chat = new Chat(bot.url, standIn, 'test');

      await chat.fixAt('no-network', 'linux', 0);
      const osQuestion = await chat.say(PASTES['agent-unreachable']);
      // Either it is put off (right) or it is asked (wrong): whichever comes first.
      await eventually(() => events(bot.log.entries(), 'delivery.rescheduled', 'follow-up').length > 0 || chat.followUps().length > 0, 'the due question to be put off or asked', ARRIVES_WITHIN_MS);
      expect(chat.followUps()).toHaveLength(0);
      const walk = await chat.click(button(lastCard(osQuestion), 'choose-os', { os: 'windows' }));
      expect(causeOnCard(lastCard(walk))).toBe(expectedCauses('en', 'agent-unreachable', 'windows')[0]);
    }),
  );
});
