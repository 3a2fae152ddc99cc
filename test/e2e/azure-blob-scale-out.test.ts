/**
 * Scale-out, for real: two bot processes (dist/scripts/serve-with-storage.js,
 * STORAGE=azure-blob) share state in one Azurite started by this test, and the
 * turns of ONE conversation alternate between them. Then 20 identical clicks on
 * one card at once — on the two processes over Azurite, and on one process over
 * SQLite — must be taken exactly once: one click moves the walk by one cause,
 * the 19 others get the stale-click note, no turn's state is lost (the
 * conversation's transcript has all 20 clicks), and the walk goes on to the end.
 * Last, a demonstration that the lock is what makes it so: without it (and with
 * the 20 turns held until all have read the state, so that it is deterministic)
 * every click is taken and 19 turns' state is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Activity, Storage, StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { ContainerClient } from '@azure/storage-blob';
import { loadConfig } from '../../src/config';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import type { ConversationLock } from '../../src/data-access/conversation-lock';
import { lockBlobName } from '../../src/data-access/azure-blob-lock';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import type { CardActionData, GuestOsChoice } from '../../src/domain/flow/card-action';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';
import type { ConversationData } from '../../src/domain/conversation/conversation-data';
import { LOCALES, causeOnCard, expectedCauses, type CauseId, type ErrorId, type Language } from '../support/article-order';
import { button, cardsOf, lastCard, textOf } from '../support/bot-conversation';
import { postActivity, UNUSED_SERVICE_URL } from '../support/http-bot-client';
import { startAzurite, type Azurite } from '../support/azurite';

jest.setTimeout(60_000);

const CHANNEL = 'test';
const SERVE_SCRIPT = resolve(__dirname, '../../dist/scripts/serve-with-storage.js');



/** The cause card of a turn's replies, if it has one. */
function causeCardIn(replies: Partial<Activity>[]): { card: AdaptiveCardJson; causeId: CauseId } | undefined {
  const card = cardsOf(replies).at(-1);
  const causeId = card ? causeOnCard(card) : undefined;
  return card && causeId ? { card, causeId } : undefined;
}

/**
 * One conversation (one user) whose turns may go to any of several bot
 * instances, as behind a load balancer. Activity ids are unique across them.
 */
class SharedConversation {
  private sequence = 0;

  constructor(
    readonly urls: string[],
    readonly language: Language,
    readonly conversationId: string,
  ) {}

  /** ConversationState's storage key (channel, conversation, and its empty namespace). */
  get conversationKey(): string {
    return `${CHANNEL}/conversations/${this.conversationId}/`;
  }

  say(instance: number, text: string): Promise<Partial<Activity>[]> {
    return this.turn(instance, { text });
  }

  click(instance: number, data: CardActionData): Promise<Partial<Activity>[]> {
    return this.turn(instance, { text: '', value: data });
  }

  async turn(instance: number, fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    this.sequence += 1;
    const url = this.urls[instance % this.urls.length]!;
    const { status, activities } = await postActivity(url, {
      type: 'message',
      id: `${this.conversationId}-${this.sequence}`,
      channelId: CHANNEL,
      serviceUrl: UNUSED_SERVICE_URL,
      deliveryMode: 'expectReplies',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: 'scale-out' },
      from: { id: `user-${this.conversationId}`, name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: LOCALES[this.language],
      timestamp: new Date(),
      ...fields,
    });
    if (status !== 200) throw new Error(`POST ${url}/api/messages answered ${status} to ${JSON.stringify(fields)}`);
    return activities;
  }
}

/** Pastes the error (instance 0) and answers the guest OS card (instance 1): the replies with the first cause card. */
async function startWalk(conversation: SharedConversation, code: string, category: ErrorId, os: GuestOsChoice): Promise<Partial<Activity>[]> {
  const pasted = await conversation.say(0, code);
  return conversation.click(1, button(lastCard(pasted), 'choose-os', { os, category }));
}

/** Clicks "next" on each cause card until the summary, turn after turn on the next instance; returns the causes shown. */
async function walkToTheEnd(conversation: SharedConversation, replies: Partial<Activity>[], firstInstance: number): Promise<{ shown: CauseId[]; last: Partial<Activity>[] }> {
  const shown: CauseId[] = [];
  let instance = firstInstance;
  for (let current = causeCardIn(replies); current; current = causeCardIn(replies)) {
    shown.push(current.causeId);
    if (shown.length > 10) throw new Error('the walk does not end');
    replies = await conversation.click(instance, button(current.card, 'next', { causeId: current.causeId }));
    instance += 1;
  }
  return { shown, last: replies };
}

/** The conversation's state as stored, read straight from the store. */
async function conversationDataIn(storage: Storage, conversation: SharedConversation): Promise<ConversationData> {
  const items = await storage.read([conversation.conversationKey]);
  const data = (items[conversation.conversationKey] as { conversationData?: ConversationData } | undefined)?.conversationData;
  if (!data) throw new Error(`no state for ${conversation.conversationKey}`);
  return data;
}

