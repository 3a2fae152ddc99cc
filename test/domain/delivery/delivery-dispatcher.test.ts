/**
 * The delivery dispatcher end to end: a real SQLite store in a temp file, the
 * ticket handler over the webhook client and the fake helpdesk on 127.0.0.1, and
 * a second kind (follow-up, a scripted handler without `settle`). Real timers,
 * short backoffs. Then, with a hand-driven clock: DeliveryLater, per-kind retry
 * policies, and entries whose kind has no handler here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationReference } from 'botbuilder';
import { SqliteDeliveryStore } from '../../../src/data-access/sqlite-delivery-store';
import { WebhookTicketClient } from '../../../src/data-access/helpdesk/webhook-client';
import type { ProactiveMessenger } from '../../../src/bot/proactive';
import { ticketHandler } from '../../../src/bot/ticket-delivery';
import { DeliveryDispatcher, type DeliveryDispatcherOptions, type DeliveryHandler, type DeliveryReceipt, type SettleEvent } from '../../../src/domain/delivery/delivery-dispatcher';
import { DeliveryError, DeliveryLater } from '../../../src/domain/delivery/delivery-error';
import type { DeliveryEntry, DeliveryKind, NewDelivery } from '../../../src/domain/delivery/delivery-store';
import type { TicketClient } from '../../../src/domain/handoff/ticket';
import { HANDOFF_TEXTS } from '../../../src/domain/i18n/handoff-texts';
import type { LogLevel, Logger } from '../../../src/logger';
import { FakeHelpdesk, NOTE_MARKER, PASTE_MARKER, SUMMARY_MARKER, eventually, makeCase } from '../../support/fake-helpdesk';

interface Told {
  id: string;
  event: SettleEvent;
  reference?: string;
  conversation: unknown;
  by: string;
}

interface Sent {
  conversation: Partial<ConversationReference>;
  text: string;
  by: string;
}

interface LogLine {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxAgeMs: 60_000 };
const ALLOWED_LOG_FIELDS = new Set(['id', 'kind', 'attempt', 'status', 'errorClass', 'reason', 'handler', 'durationMs', 'retryInMs', 'existing', 'created', 'outcome', 'settleAttempt']);

const ticket = (caseId: string, conversation: unknown = null): NewDelivery => ({ id: caseId, kind: 'ticket', payload: makeCase(caseId), conversation, dueAt: Date.now() });
const followUp = (id: string, dueAt = Date.now()): NewDelivery => ({ id, kind: 'follow-up', payload: { sessionId: id, ask: 1 }, conversation: { id: `conv-${id}` }, userKey: `webchat:${id}`, dueAt });

describe('DeliveryDispatcher', () => {
  let dir: string;
  let file: string;
  let helpdesk: FakeHelpdesk;
  let told: Told[];
  let sent: Sent[];
  let asked: { id: string; attempt: number; by: string }[];
  let logs: LogLine[];
  const dispatchers: DeliveryDispatcher[] = [];
  const stores: SqliteDeliveryStore[] = [];

  const logger: Logger = { log: (level, event, fields = {}) => logs.push({ level, event, fields }) };

  function openStore(): SqliteDeliveryStore {
    const store = new SqliteDeliveryStore(file);
    stores.push(store);
    return store;
  }

  const recordingMessenger = (by: string): ProactiveMessenger => ({
    send: async (conversation, text) => {
      sent.push({ conversation, text, by });
    },
  });

  /** The real ticket handler, with what it settled recorded once its message has gone. */
  function recordedTickets(client: TicketClient, messenger: ProactiveMessenger, by: string): DeliveryHandler {
    const handler = ticketHandler(client, messenger);
    return {
      ...handler,
      settle: async (entry, event) => {
        await handler.settle!(entry, event);
        told.push({ id: entry.id, event, ...(entry.reference ? { reference: entry.reference } : {}), conversation: entry.conversation, by });
      },
    };
  }

  /** Follow-ups: asked in the user's conversation (recorded), told nothing afterwards (no settle). */
  const followUps = (by: string): DeliveryHandler => ({
    name: 'follow-up',
    deliver: async (entry, { attempt }) => {
      asked.push({ id: entry.id, attempt, by });
      return { reference: `activity-${entry.id}` };
    },
  });

  interface Make extends Partial<DeliveryDispatcherOptions> {
    name?: string;
    timeoutMs?: number;
    client?: TicketClient;
    messenger?: ProactiveMessenger;
  }

  function dispatcher(make: Make = {}): { dispatcher: DeliveryDispatcher; store: SqliteDeliveryStore } {
    const { name = 'A', timeoutMs = 1_000, client, messenger, ...rest } = make;
    const store = (rest.store as SqliteDeliveryStore | undefined) ?? openStore();
    const created = new DeliveryDispatcher({
      store,
      handlers: {
        ticket: recordedTickets(client ?? new WebhookTicketClient({ url: helpdesk.webhookUrl, timeoutMs }), messenger ?? recordingMessenger(name), name),
        'follow-up': followUps(name),
      },
      logger,
      retry: FAST_RETRY,
      pollIntervalMs: 10,
      attemptTimeoutMs: 2_000,
      ...rest,
    });
    dispatchers.push(created);
    return { dispatcher: created, store };
  }

  const toldCount = (id: string): number => told.filter((each) => each.id === id).length;
  const allTold = (ids: string[]) => () => ids.every((id) => toldCount(id) >= 1);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function expectExactlyOnce(caseIds: string[]): void {
    for (const caseId of caseIds) {
      const tickets = helpdesk.ticketsFor(caseId);
      expect(tickets).toHaveLength(1);
      const forCase = told.filter((each) => each.id === caseId);
      expect(forCase).toHaveLength(1);
      expect(forCase[0]).toMatchObject({ event: 'delivered', reference: tickets[0]!.reference });
    }
    expect(helpdesk.tickets).toHaveLength(caseIds.length);
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'delivery-dispatcher-'));
    file = join(dir, 'bot.sqlite');
    helpdesk = await FakeHelpdesk.start();
    told = [];
    sent = [];
    asked = [];
    logs = [];
  });

  afterEach(async () => {
    for (const each of dispatchers.splice(0)) await each.stop();
    for (const each of stores.splice(0)) each.close();
    await helpdesk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('tickets', () => {
    it('When the helpdesk is up, Then the case is stored before the first attempt, delivered once and the user told the reference in the same conversation', async () => {
      const store = openStore();
      const storedWhenSent: (DeliveryEntry | undefined)[] = [];
      const inner = new WebhookTicketClient({ url: helpdesk.webhookUrl });
      const spy: TicketClient = {
        kind: 'webhook',
        create: async (handoffCase, options) => {
          storedWhenSent.push(await store.get(handoffCase.caseId));
          return inner.create(handoffCase, options);
        },
      };
      const { dispatcher: d } = dispatcher({ store, client: spy });
      const conversation = { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/', channelId: 'msteams' };

      const entry = await d.enqueue(ticket('case-up', conversation));
      expect(entry).toMatchObject({ id: 'case-up', kind: 'ticket', status: 'pending' });
      await eventually(allTold(['case-up']), 'told');
      await d.drain();

      expect(storedWhenSent).toHaveLength(1);
      expect(storedWhenSent[0]).toMatchObject({ id: 'case-up', status: 'pending', attempts: 1 });
      expectExactlyOnce(['case-up']);
      expect(told[0]).toEqual({ id: 'case-up', event: 'delivered', reference: 'HD-0001', conversation, by: 'A' });
      expect(sent).toEqual([{ conversation, text: HANDOFF_TEXTS.en.messages.delivered('HD-0001'), by: 'A' }]);
      expect(await store.get('case-up')).toMatchObject({ status: 'delivered', reference: 'HD-0001', attempts: 1, settledAt: expect.any(Number) });
      expect(logs.find((line) => line.event === 'delivery.delivered')).toMatchObject({ level: 'info', fields: { id: 'case-up', kind: 'ticket', attempt: 1, status: 201, handler: 'webhook' } });
      expect(logs.find((line) => line.event === 'delivery.settled')).toMatchObject({ fields: { id: 'case-up', kind: 'ticket', outcome: 'delivered' } });
    });

    it('When the helpdesk is down for a while, Then the cases wait with backoff and are delivered once it is up', async () => {
      await helpdesk.down();
      const { dispatcher: d, store } = dispatcher();
      d.start();
      const caseIds = ['down-1', 'down-2', 'down-3'];
      for (const caseId of caseIds) await d.enqueue(ticket(caseId, { id: caseId }));
      await eventually(async () => (await Promise.all(caseIds.map((id) => store.get(id)))).every((e) => e!.attempts >= 3), 'three attempts each while down');
      expect(told).toEqual([]);
      await helpdesk.up();
      await eventually(allTold(caseIds), 'all told after the helpdesk came back');
      await d.drain();

      expectExactlyOnce(caseIds);
      const retries = logs.filter((line) => line.event === 'delivery.retry');
      expect(retries.length).toBeGreaterThanOrEqual(6);
      expect(retries.every((line) => line.fields['errorClass'] === 'network' && line.fields['kind'] === 'ticket')).toBe(true);
      // Exponential: the delays grow (with jitter) until the cap.
      const delays = retries.filter((line) => line.fields['id'] === 'down-1').map((line) => line.fields['retryInMs'] as number);
      expect(delays[0]).toBeLessThanOrEqual(20);
      expect(delays[2]).toBeGreaterThanOrEqual(40);
      expect(Math.max(...delays)).toBeLessThanOrEqual(200);
    });

    it('When the helpdesk answers 500 three times, Then the fourth attempt delivers and the user is told once', async () => {
      helpdesk.failNext(3, 500);
      const { dispatcher: d, store } = dispatcher();
      d.start();
      await d.enqueue(ticket('case-500'));
      await eventually(allTold(['case-500']), 'told');
      await d.drain();

      expectExactlyOnce(['case-500']);
      expect(await store.get('case-500')).toMatchObject({ status: 'delivered', attempts: 4, lastError: { errorClass: 'server-error', status: 500 } });
      expect(logs.filter((line) => line.event === 'delivery.retry').map((line) => line.fields['status'])).toEqual([500, 500, 500]);
    });

    it('When the helpdesk answers slower than the timeout but creates the ticket, Then the retry gets the same reference and there is one ticket', async () => {
      helpdesk.delayNext(1, 600);
      const { dispatcher: d, store } = dispatcher({ timeoutMs: 150 });
      d.start();
      await d.enqueue(ticket('case-slow'));
      await eventually(allTold(['case-slow']), 'told');
      await d.drain();

      expectExactlyOnce(['case-slow']);
      expect(helpdesk.createRequestsFor('case-slow').length).toBeGreaterThanOrEqual(2);
      expect(logs.find((line) => line.event === 'delivery.retry')!.fields).toMatchObject({ id: 'case-slow', attempt: 1, errorClass: 'timeout' });
      expect(await store.get('case-slow')).toMatchObject({ status: 'delivered', reference: 'HD-0001' });
      expect((await store.get('case-slow'))!.attempts).toBeGreaterThanOrEqual(2);
    });

    it('When the helpdesk answers 400, Then the entry fails at once without retries and the user is told once, with the summary', async () => {
      helpdesk.failNext(1, 400);
      const { dispatcher: d, store } = dispatcher();
      d.start();
      await d.enqueue(ticket('case-400', { id: 'conv' }));
      await eventually(allTold(['case-400']), 'told');
      await pause(150);
      await d.drain();

      expect(told).toEqual([{ id: 'case-400', event: 'failed', conversation: { id: 'conv' }, by: 'A' }]);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.text).toContain(HANDOFF_TEXTS.en.messages.failed);
      expect(sent[0]!.text).toContain(SUMMARY_MARKER);
      expect(helpdesk.requests).toHaveLength(1);
      expect(helpdesk.tickets).toHaveLength(0);
      expect(await store.get('case-400')).toMatchObject({ status: 'failed', failureReason: 'rejected', attempts: 1, lastError: { errorClass: 'rejected', status: 400 } });
      expect(logs.find((line) => line.event === 'delivery.failed')).toMatchObject({ level: 'error', fields: { id: 'case-400', kind: 'ticket', attempt: 1, status: 400, errorClass: 'rejected', reason: 'rejected' } });
    });

    it('When the case is in Japanese, Then the user is told in Japanese', async () => {
      const { dispatcher: d } = dispatcher();
      await d.enqueue({ ...ticket('case-ja'), payload: makeCase('case-ja', { language: 'ja' }) });
      await eventually(allTold(['case-ja']), 'told');
      expect(sent[0]!.text).toBe(HANDOFF_TEXTS.ja.messages.delivered('HD-0001'));
    });

    it('When the helpdesk stays down past the max age, Then the entry is marked failed (expired) and the user is told once', async () => {
      await helpdesk.down();
      const { dispatcher: d, store } = dispatcher({ retry: { baseDelayMs: 20, maxDelayMs: 50, maxAgeMs: 300 } });
      d.start();
      await d.enqueue(ticket('case-old'));
      await eventually(allTold(['case-old']), 'told', 3_000);
      await pause(100);
      await d.drain();

      expect(told.map((each) => [each.id, each.event])).toEqual([['case-old', 'failed']]);
      const entry = await store.get('case-old');
      expect(entry).toMatchObject({ status: 'failed', failureReason: 'expired', lastError: { errorClass: 'network' } });
      expect(entry!.attempts).toBeGreaterThanOrEqual(2);
      // Given up once the next try (at most maxDelayMs away) would fall past the max age: after 250 ms,
      // and not much after 300 ms (the last attempt's own duration, under load).
      expect(entry!.failedAt! - entry!.createdAt).toBeGreaterThan(250);
      expect(entry!.failedAt! - entry!.createdAt).toBeLessThan(800);
    });

    it('When the bot restarts with cases pending, Then a new dispatcher over the same file delivers each once', async () => {
      await helpdesk.down();
      const first = dispatcher({ name: 'before' });
      first.dispatcher.start();
      const caseIds = ['restart-1', 'restart-2', 'restart-3'];
      for (const caseId of caseIds) await first.dispatcher.enqueue(ticket(caseId, { id: caseId }));
      await eventually(async () => (await Promise.all(caseIds.map((id) => first.store.get(id)))).every((e) => e!.attempts >= 1), 'attempted');
      await first.dispatcher.stop();
      first.store.close();

      await helpdesk.up();
      const second = dispatcher({ name: 'after' });
      second.dispatcher.start();
      await eventually(allTold(caseIds), 'delivered after the restart');
      await second.dispatcher.drain();

      expectExactlyOnce(caseIds);
      expect(told.every((each) => each.by === 'after')).toBe(true);
      expect(told.map((each) => each.conversation)).toEqual(expect.arrayContaining(caseIds.map((id) => ({ id }))));
    });

    it('When the bot stops after a delivery but before telling the user, Then the next dispatcher tells the user once, without a second ticket', async () => {
      const unreachable: ProactiveMessenger = {
        send: async () => {
          throw new Error('connector unreachable');
        },
      };
      const first = dispatcher({ name: 'before', messenger: unreachable, retry: { baseDelayMs: 5_000, maxDelayMs: 5_000, maxAgeMs: 60_000 } });
      await first.dispatcher.enqueue(ticket('case-told-later', { id: 'conv' }));
      await eventually(() => logs.some((line) => line.event === 'delivery.settle-failed'), 'first telling failed');
      await first.dispatcher.stop();
      expect(await first.store.get('case-told-later')).toMatchObject({ status: 'delivered', settleAttempts: 1 });
      first.store.close();

      // The failed telling is due again only after its backoff: a restarted bot picks it up then.
      const second = dispatcher({ name: 'after', clock: { now: () => Date.now() + 10_000 } });
      second.dispatcher.start();
      await eventually(allTold(['case-told-later']), 'told after the restart');
      await second.dispatcher.drain();

      expectExactlyOnce(['case-told-later']);
      expect(told[0]).toMatchObject({ by: 'after', conversation: { id: 'conv' } });
      expect(helpdesk.requests).toHaveLength(1);
    });

    it('When telling the user fails once, Then it is retried and the user is told exactly once', async () => {
      let calls = 0;
      const flaky: ProactiveMessenger = {
        send: async (conversation, text) => {
          calls += 1;
          if (calls === 1) throw new Error(`send failed for ${text}`);
          sent.push({ conversation, text, by: 'A' });
        },
      };
      const { dispatcher: d, store } = dispatcher({ messenger: flaky });
      d.start();
      await d.enqueue(ticket('case-tell'));
      await eventually(allTold(['case-tell']), 'told');
      await pause(100);
      await d.drain();

      expect(calls).toBe(2);
      expectExactlyOnce(['case-tell']);
      expect(await store.get('case-tell')).toMatchObject({ settleAttempts: 1 });
      expect(logs.find((line) => line.event === 'delivery.settle-failed')!.fields).toMatchObject({ id: 'case-tell', kind: 'ticket', errorClass: 'Error', settleAttempt: 1 });
      expect(JSON.stringify(logs)).not.toContain('HD-0');
    });

    it('When two dispatchers race for the same due entries, Then the atomic claim lets only one attempt each', async () => {
      await helpdesk.down();
      const a = dispatcher({ name: 'A' });
      const caseIds = Array.from({ length: 6 }, (_, i) => `race-${i}`);
      // Stored while nothing runs (stopped dispatcher: store only).
      await a.dispatcher.stop();
      for (const caseId of caseIds) await a.dispatcher.enqueue(ticket(caseId));
      await helpdesk.up();
      helpdesk.delayNext(6, 80);
      const b = dispatcher({ name: 'B', concurrency: 10 });
      const c = dispatcher({ name: 'C', concurrency: 10 });
      const refused: string[] = [];
      for (const { store } of [b, c]) {
        const claim = store.claim.bind(store);
        store.claim = async (id, owner, now, until) => {
          const taken = await claim(id, owner, now, until);
          if (!taken) refused.push(id);
          return taken;
        };
      }
      // Both see the same six due entries and go for all of them at the same moment.
      await Promise.all([b.dispatcher.poll(), c.dispatcher.poll()]);
      await eventually(allTold(caseIds), 'all told', 3_000);

      expectExactlyOnce(caseIds);
      for (const caseId of caseIds) expect(helpdesk.createRequestsFor(caseId)).toHaveLength(1);
      // They did collide: every entry was refused to one of the two.
      expect(new Set(refused)).toEqual(new Set(caseIds));
    });

    it('When the helpdesk misbehaves in every way at once, Then every case arrives exactly once, every user is told once, and the logs carry no case content', async () => {
      const a = dispatcher({ name: 'A', timeoutMs: 150 });
      const b = dispatcher({ name: 'B', timeoutMs: 150 });
      a.dispatcher.start();
      b.dispatcher.start();
      helpdesk.failNext(3, 503);
      helpdesk.delayNext(3, 400);
      const caseIds = Array.from({ length: 12 }, (_, i) => `chaos-${i}`);
      for (const [i, caseId] of caseIds.slice(0, 6).entries()) await (i % 2 === 0 ? a : b).dispatcher.enqueue(ticket(caseId, { i }));
      await pause(50);
      await helpdesk.down();
      for (const [i, caseId] of caseIds.slice(6).entries()) await (i % 2 === 0 ? a : b).dispatcher.enqueue(ticket(caseId, { i }));
      await pause(250);
      helpdesk.failNext(2, 429, { 'retry-after': '0' });
      await helpdesk.up();
      await eventually(allTold(caseIds), 'all told', 8_000);
      await pause(100);
      await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);

      expectExactlyOnce(caseIds);
      const text = JSON.stringify(logs);
      for (const marker of [PASTE_MARKER, NOTE_MARKER, SUMMARY_MARKER, 'VM Agent unable', 'HD-0']) expect(text).not.toContain(marker);
      for (const line of logs) for (const key of Object.keys(line.fields)) expect(ALLOWED_LOG_FIELDS).toContain(key);
    });

    it('When the same case is enqueued twice, Then it is stored, sent and told once', async () => {
      const { dispatcher: d, store } = dispatcher();
      d.start();
      const first = await d.enqueue(ticket('case-twice', { n: 1 }));
      const second = await d.enqueue(ticket('case-twice', { n: 2 }));
      expect(second.createdAt).toBe(first.createdAt);
      await eventually(allTold(['case-twice']), 'told');
      await pause(100);
      await d.drain();
      expectExactlyOnce(['case-twice']);
      expect(told[0]!.conversation).toEqual({ n: 1 });
      expect(store.list()).toHaveLength(1);
    });

    it('When stop is called during an attempt, Then it waits for it; after stop an entry is only stored', async () => {
      helpdesk.delayNext(1, 200);
      const { dispatcher: d, store } = dispatcher();
      await d.enqueue(ticket('case-inflight'));
      await eventually(() => helpdesk.requests.length === 1, 'request sent');
      await d.stop();
      expect(await store.get('case-inflight')).toMatchObject({ status: 'delivered' });
      expect(toldCount('case-inflight')).toBe(1);

      await d.enqueue(ticket('case-after-stop'));
      await pause(100);
      expect(helpdesk.requests).toHaveLength(1);
      expect(await store.get('case-after-stop')).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('When the id cannot travel in a header or a table key, Then enqueue refuses it and stores nothing', async () => {
      const { dispatcher: d, store } = dispatcher();
      await expect(d.enqueue(ticket('bad id\n'))).rejects.toThrow(RangeError);
      await expect(d.enqueue({ ...followUp('x'), id: 'follow-up/a#b' })).rejects.toThrow(RangeError);
      expect(store.list()).toEqual([]);
    });
  });

  describe('a second kind, without settle', () => {
    it('When a follow-up is due, Then it is delivered once and never settled by the dispatcher; the user settles it', async () => {
      const { dispatcher: d, store } = dispatcher();
      d.start();
      await d.enqueue(followUp('fu-1'));
      await eventually(() => asked.length === 1, 'asked');
      await pause(100);
      expect(asked).toEqual([{ id: 'fu-1', attempt: 1, by: 'A' }]);
      const entry = await store.get('fu-1');
      expect(entry).toMatchObject({ kind: 'follow-up', status: 'delivered', reference: 'activity-fu-1' });
      expect(entry!.settledAt).toBeUndefined();
      expect(told).toEqual([]);
      expect(sent).toEqual([]);
      expect(await store.openFor('webchat:fu-1', 'follow-up', 0, Date.now())).toHaveLength(1);
      // The user's answer settles it.
      expect(await store.settle('fu-1', null, Date.now())).toBe(true);
      expect(await store.openFor('webchat:fu-1', 'follow-up', 0, Date.now())).toEqual([]);
    });

    it('When a follow-up is due later, Then enqueue only stores it and the poll asks it when it falls due', async () => {
      const { dispatcher: d, store } = dispatcher();
      await d.enqueue(followUp('fu-later', Date.now() + 300));
      await pause(50);
      expect(asked).toEqual([]);
      expect(await store.get('fu-later')).toMatchObject({ status: 'pending', attempts: 0 });
      d.start();
      await eventually(() => asked.length === 1, 'asked when due');
      const entry = await store.get('fu-later');
      expect(entry!.deliveredAt).toBeGreaterThanOrEqual(entry!.createdAt + 300);
      expect(asked).toEqual([{ id: 'fu-later', attempt: 1, by: 'A' }]);
    });

    it('When a follow-up cannot be delivered for good, Then it fails and nobody is told', async () => {
      const { dispatcher: d, store } = dispatcher({
        handlers: {
          'follow-up': {
            name: 'follow-up',
            deliver: async () => {
              throw new DeliveryError('blocked', false, 403);
            },
          },
        },
      });
      d.start();
      await d.enqueue(followUp('fu-blocked'));
      await eventually(async () => (await store.get('fu-blocked'))!.status === 'failed', 'failed');
      await pause(100);
      expect(await store.get('fu-blocked')).toMatchObject({ failureReason: 'rejected', lastError: { errorClass: 'blocked', status: 403 }, attempts: 1 });
      expect(told).toEqual([]);
      // Only kinds that tell the user come back once failed: this one is over.
      expect(await store.due(Date.now() + 10 ** 9, 10, ['ticket'])).toEqual([]);
    });

    it('When tickets and follow-ups go through two dispatchers over one file, Then each entry is delivered once and each case told once', async () => {
      helpdesk.delayNext(4, 60); // slow answers widen the window in which both could try
      const a = dispatcher({ name: 'A' });
      const b = dispatcher({ name: 'B' });
      a.dispatcher.start();
      b.dispatcher.start();
      const caseIds = Array.from({ length: 10 }, (_, i) => `pair-${i}`);
      const followUpIds = Array.from({ length: 10 }, (_, i) => `follow-up:pair-${i}:1`);
      for (const [i, caseId] of caseIds.entries()) {
        await (i % 2 === 0 ? a : b).dispatcher.enqueue(ticket(caseId, { i }));
        await (i % 2 === 0 ? b : a).dispatcher.enqueue(followUp(followUpIds[i]!));
      }
      await eventually(allTold(caseIds), 'all told');
      await eventually(() => asked.length >= followUpIds.length, 'all asked');
      await pause(100);
      await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);

      expectExactlyOnce(caseIds);
      for (const caseId of caseIds) expect(helpdesk.createRequestsFor(caseId)).toHaveLength(1);
      expect(asked.map((each) => each.id).sort()).toEqual([...followUpIds].sort());
    });
  });

  describe('a kind without a handler here', () => {
    it('When a dispatcher has no handler for a kind, Then it leaves those entries unclaimed, says so once, and another dispatcher delivers them', async () => {
      const ticketsOnly = dispatcher({ name: 'tickets-only', handlers: { ticket: recordedTickets(new WebhookTicketClient({ url: helpdesk.webhookUrl }), recordingMessenger('tickets-only'), 'tickets-only') } });
      const claimed: string[] = [];
      const claim = ticketsOnly.store.claim.bind(ticketsOnly.store);
      ticketsOnly.store.claim = async (id, owner, now, until) => {
        claimed.push(id);
        return claim(id, owner, now, until);
      };
      ticketsOnly.dispatcher.start();
      await ticketsOnly.dispatcher.enqueue(followUp('fu-elsewhere-1'));
      await ticketsOnly.dispatcher.enqueue(followUp('fu-elsewhere-2'));
      await ticketsOnly.dispatcher.enqueue(ticket('case-here'));
      await eventually(allTold(['case-here']), 'the ticket told');
      await pause(100);
      expect(claimed).not.toContain('fu-elsewhere-1');
      expect(claimed).not.toContain('fu-elsewhere-2');
      expect(await ticketsOnly.store.get('fu-elsewhere-1')).toMatchObject({ status: 'pending', attempts: 0 });
      expect(logs.filter((line) => line.event === 'delivery.no-handler')).toEqual([{ level: 'warn', event: 'delivery.no-handler', fields: { kind: 'follow-up' } }]);

      const followUpsToo = dispatcher({ name: 'follow-ups', handlers: { 'follow-up': followUps('follow-ups') } });
      followUpsToo.dispatcher.start();
      await eventually(() => asked.length === 2, 'asked by the other dispatcher');
      expect(asked.map((each) => [each.id, each.by]).sort()).toEqual([
        ['fu-elsewhere-1', 'follow-ups'],
        ['fu-elsewhere-2', 'follow-ups'],
      ]);
    });
  });

  describe('the user in between', () => {
    it('When the user cancels while the follow-up is being delivered, Then it stays cancelled and the log says so', async () => {
      const gate: { open?: () => void } = {};
      const { dispatcher: d, store } = dispatcher({
        handlers: {
          'follow-up': {
            name: 'follow-up',
            deliver: async (entry): Promise<DeliveryReceipt> => {
              await new Promise<void>((resolve) => (gate.open = resolve));
              return { reference: `activity-${entry.id}` };
            },
          },
        },
      });
      await d.enqueue(followUp('fu-cancel'));
      await eventually(() => gate.open !== undefined, 'attempt started');
      expect(await store.cancel('fu-cancel', Date.now())).toBe(true);
      gate.open!();
      await d.drain();
      expect(await store.get('fu-cancel')).toMatchObject({ status: 'cancelled', attempts: 1 });
      expect(logs.find((line) => line.event === 'delivery.cancelled')).toMatchObject({ level: 'info', fields: { id: 'fu-cancel', kind: 'follow-up' } });
      expect(logs.some((line) => line.event === 'delivery.claim-lost')).toBe(false);
    });

    it('When a pending follow-up was answered or cancelled in the meantime, Then the dispatcher does not deliver it', async () => {
      const { dispatcher: d, store } = dispatcher();
      await d.enqueue(followUp('fu-answered', Date.now() + 100));
      await d.enqueue(followUp('fu-cancelled', Date.now() + 100));
      expect(await store.settle('fu-answered', null, Date.now())).toBe(true);
      expect(await store.cancel('fu-cancelled', Date.now())).toBe(true);
      d.start();
      await pause(250);
      expect(asked).toEqual([]);
    });

    it('When a handler ignores the abort signal, Then the attempt still ends at the timeout and is retried', async () => {
      let calls = 0;
      const { dispatcher: d, store } = dispatcher({
        attemptTimeoutMs: 100,
        handlers: {
          'follow-up': {
            name: 'stuck-then-fine',
            deliver: async (entry) => {
              calls += 1;
              if (calls === 1) await new Promise(() => undefined); // never settles, never looks at the signal
              return { reference: `activity-${entry.id}` };
            },
          },
        },
      });
      d.start();
      await d.enqueue(followUp('fu-stuck'));
      await eventually(async () => (await store.get('fu-stuck'))!.status === 'delivered', 'delivered on the retry', 3_000);
      expect(logs.find((line) => line.event === 'delivery.retry')!.fields).toMatchObject({ id: 'fu-stuck', attempt: 1, errorClass: 'timeout' });
    });
  });
});

