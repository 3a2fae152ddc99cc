/**
 * Backoff, give-up and notification bookkeeping with a hand-driven clock and a
 * scripted ticket client: deterministic, no network, no timers.
 */
import { SqliteOutbox } from '../../../src/data-access/sqlite-outbox';
import { HandoffDispatcher, backoffDelay, type Notify } from '../../../src/domain/handoff/dispatcher';
import { TicketError, type TicketClient, type TicketReceipt } from '../../../src/domain/handoff/ticket';
import { makeCase } from '../../support/fake-helpdesk';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 1_000, maxDelayMs: 300_000 };

  it('When attempts keep failing, Then the delay doubles from the base up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(20, policy, () => 0.999999)).toBe(300_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(150_000);
  });

  it('When the helpdesk asks for a Retry-After, Then the delay is at least that, capped at the max', () => {
    expect(backoffDelay(1, policy, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelay(1, policy, () => 0, 3_600_000)).toBe(300_000);
    expect(backoffDelay(5, policy, () => 0, 10)).toBe(8_000);
  });
});

describe('HandoffDispatcher with a hand-driven clock', () => {
  let now: number;
  let outbox: SqliteOutbox;
  let script: (TicketReceipt | TicketError)[];
  let attempts: number[];
  let told: string[];
  let notify: Notify;

  const client: TicketClient = {
    kind: 'scripted',
    create: async (_handoffCase, options) => {
      attempts.push(options.attempt);
      const next = script.shift();
      if (next === undefined) throw new Error('script ran out');
      if (next instanceof TicketError) throw next;
      return next;
    },
  };

  function make(): HandoffDispatcher {
    return new HandoffDispatcher({
      outbox,
      client,
      notify: (entry, event) => notify(entry, event),
      clock: { now: () => now },
      random: () => 0,
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAgeMs: 3_600_000 },
    });
  }

  beforeEach(() => {
    now = 1_000_000;
    outbox = new SqliteOutbox(':memory:');
    script = [];
    attempts = [];
    told = [];
    notify = async (entry, event) => {
      told.push(`${entry.caseId}:${event}:${entry.reference ?? '-'}`);
    };
  });
  afterEach(() => outbox.close());

  it('When attempts fail, Then each retry is due after the backoff and not before', async () => {
    script = [new TicketError('server-error', true, 502), new TicketError('network', true), { reference: 'R-1', status: 201 }];
    const dispatcher = make();
    await dispatcher.enqueue(makeCase('c1'), null);
    await dispatcher.drain();
    expect(await outbox.get('c1')).toMatchObject({ attempts: 1, nextAttemptAt: now + 500 });

    now += 499;
    await dispatcher.poll();
    expect(attempts).toEqual([1]);
    now += 1;
    await dispatcher.poll();
    expect(attempts).toEqual([1, 2]);
    expect(await outbox.get('c1')).toMatchObject({ attempts: 2, nextAttemptAt: now + 1_000, lastError: { errorClass: 'network' } });

    now += 1_000;
    await dispatcher.poll();
    expect(attempts).toEqual([1, 2, 3]);
    expect(told).toEqual(['c1:delivered:R-1']);
    now += 100_000;
    await dispatcher.poll();
    expect(told).toHaveLength(1);
  });

  it('When the helpdesk asks to wait (429 with Retry-After), Then the next attempt waits that long', async () => {
    script = [new TicketError('throttled', true, 429, 20_000), { reference: 'R-1', status: 201 }];
    const dispatcher = make();
    await dispatcher.enqueue(makeCase('c1'), null);
    await dispatcher.drain();
    expect(await outbox.get('c1')).toMatchObject({ nextAttemptAt: now + 20_000 });
  });

  it('When the next attempt would come after the max age, Then the entry fails as expired and the user is told', async () => {
    script = [new TicketError('timeout', true), new TicketError('timeout', true)];
    const dispatcher = make();
    await dispatcher.enqueue(makeCase('c1'), null);
    await dispatcher.drain();
    now += 3_600_000 - 100; // a retry now would be followed by one past the max age
    await dispatcher.poll();
    expect(await outbox.get('c1')).toMatchObject({ status: 'failed', failureReason: 'expired', attempts: 2, lastError: { errorClass: 'timeout' } });
    expect(told).toEqual(['c1:failed:-']);
  });

  it('When an unexpected error comes out of the client, Then it is retried like a transient one', async () => {
    script = [];
    const dispatcher = make();
    await dispatcher.enqueue(makeCase('c1'), null);
    await dispatcher.drain();
    expect(await outbox.get('c1')).toMatchObject({ status: 'pending', lastError: { errorClass: 'Error' } });
  });

  it('When telling the user keeps failing past the max age, Then it is abandoned and never attempted again', async () => {
    script = [{ reference: 'R-1', status: 201 }];
    notify = async () => {
      throw new Error('bot cannot reach the channel');
    };
    const dispatcher = make();
    await dispatcher.enqueue(makeCase('c1'), null);
    await dispatcher.drain();
    expect(await outbox.get('c1')).toMatchObject({ status: 'delivered', notifyAttempts: 1, nextAttemptAt: now + 500 });
    for (let i = 0; i < 100; i += 1) {
      now += 60_000;
      await dispatcher.poll();
    }
    const entry = await outbox.get('c1');
    expect(entry!.notifyAbandonedAt).toEqual(expect.any(Number));
    expect(entry!.notifiedAt).toBeUndefined();
    expect(await outbox.due(now + 10 ** 9, 10)).toEqual([]);
  });

  it('When the options are inconsistent, Then the dispatcher refuses to start', () => {
    expect(() => new HandoffDispatcher({ outbox, client, notify, retry: { baseDelayMs: 10, maxDelayMs: 5 } })).toThrow(RangeError);
    expect(() => new HandoffDispatcher({ outbox, client, notify, attemptTimeoutMs: 10_000, leaseMs: 5_000 })).toThrow('leaseMs');
  });
});