interface BurstResult {
  accepted: Partial<Activity>[][];
  stale: number;
  /** User lines of the burst's clicks that the stored transcript kept: one per turn whose state was saved. */
  clicksInTranscript: number;
}

const BURST = 20;
const BURST_ERROR: ErrorId = 'agent-unreachable';
const BURST_CODE = 'UserErrorGuestAgentStatusUnavailable';

/**
 * Walks to the second cause, then clicks its "next" button BURST times at once,
 * spreading the clicks over the instances (round robin).
 */
async function clickNextAllAtOnce(conversation: SharedConversation, storage: Storage, beforeBurst: () => void = () => {}): Promise<BurstResult & { secondCause: CauseId }> {
  const first = causeCardIn(await startWalk(conversation, BURST_CODE, BURST_ERROR, 'unknown'))!;
  const second = causeCardIn(await conversation.click(0, button(first.card, 'next', { causeId: first.causeId })))!;
  const data = button(second.card, 'next', { causeId: second.causeId });
  beforeBurst();

  const results = await Promise.all(Array.from({ length: BURST }, (_, index) => conversation.click(index, data)));

  const stored = await conversationDataIn(storage, conversation);
  const clickLine = `[next ${BURST_ERROR} ${second.causeId}]`;
  const transcript = stored.transcript ?? [];
  return {
    secondCause: second.causeId,
    accepted: results.filter((replies) => causeCardIn(replies) !== undefined),
    stale: results.filter((replies) => textOf(replies).includes(BOT_TEXTS[conversation.language].staleClick) && causeCardIn(replies) === undefined).length,
    clicksInTranscript: transcript.filter((line) => line.from === 'user' && line.text === clickLine).length,
  };
}

/** The burst was taken exactly once, and the conversation goes on from the cause after to the end. */
async function expectTakenOnce(conversation: SharedConversation, result: BurstResult & { secondCause: CauseId }): Promise<void> {
  const expected = expectedCauses(conversation.language, BURST_ERROR, 'unknown');
  expect(expected.length).toBeGreaterThanOrEqual(4);
  expect(result.secondCause).toBe(expected[1]);
  expect(result.accepted).toHaveLength(1);
  expect(result.stale).toBe(BURST - 1);
  expect(result.clicksInTranscript).toBe(BURST);

  const accepted = result.accepted[0]!;
  const third = causeCardIn(accepted)!;
  expect(third.causeId).toBe(expected[2]);
  expect(textOf(accepted)).toContain(CARD_TEXTS[conversation.language].cause.position(3, expected.length));

  // The next turn shows the cause after the third (not two after), and the walk ends with the summary.
  const { shown, last } = await walkToTheEnd(conversation, accepted, 1);
  expect(shown).toEqual(expected.slice(2));
  expect(textOf(last)).toContain(CARD_TEXTS[conversation.language].exhausted.title);
}

// ---------------------------------------------------------------------------
// Two bot processes on one Azurite
// ---------------------------------------------------------------------------

interface BotProcess {
  url: string;
  /** Everything it wrote on stderr (JSON log lines). */
  log(): string;
  stop(): Promise<void>;
}