describe('DeliveryDispatcher with a hand-driven clock', () => {
  const T = 1_741_600_000_000;
  const HOUR = 3_600_000;
  let now: number;
  let store: SqliteDeliveryStore;
  let calls: { id: string; attempt: number; payload: unknown }[];
  let script: Map<string, (DeliveryReceipt | Error)[]>;
  let logs: LogLine[];

  const scripted = (name: string, retry?: DeliveryHandler['retry']): DeliveryHandler => ({
    name,
    ...(retry ? { retry } : {}),
    deliver: async (entry, { attempt }) => {
      calls.push({ id: entry.id, attempt, payload: entry.payload });
      const next = script.get(entry.id)?.shift();
      if (next === undefined) throw new Error('script ran out');
      if (next instanceof Error) throw next;
      return next;
    },
  });

  function make(handlers: DeliveryDispatcherOptions['handlers'], extra: Partial<DeliveryDispatcherOptions> = {}): DeliveryDispatcher {
    return new DeliveryDispatcher({
      store,
      handlers,
      clock: { now: () => now },
      random: () => 0,
      logger: { log: (level, event, fields = {}) => logs.push({ level, event, fields }) },
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAgeMs: HOUR },
      ...extra,
    });
  }

  const add = (id: string, kind: DeliveryKind, dueAt = now): Promise<DeliveryEntry> => store.add({ id, kind, payload: { id, ask: 1 }, conversation: null, dueAt }, now).then((result) => result.entry);

  beforeEach(() => {
    now = T;
    store = new SqliteDeliveryStore(':memory:');
    calls = [];
    script = new Map();
    logs = [];
  });
  afterEach(() => store.close());

  it('When the handler says later, Then the entry is rescheduled with its new payload, not failed, and the time waited does not count toward the max age', async () => {
    script.set('fu-1', [new DeliveryLater(3 * HOUR, { id: 'fu-1', ask: 2 }), new DeliveryError('network', true), { reference: 'activity-1' }]);
    const dispatcher = make({ 'follow-up': scripted('follow-up') });
    await dispatcher.enqueue({ id: 'fu-1', kind: 'follow-up', payload: { id: 'fu-1', ask: 1 }, conversation: null, dueAt: now });
    await dispatcher.drain();
    expect(await store.get('fu-1')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T + 3 * HOUR, dueAt: T + 3 * HOUR, payload: { id: 'fu-1', ask: 2 } });
    expect((await store.get('fu-1'))!.lastError).toBeUndefined();
    expect(logs.find((line) => line.event === 'delivery.rescheduled')).toMatchObject({ level: 'info', fields: { id: 'fu-1', kind: 'follow-up', attempt: 1, retryInMs: 3 * HOUR } });

    now = T + 3 * HOUR - 1;
    await dispatcher.poll();
    expect(calls).toHaveLength(1);
    now = T + 3 * HOUR;
    await dispatcher.poll();
    // Three hours after it was stored, with a max age of one: still retried, since the clock restarted at the reschedule.
    expect(calls.map((call) => call.payload)).toEqual([{ id: 'fu-1', ask: 1 }, { id: 'fu-1', ask: 2 }]);
    expect(await store.get('fu-1')).toMatchObject({ status: 'pending', attempts: 2, lastError: { errorClass: 'network' }, nextAttemptAt: now + 1_000 });
    now += 1_000;
    await dispatcher.poll();
    expect(await store.get('fu-1')).toMatchObject({ status: 'delivered', reference: 'activity-1', attempts: 3 });
  });

  it('When an entry is first due long after it was stored, Then the wait before the first attempt does not count toward the max age', async () => {
    script.set('fu-1', [new DeliveryError('server-error', true, 503)]);
    const dispatcher = make({ 'follow-up': scripted('follow-up') });
    await dispatcher.enqueue({ id: 'fu-1', kind: 'follow-up', payload: {}, conversation: null, dueAt: T + 24 * HOUR });
    await dispatcher.drain();
    expect(calls).toEqual([]);
    now = T + 24 * HOUR;
    await dispatcher.poll();
    expect(await store.get('fu-1')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now + 500 });
  });

  it('When kinds have their own retry policies, Then each backs off and gives up by its own, and a kind without one uses the defaults', async () => {
    const failing = () => [new DeliveryError('network', true), new DeliveryError('network', true), new DeliveryError('network', true)];
    script.set('ticket-1', failing());
    script.set('fu-1', failing());
    script.set('post-1', failing());
    const dispatcher = make({
      ticket: scripted('tickets', { maxAgeMs: 10 * 60_000 }),
      'follow-up': scripted('follow-ups', { baseDelayMs: 60_000, maxDelayMs: HOUR, maxAgeMs: 7 * 24 * HOUR }),
      'teams-post': scripted('posts'),
    });
    await add('ticket-1', 'ticket');
    await add('fu-1', 'follow-up');
    await add('post-1', 'teams-post');
    await dispatcher.poll();
    expect(await store.get('ticket-1')).toMatchObject({ nextAttemptAt: T + 500 });
    expect(await store.get('fu-1')).toMatchObject({ nextAttemptAt: T + 30_000 });
    expect(await store.get('post-1')).toMatchObject({ nextAttemptAt: T + 500 });

    now = T + 10 * 60_000 - 600; // a retry now would be followed by one past the ticket's ten minutes
    await dispatcher.poll();
    expect(await store.get('ticket-1')).toMatchObject({ status: 'failed', failureReason: 'expired' });
    expect(await store.get('post-1')).toMatchObject({ status: 'pending', attempts: 2 });
    expect(await store.get('fu-1')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: now + 60_000 });
    now = T + HOUR + 1; // past the defaults' hour: the post gives up, the follow-up (seven days) does not
    await dispatcher.poll();
    expect(await store.get('post-1')).toMatchObject({ status: 'failed', failureReason: 'expired', attempts: 3 });
    expect(await store.get('fu-1')).toMatchObject({ status: 'pending', attempts: 3 });
  });

  it('When a retry policy cannot work, Then the dispatcher refuses to start and names the kind', () => {
    expect(() => make({ 'follow-up': scripted('follow-ups', { baseDelayMs: 10, maxDelayMs: 5 }) })).toThrow(/follow-up/);
    expect(() => make({}, { retry: { maxAgeMs: 0 } })).toThrow(/defaults/);
  });

  it('When many due entries of a kind without a handler come first, Then they are looked past and the entries this dispatcher handles are still delivered', async () => {
    for (let index = 0; index < 30; index += 1) await add(`fu-${String(index).padStart(2, '0')}`, 'follow-up', T - HOUR + index);
    script.set('ticket-1', [{ reference: 'HD-1', status: 201 }]);
    script.set('ticket-2', [{ reference: 'HD-2', status: 201 }]);
    await add('ticket-1', 'ticket');
    const claims: string[] = [];
    const claim = store.claim.bind(store);
    store.claim = async (id, owner, at, until) => {
      claims.push(id);
      return claim(id, owner, at, until);
    };
    const dispatcher = make({ ticket: scripted('tickets') }, { concurrency: 1 });
    await dispatcher.poll(); // asks for 4: all follow-ups, looked at once each and remembered
    await dispatcher.poll(); // asks for 4 more than it remembers…
    await dispatcher.poll();
    await dispatcher.poll();
    await dispatcher.poll();
    await dispatcher.poll();
    await dispatcher.poll();
    await dispatcher.poll();
    expect(await store.get('ticket-1')).toMatchObject({ status: 'delivered', reference: 'HD-1' });
    // Once known, the look-ahead covers them all: a new ticket is delivered on the next poll.
    await add('ticket-2', 'ticket');
    await dispatcher.poll();
    expect(await store.get('ticket-2')).toMatchObject({ status: 'delivered' });
    expect(claims.every((id) => id.startsWith('ticket-'))).toBe(true);
    expect(logs.filter((line) => line.event === 'delivery.no-handler')).toHaveLength(1);
  });
});
