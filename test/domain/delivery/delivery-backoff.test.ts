/**
 * Backoff, give-up and settling bookkeeping with a hand-driven clock and a
 * scripted ticket client behind the real ticket handler: deterministic, no
 * network, no timers.
 */
import type { ConversationReference } from 'botbuilder';
import { SqliteDeliveryStore } from '../../../src/data-access/sqlite-delivery-store';
import { ticketHandler } from '../../../src/bot/ticket-delivery';
import type { ProactiveMessenger } from '../../../src/bot/proactive';
import { DeliveryDispatcher, backoffDelay } from '../../../src/domain/delivery/delivery-dispatcher';
import { TicketError, type TicketClient, type TicketReceipt } from '../../../src/domain/handoff/ticket';
import { HANDOFF_TEXTS } from '../../../src/domain/i18n/handoff-texts';
import { makeCase } from '../../support/fake-helpdesk';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 1_000, maxDelayMs: 300_000 };

  it('When attempts keep failing, Then the delay doubles from the base up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(20, policy, () => 0.999999)).toBe(300_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(150_000);
  });

  it('When the receiver asks for a Retry-After, Then the delay is at least that, capped at the max', () => {
    expect(backoffDelay(1, policy, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelay(1, policy, () => 0, 3_600_000)).toBe(300_000);
    expect(backoffDelay(5, policy, () => 0, 10)).toBe(8_000);
  });
});

describe('DeliveryDispatcher with a hand-driven clock, tickets', () => {
  let now: number;
  let store: SqliteDeliveryStore;
  let script: (TicketReceipt | TicketError)[];
  let attempts: number[];
  let told: string[];
  let send: ProactiveMessenger['send'];

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
  const messenger: ProactiveMessenger = { send: (reference: Partial<ConversationReference>, text: string) => send(reference, text) };

  function make(): DeliveryDispatcher {
    return new DeliveryDispatcher({
      store,
      handlers: { ticket: ticketHandler(client, messenger, { retry: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAgeMs: 3_600_000 } }) },
      clock: { now: () => now },
      random: () => 0,
    });
  }

  const enqueue = (dispatcher: DeliveryDispatcher, caseId: string) => dispatcher.enqueue({ id: caseId, kind: 'ticket', payload: makeCase(caseId), conversation: null, dueAt: now });

  beforeEach(() => {
    now = 1_000_000;
    store = new SqliteDeliveryStore(':memory:');
    script = [];
    attempts = [];
    told = [];
    send = async (_reference, text) => {
      told.push(text);
    };
  });
  afterEach(() => store.close());

  it('When attempts fail, Then each retry is due after the backoff and not before', async () => {
    script = [new TicketError('server-error', true, 502), new TicketError('network', true), { reference: 'R-1', status: 201 }];
    const dispatcher = make();
    await enqueue(dispatcher, 'c1');
    await dispatcher.drain();
    expect(await store.get('c1')).toMatchObject({ attempts: 1, nextAttemptAt: now + 500 });

    now += 499;
    await dispatcher.poll();
    expect(attempts).toEqual([1]);
    now += 1;
    await dispatcher.poll();
    expect(attempts).toEqual([1, 2]);
    expect(await store.get('c1')).toMatchObject({ attempts: 2, nextAttemptAt: now + 1_000, lastError: { errorClass: 'network' } });

    now += 1_000;
    await dispatcher.poll();
    expect(attempts).toEqual([1, 2, 3]);
    expect(told).toEqual([HANDOFF_TEXTS.en.messages.delivered('R-1')]);
    now += 100_000;
    await dispatcher.poll();
    expect(told).toHaveLength(1);
  });

  it('When the helpdesk asks to wait (429 with Retry-After), Then the next attempt waits that long', async () => {
    script = [new TicketError('throttled', true, 429, 20_000), { reference: 'R-1', status: 201 }];
    const dispatcher = make();
    await enqueue(dispatcher, 'c1');
    await dispatcher.drain();
    expect(await store.get('c1')).toMatchObject({ nextAttemptAt: now + 20_000 });
  });

  it('When the next attempt would come after the max age, Then the entry fails as expired and the user is told, with the summary', async () => {
    script = [new TicketError('timeout', true), new TicketError('timeout', true)];
    const dispatcher = make();
    await enqueue(dispatcher, 'c1');
    await dispatcher.drain();
    now += 3_600_000 - 100; // a retry now would be followed by one past the max age
    await dispatcher.poll();
    expect(await store.get('c1')).toMatchObject({ status: 'failed', failureReason: 'expired', attempts: 2, lastError: { errorClass: 'timeout' } });
    expect(told).toEqual([`${HANDOFF_TEXTS.en.messages.failed}\n\n\`\`\`\n${makeCase('c1').summary}\n\`\`\``]);
  });

  it('When an unexpected error comes out of the client, Then it is retried like a transient one', async () => {
    script = [];
    const dispatcher = make();
    await enqueue(dispatcher, 'c1');
    await dispatcher.drain();
    expect(await store.get('c1')).toMatchObject({ status: 'pending', lastError: { errorClass: 'Error' } });
  });

  it('When telling the user keeps failing past the max age, Then it is abandoned and never attempted again', async () => {
    script = [{ reference: 'R-1', status: 201 }];
    send = async () => {
      throw new Error('bot cannot reach the channel');
    };
    const dispatcher = make();
    await enqueue(dispatcher, 'c1');
    await dispatcher.drain();
    expect(await store.get('c1')).toMatchObject({ status: 'delivered', settleAttempts: 1, nextAttemptAt: now + 500 });
    for (let i = 0; i < 100; i += 1) {
      now += 60_000;
      await dispatcher.poll();
    }
    const entry = await store.get('c1');
    expect(entry!.settleAbandonedAt).toEqual(expect.any(Number));
    expect(entry!.settledAt).toBeUndefined();
    expect(await store.due(now + 10 ** 9, 10, ['ticket'])).toEqual([]);
  });

  it('When the options are inconsistent, Then the dispatcher refuses to start', () => {
    const handlers = { ticket: ticketHandler(client, messenger) };
    expect(() => new DeliveryDispatcher({ store, handlers, retry: { baseDelayMs: 10, maxDelayMs: 5 } })).toThrow(RangeError);
    expect(() => new DeliveryDispatcher({ store, handlers: { ticket: ticketHandler(client, messenger, { retry: { maxAgeMs: -1 } }) } })).toThrow(/ticket/);
    expect(() => new DeliveryDispatcher({ store, handlers, attemptTimeoutMs: 10_000, leaseMs: 5_000 })).toThrow('leaseMs');
  });

  it('When a stored case id cannot travel in a header, Then the ticket fails at once without calling the helpdesk', async () => {
    const dispatcher = make();
    await dispatcher.enqueue({ id: 'c1', kind: 'ticket', payload: makeCase('bad id\n'), conversation: null, dueAt: now });
    await dispatcher.drain();
    expect(attempts).toEqual([]);
    expect(await store.get('c1')).toMatchObject({ status: 'failed', failureReason: 'rejected', lastError: { errorClass: 'invalid-case-id' } });
  });
});
