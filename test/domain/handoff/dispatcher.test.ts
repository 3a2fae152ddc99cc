/**
 * The dispatcher end to end: a real SQLite outbox in a temp file, the webhook
 * client, and the fake helpdesk on 127.0.0.1. Real timers, short backoffs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOutbox } from '../../../src/data-access/sqlite-outbox';
import { WebhookTicketClient } from '../../../src/data-access/helpdesk/webhook-client';
import { HandoffDispatcher, type HandoffDispatcherOptions, type NotifyEvent } from '../../../src/domain/handoff/dispatcher';
import type { OutboxEntry } from '../../../src/domain/handoff/outbox';
import type { TicketClient } from '../../../src/domain/handoff/ticket';
import type { LogLevel, Logger } from '../../../src/logger';
import { FakeHelpdesk, NOTE_MARKER, PASTE_MARKER, SUMMARY_MARKER, eventually, makeCase } from '../../support/fake-helpdesk';

interface Notification {
  caseId: string;
  event: NotifyEvent;
  reference?: string;
  conversation: unknown;
  by: string;
}

interface LogLine {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxAgeMs: 60_000 };
const ALLOWED_LOG_FIELDS = new Set(['caseId', 'attempt', 'status', 'errorClass', 'reason', 'helpdesk', 'durationMs', 'retryInMs', 'existing', 'created', 'event', 'notifyAttempt']);

describe('HandoffDispatcher', () => {
  let dir: string;
  let file: string;
  let helpdesk: FakeHelpdesk;
  let notifications: Notification[];
  let logs: LogLine[];
  const dispatchers: HandoffDispatcher[] = [];
  const outboxes: SqliteOutbox[] = [];

  const logger: Logger = { log: (level, event, fields = {}) => logs.push({ level, event, fields }) };

  function openOutbox(): SqliteOutbox {
    const outbox = new SqliteOutbox(file);
    outboxes.push(outbox);
    return outbox;
  }

  function dispatcher(options: Partial<HandoffDispatcherOptions> & { name?: string; timeoutMs?: number } = {}): { dispatcher: HandoffDispatcher; outbox: SqliteOutbox } {
    const { name = 'A', timeoutMs = 1_000, ...rest } = options;
    const outbox = (rest.outbox as SqliteOutbox | undefined) ?? openOutbox();
    const created = new HandoffDispatcher({
      outbox,
      client: new WebhookTicketClient({ url: helpdesk.webhookUrl, timeoutMs }),
      notify: async (entry: OutboxEntry, event: NotifyEvent) => {
        notifications.push({ caseId: entry.caseId, event, ...(entry.reference ? { reference: entry.reference } : {}), conversation: entry.conversation, by: name });
      },
      logger,
      retry: FAST_RETRY,
      pollIntervalMs: 10,
      attemptTimeoutMs: 2_000,
      ...rest,
    });
    dispatchers.push(created);
    return { dispatcher: created, outbox };
  }

  const notifiedCount = (caseId: string): number => notifications.filter((n) => n.caseId === caseId).length;
  const allNotified = (caseIds: string[]) => () => caseIds.every((caseId) => notifiedCount(caseId) >= 1);
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function expectExactlyOnce(caseIds: string[]): void {
    for (const caseId of caseIds) {
      const tickets = helpdesk.ticketsFor(caseId);
      expect(tickets).toHaveLength(1);
      const told = notifications.filter((n) => n.caseId === caseId);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ event: 'delivered', reference: tickets[0]!.reference });
    }
    expect(helpdesk.tickets).toHaveLength(caseIds.length);
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dispatcher-'));
    file = join(dir, 'bot.sqlite');
    helpdesk = await FakeHelpdesk.start();
    notifications = [];
    logs = [];
  });

  afterEach(async () => {
    for (const each of dispatchers.splice(0)) await each.stop();
    for (const each of outboxes.splice(0)) each.close();
    await helpdesk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('When the helpdesk is up, Then the case is stored before the first attempt, delivered once and the user told the reference in the same conversation', async () => {
    const outbox = openOutbox();
    const storedWhenSent: (OutboxEntry | undefined)[] = [];
    const inner = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    const spy: TicketClient = {
      kind: 'webhook',
      create: async (handoffCase, options) => {
        storedWhenSent.push(await outbox.get(handoffCase.caseId));
        return inner.create(handoffCase, options);
      },
    };
    const { dispatcher: d } = dispatcher({ outbox, client: spy });
    const conversation = { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/', channelId: 'msteams' };

    const entry = await d.enqueue(makeCase('case-up'), conversation);
    expect(entry).toMatchObject({ caseId: 'case-up', status: 'pending' });
    await eventually(allNotified(['case-up']), 'notified');
    await d.drain();

    expect(storedWhenSent).toHaveLength(1);
    expect(storedWhenSent[0]).toMatchObject({ caseId: 'case-up', status: 'pending', attempts: 1 });
    expectExactlyOnce(['case-up']);
    expect(notifications[0]).toEqual({ caseId: 'case-up', event: 'delivered', reference: 'HD-0001', conversation, by: 'A' });
    expect(await outbox.get('case-up')).toMatchObject({ status: 'delivered', reference: 'HD-0001', attempts: 1 });
    expect((await outbox.get('case-up'))!.notifiedAt).toEqual(expect.any(Number));
  });

  it('When the helpdesk is down for a while, Then the cases wait with backoff and are delivered once it is up', async () => {
    await helpdesk.down();
    const { dispatcher: d, outbox } = dispatcher();
    d.start();
    const caseIds = ['down-1', 'down-2', 'down-3'];
    for (const caseId of caseIds) await d.enqueue(makeCase(caseId), { id: caseId });
    await eventually(async () => (await Promise.all(caseIds.map((id) => outbox.get(id)))).every((e) => e!.attempts >= 3), 'three attempts each while down');
    expect(notifications).toEqual([]);
    await helpdesk.up();
    await eventually(allNotified(caseIds), 'all notified after the helpdesk came back');
    await d.drain();

    expectExactlyOnce(caseIds);
    const retries = logs.filter((line) => line.event === 'handoff.retry');
    expect(retries.length).toBeGreaterThanOrEqual(6);
    expect(retries.every((line) => line.fields['errorClass'] === 'network')).toBe(true);
    // Exponential: the delays grow (with jitter) until the cap.
    const delays = retries.filter((line) => line.fields['caseId'] === 'down-1').map((line) => line.fields['retryInMs'] as number);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[2]).toBeGreaterThanOrEqual(40);
    expect(Math.max(...delays)).toBeLessThanOrEqual(200);
  });

  it('When the helpdesk answers 500 three times, Then the fourth attempt delivers and the user is told once', async () => {
    helpdesk.failNext(3, 500);
    const { dispatcher: d, outbox } = dispatcher();
    d.start();
    await d.enqueue(makeCase('case-500'), null);
    await eventually(allNotified(['case-500']), 'notified');
    await d.drain();

    expectExactlyOnce(['case-500']);
    expect(await outbox.get('case-500')).toMatchObject({ status: 'delivered', attempts: 4, lastError: { errorClass: 'server-error', status: 500 } });
    expect(logs.filter((line) => line.event === 'handoff.retry').map((line) => line.fields['status'])).toEqual([500, 500, 500]);
  });

  it('When the helpdesk answers slower than the timeout but creates the ticket, Then the retry gets the same reference and there is one ticket', async () => {
    helpdesk.delayNext(1, 600);
    const { dispatcher: d, outbox } = dispatcher({ timeoutMs: 150 });
    d.start();
    await d.enqueue(makeCase('case-slow'), null);
    await eventually(allNotified(['case-slow']), 'notified');
    await d.drain();

    expectExactlyOnce(['case-slow']);
    expect(helpdesk.createRequestsFor('case-slow').length).toBeGreaterThanOrEqual(2);
    expect(logs.find((line) => line.event === 'handoff.retry')!.fields).toMatchObject({ caseId: 'case-slow', attempt: 1, errorClass: 'timeout' });
    expect(await outbox.get('case-slow')).toMatchObject({ status: 'delivered', reference: 'HD-0001' });
    expect((await outbox.get('case-slow'))!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('When the helpdesk answers 400, Then the entry fails at once without retries and the user is told once', async () => {
    helpdesk.failNext(1, 400);
    const { dispatcher: d, outbox } = dispatcher();
    d.start();
    await d.enqueue(makeCase('case-400'), { id: 'conv' });
    await eventually(allNotified(['case-400']), 'notified');
    await settle(150);
    await d.drain();

    expect(notifications).toEqual([{ caseId: 'case-400', event: 'failed', conversation: { id: 'conv' }, by: 'A' }]);
    expect(helpdesk.requests).toHaveLength(1);
    expect(helpdesk.tickets).toHaveLength(0);
    expect(await outbox.get('case-400')).toMatchObject({ status: 'failed', failureReason: 'rejected', attempts: 1, lastError: { errorClass: 'rejected', status: 400 } });
    expect(logs.find((line) => line.event === 'handoff.failed')).toMatchObject({ level: 'error', fields: { caseId: 'case-400', attempt: 1, status: 400, errorClass: 'rejected', reason: 'rejected' } });
  });

  it('When the helpdesk stays down past the max age, Then the entry is marked failed (expired) and the user is told once', async () => {
    await helpdesk.down();
    const { dispatcher: d, outbox } = dispatcher({ retry: { baseDelayMs: 20, maxDelayMs: 50, maxAgeMs: 300 } });
    d.start();
    await d.enqueue(makeCase('case-old'), null);
    await eventually(allNotified(['case-old']), 'notified', 3_000);
    await settle(100);
    await d.drain();

    expect(notifications.map((n) => [n.caseId, n.event])).toEqual([['case-old', 'failed']]);
    const entry = await outbox.get('case-old');
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
    for (const caseId of caseIds) await first.dispatcher.enqueue(makeCase(caseId), { id: caseId });
    await eventually(async () => (await Promise.all(caseIds.map((id) => first.outbox.get(id)))).every((e) => e!.attempts >= 1), 'attempted');
    await first.dispatcher.stop();
    first.outbox.close();

    await helpdesk.up();
    const second = dispatcher({ name: 'after' });
    second.dispatcher.start();
    await eventually(allNotified(caseIds), 'delivered after the restart');
    await second.dispatcher.drain();

    expectExactlyOnce(caseIds);
    expect(notifications.every((n) => n.by === 'after')).toBe(true);
    expect(notifications.map((n) => n.conversation)).toEqual(expect.arrayContaining(caseIds.map((id) => ({ id }))));
  });

  it('When the bot stops after a delivery but before telling the user, Then the next dispatcher tells the user once, without a second ticket', async () => {
    const first = dispatcher({
      name: 'before',
      notify: async () => {
        throw new Error('connector unreachable');
      },
      retry: { baseDelayMs: 5_000, maxDelayMs: 5_000, maxAgeMs: 60_000 },
    });
    await first.dispatcher.enqueue(makeCase('case-told-later'), { id: 'conv' });
    await eventually(() => logs.some((line) => line.event === 'handoff.notify-failed'), 'first notification failed');
    await first.dispatcher.stop();
    expect(await first.outbox.get('case-told-later')).toMatchObject({ status: 'delivered', notifyAttempts: 1 });
    first.outbox.close();

    // The failed notification is due again only after its backoff: a restarted bot picks it up then.
    const second = dispatcher({ name: 'after', clock: { now: () => Date.now() + 10_000 } });
    second.dispatcher.start();
    await eventually(allNotified(['case-told-later']), 'notified after the restart');
    await second.dispatcher.drain();

    expectExactlyOnce(['case-told-later']);
    expect(notifications[0]).toMatchObject({ by: 'after', conversation: { id: 'conv' } });
    expect(helpdesk.requests).toHaveLength(1);
  });

  it('When notify fails once, Then it is retried and the user is told exactly once', async () => {
    let calls = 0;
    const { dispatcher: d, outbox } = dispatcher({
      notify: async (entry, event) => {
        calls += 1;
        if (calls === 1) throw new Error(`send failed for ${entry.handoffCase.note}`);
        notifications.push({ caseId: entry.caseId, event, ...(entry.reference ? { reference: entry.reference } : {}), conversation: entry.conversation, by: 'A' });
      },
    });
    d.start();
    await d.enqueue(makeCase('case-notify'), null);
    await eventually(allNotified(['case-notify']), 'notified');
    await settle(100);
    await d.drain();

    expect(calls).toBe(2);
    expectExactlyOnce(['case-notify']);
    expect(await outbox.get('case-notify')).toMatchObject({ notifyAttempts: 1 });
    expect(logs.find((line) => line.event === 'handoff.notify-failed')!.fields).toMatchObject({ caseId: 'case-notify', errorClass: 'Error' });
    expect(JSON.stringify(logs)).not.toContain(NOTE_MARKER);
  });

  it('When two dispatchers work on one file, Then each case is sent once and the user told once', async () => {
    helpdesk.delayNext(4, 60); // slow answers widen the window in which both could try
    const a = dispatcher({ name: 'A' });
    const b = dispatcher({ name: 'B' });
    a.dispatcher.start();
    b.dispatcher.start();
    const caseIds = Array.from({ length: 10 }, (_, i) => `pair-${i}`);
    for (const [i, caseId] of caseIds.entries()) await (i % 2 === 0 ? a : b).dispatcher.enqueue(makeCase(caseId), { i });
    await eventually(allNotified(caseIds), 'all notified');
    await settle(100);
    await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);

    expectExactlyOnce(caseIds);
    for (const caseId of caseIds) expect(helpdesk.createRequestsFor(caseId)).toHaveLength(1);
  });

  it('When two dispatchers race for the same due entries, Then the atomic claim lets only one attempt each', async () => {
    await helpdesk.down();
    const a = dispatcher({ name: 'A' });
    const caseIds = Array.from({ length: 6 }, (_, i) => `race-${i}`);
    // Stored while nothing runs (stopped dispatcher: store only).
    await a.dispatcher.stop();
    for (const caseId of caseIds) await a.dispatcher.enqueue(makeCase(caseId), null);
    await helpdesk.up();
    helpdesk.delayNext(6, 80);
    const b = dispatcher({ name: 'B', concurrency: 10 });
    const c = dispatcher({ name: 'C', concurrency: 10 });
    const refused: string[] = [];
    for (const { outbox } of [b, c]) {
      const claim = outbox.claim.bind(outbox);
      outbox.claim = async (caseId, owner, now, until) => {
        const taken = await claim(caseId, owner, now, until);
        if (!taken) refused.push(caseId);
        return taken;
      };
    }
    // Both see the same six due entries and go for all of them at the same moment.
    await Promise.all([b.dispatcher.poll(), c.dispatcher.poll()]);
    await eventually(allNotified(caseIds), 'all notified', 3_000);

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
    for (const [i, caseId] of caseIds.slice(0, 6).entries()) await (i % 2 === 0 ? a : b).dispatcher.enqueue(makeCase(caseId), { i });
    await settle(50);
    await helpdesk.down();
    for (const [i, caseId] of caseIds.slice(6).entries()) await (i % 2 === 0 ? a : b).dispatcher.enqueue(makeCase(caseId), { i });
    await settle(250);
    helpdesk.failNext(2, 429, { 'retry-after': '0' });
    await helpdesk.up();
    await eventually(allNotified(caseIds), 'all notified', 8_000);
    await settle(100);
    await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);

    expectExactlyOnce(caseIds);
    const text = JSON.stringify(logs);
    for (const marker of [PASTE_MARKER, NOTE_MARKER, SUMMARY_MARKER, 'VM Agent unable', 'HD-0']) expect(text).not.toContain(marker);
    for (const line of logs) for (const key of Object.keys(line.fields)) expect(ALLOWED_LOG_FIELDS).toContain(key);
  });

  it('When the same case is enqueued twice, Then it is stored, sent and told once', async () => {
    const { dispatcher: d, outbox } = dispatcher();
    d.start();
    const first = await d.enqueue(makeCase('case-twice'), { n: 1 });
    const second = await d.enqueue(makeCase('case-twice'), { n: 2 });
    expect(second.createdAt).toBe(first.createdAt);
    await eventually(allNotified(['case-twice']), 'notified');
    await settle(100);
    await d.drain();
    expectExactlyOnce(['case-twice']);
    expect(notifications[0]!.conversation).toEqual({ n: 1 });
    expect(outbox.list()).toHaveLength(1);
  });

  it('When stop is called during an attempt, Then it waits for it; after stop a case is only stored', async () => {
    helpdesk.delayNext(1, 200);
    const { dispatcher: d, outbox } = dispatcher();
    await d.enqueue(makeCase('case-inflight'), null);
    await eventually(() => helpdesk.requests.length === 1, 'request sent');
    await d.stop();
    expect(await outbox.get('case-inflight')).toMatchObject({ status: 'delivered' });
    expect(notifiedCount('case-inflight')).toBe(1);

    await d.enqueue(makeCase('case-after-stop'), null);
    await settle(100);
    expect(helpdesk.requests).toHaveLength(1);
    expect(await outbox.get('case-after-stop')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('When the case id cannot travel in a header, Then enqueue refuses it and stores nothing', async () => {
    const { dispatcher: d, outbox } = dispatcher();
    await expect(d.enqueue(makeCase('bad id\n'), null)).rejects.toThrow(RangeError);
    expect(outbox.list()).toEqual([]);
  });
});