async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [SERVE_SCRIPT], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the bot process did not start:\n${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
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
    log: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

describe('two instances sharing state in Azure Blob Storage (Azurite)', () => {
  const CONTAINER = 'scale-out-e2e';
  let azurite: Azurite;
  let bots: BotProcess[] = [];
  let blobs: BlobsStorage;
  const dataDirs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(SERVE_SCRIPT)) throw new Error(`${SERVE_SCRIPT} is missing: run npm run build (jest's globalSetup does)`);
    azurite = await startAzurite();
    blobs = new BlobsStorage(azurite.connectionString, CONTAINER);
    bots = await Promise.all(
      ['a', 'b'].map((name) => {
        const dataDir = mkdtempSync(join(tmpdir(), `scale-out-${name}-`));
        dataDirs.push(dataDir);
        return startBotProcess({
          STORAGE: 'azure-blob',
          AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
          AZURE_STORAGE_CONTAINER: CONTAINER,
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
        });
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await azurite?.stop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // A turn that failed would have apologised; make the reason visible.
    for (const bot of bots) expect(bot.log()).not.toContain('"turn-failed"');
  });

  test('each process listens on its own loopback port, reports Azure Blob storage and is ready', async () => {
    expect(bots).toHaveLength(2);
    expect(new Set(bots.map((bot) => bot.url)).size).toBe(2);
    for (const bot of bots) {
      expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(bot.log()).toContain('"storage":"azure-blob"');
      expect(bot.log()).not.toContain('AccountKey');
      // GET /readyz asks the store's ping(): the container answers.
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    }
  });

  test.each([
    { language: 'en' as Language, category: 'agent-unreachable' as ErrorId, code: 'UserErrorGuestAgentStatusUnavailable', os: 'linux' as GuestOsChoice },
    { language: 'ja' as Language, category: 'vmsnapshot-extension-failed' as ErrorId, code: 'バックアップ ジョブが失敗しました。エラー コード: ExtensionOperationFailedForManagedDisks', os: 'windows' as GuestOsChoice },
  ])('$category on $os ($language): turns alternate between the instances and the walk keeps the article\'s order', async ({ language, category, code, os }) => {
    const conversation = new SharedConversation(bots.map((bot) => bot.url), language, `alternate-${language}-${category}`);
    const expected = expectedCauses(language, category, os);

    const replies = await startWalk(conversation, code, category, os); // paste on A, OS on B
    const { shown, last } = await walkToTheEnd(conversation, replies, 0); // next on A, B, A, …
    expect(shown).toEqual(expected);
    expect(textOf(last)).toContain(CARD_TEXTS[language].exhausted.title);

    // The state both used is the one in the container: every user turn is in its transcript.
    const stored = await conversationDataIn(blobs, conversation);
    expect(stored.transcript?.filter((line) => line.from === 'user')).toHaveLength(2 + expected.length);
  });

  test(`${BURST} identical clicks at once, ${BURST / 2} on each instance: taken exactly once, nothing lost`, async () => {
    const conversation = new SharedConversation(bots.map((bot) => bot.url), 'en', 'burst-azure');
    await expectTakenOnce(conversation, await clickNextAllAtOnce(conversation, blobs));
  });

  test('the same in Japanese, with the lock blob of each conversation in the container', async () => {
    const conversation = new SharedConversation(bots.map((bot) => bot.url), 'ja', 'burst-azure-ja');
    await expectTakenOnce(conversation, await clickNextAllAtOnce(conversation, blobs));
    const container = new ContainerClient(azurite.connectionString, CONTAINER);
    const properties = await container.getBlockBlobClient(lockBlobName(`${CHANNEL}/burst-azure-ja`)).getProperties();
    expect(lockBlobName(`${CHANNEL}/burst-azure-ja`)).toBe('locks/test%2Fburst-azure-ja');
    expect(properties.leaseState).toBe('available'); // released after the last turn
  });
});

// ---------------------------------------------------------------------------
// One process over SQLite, and the demonstration without a lock
// ---------------------------------------------------------------------------

/** Holds reads of one key until `expected` turns have asked for it (or a timeout): all of them read the same state. */
class ReadGate implements Storage {
  private waiting: (() => void)[] = [];
  private armedFor: { key: string; expected: number } | undefined;
  filled = false;

  constructor(private readonly inner: Storage) {}

  arm(key: string, expected: number): void {
    this.armedFor = { key, expected };
    this.filled = false;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const armed = this.armedFor;
    if (armed && keys.includes(armed.key)) {
      await new Promise<void>((release) => {
        this.waiting.push(release);
        if (this.waiting.length >= armed.expected) {
          this.filled = true;
          this.armedFor = undefined;
          this.waiting.splice(0).forEach((waiter) => waiter());
        }
        setTimeout(release, 5_000).unref();
      });
    }
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

describe('one instance on SQLite', () => {
  let dataDir: string;
  let storage: SqliteStorage;
  let server: RunningServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scale-out-sqlite-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), storage, silentLogger);
  });

  afterAll(async () => {
    await server?.close();
    storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(`${BURST} identical clicks at once: taken exactly once, nothing lost`, async () => {
    const conversation = new SharedConversation([server.url], 'en', 'burst-sqlite');
    await expectTakenOnce(conversation, await clickNextAllAtOnce(conversation, storage));
  });
});

describe('demonstration: the same burst without a lock', () => {
  let dataDir: string;
  let storage: SqliteStorage;
  let gate: ReadGate;
  let server: RunningServer;
  const noLock: ConversationLock = { withLock: (_key, work) => work() };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scale-out-nolock-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    gate = new ReadGate(storage);
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), gate, silentLogger, { lock: noLock, insights: new SqliteInsightsStore(storage.database) });
  });

  afterAll(async () => {
    await server?.close();
    storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('every click is taken and the state of all but one turn is lost', async () => {
    const conversation = new SharedConversation([server.url], 'en', 'burst-no-lock');
    // Only the burst's reads are held, until every turn has asked: they all read the state the card was shown in.
    const result = await clickNextAllAtOnce(conversation, storage, () => gate.arm(conversation.conversationKey, BURST));
    expect(gate.filled).toBe(true);
    expect(result.accepted).toHaveLength(BURST);
    expect(result.stale).toBe(0);
    expect(result.clicksInTranscript).toBe(1);
    // All 20 answered with the third cause: the walk moved once, but 20 people were told it moved.
    expect(new Set(result.accepted.map((replies) => causeCardIn(replies)!.causeId)).size).toBe(1);
  });
});
