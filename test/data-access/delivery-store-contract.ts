/**
 * What every DeliveryStore (src/domain/delivery/delivery-store.ts) does, run on
 * each implementation: SQLite (sqlite-delivery-store.test.ts) and Azure Table
 * storage. The dispatcher counts on each of these rules for "exactly once"; a
 * store that passes them can sit under it.
 *
 * Only the port is used (no listing, no SQL): a test here must hold for any store.
 * Times are real epoch milliseconds (a store may keep them as dates), and every
 * boundary the dispatcher relies on is pinned: a claim until T still holds at T;
 * an entry is due when nextAttemptAt <= now; openFor takes entries created strictly
 * after `since`; prune forgets what ended strictly before `before`.
 *
 * Not a test file itself (no `.test.ts`): it only declares the tests for a store.
 */
import type { DeliveryEntry, DeliveryKind, DeliveryStore, NewDelivery } from '../../src/domain/delivery/delivery-store';

export interface ContractDeliveryStore {
  store: DeliveryStore;
  /** Closes the store and removes whatever it wrote (file, table). */
  cleanup(): Promise<void>;
}

/** 2025-03-10T10:13:20Z: a real epoch, so stores that keep dates are exercised too. */
const T = 1_741_601_600_000;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const conversationOf = (id: string) => ({ conversation: { id: `conv-${id}`, isGroup: false }, serviceUrl: 'https://smba.example/teams/', channelId: 'msteams' });

/** A payload with what JSON can hold: nesting, arrays, numbers, booleans, null, and text in both languages. */
const payloadOf = (id: string) => ({ caseId: id, language: 'ja', summary: 'バックアップが失敗しました — "quoted", back\\slash', counts: [1, 2.5, -3], flags: { ok: true, none: null }, nested: { deeper: { list: [{ a: 'x' }] } } });

function delivery(id: string, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return { id, kind: 'ticket', payload: payloadOf(id), conversation: conversationOf(id), dueAt: T, ...overrides };
}

export function describeDeliveryStoreContract(name: string, makeStore: () => Promise<ContractDeliveryStore>): void {
  describe(`${name}: the delivery store contract`, () => {
    let store: DeliveryStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });

    afterEach(async () => {
      await cleanup();
    });

    /** Adds, claims as `owner` at `at`, and returns the stored entry. */
    async function claimed(newDelivery: NewDelivery, owner = 'me', at = newDelivery.dueAt, created = T): Promise<DeliveryEntry> {
      await store.add(newDelivery, created);
      expect(await store.claim(newDelivery.id, owner, at, at + MINUTE)).toBe(true);
      return (await store.get(newDelivery.id))!;
    }

    /** Adds and takes it to delivered as `owner` (claim released). */
    async function delivered(newDelivery: NewDelivery, at = newDelivery.dueAt, owner = 'me'): Promise<void> {
      await claimed(newDelivery, owner, at);
      expect(await store.startAttempt(newDelivery.id, owner, at)).toBe(1);
      expect(await store.markDelivered(newDelivery.id, owner, `REF-${newDelivery.id}`, at)).toBe(true);
      await store.release(newDelivery.id, owner);
    }

    /** Adds and takes it to failed (rejected) as `owner` (claim released). */
    async function failed(newDelivery: NewDelivery, at = newDelivery.dueAt, owner = 'me'): Promise<void> {
      await claimed(newDelivery, owner, at);
      expect(await store.startAttempt(newDelivery.id, owner, at)).toBe(1);
      expect(await store.markFailed(newDelivery.id, owner, 'rejected', { errorClass: 'rejected', status: 400 }, at)).toBe(true);
      await store.release(newDelivery.id, owner);
    }

    describe('add and get', () => {
      it('When a delivery is added, Then it is pending, due at its dueAt, with payload and conversation as given and nothing else set', async () => {
        const { entry, created } = await store.add(delivery('d-1', { kind: 'follow-up', userKey: 'webchat:u-1', dueAt: T + DAY }), T);
        expect(created).toBe(true);
        const expected: DeliveryEntry = {
          id: 'd-1',
          kind: 'follow-up',
          payload: payloadOf('d-1'),
          conversation: conversationOf('d-1'),
          userKey: 'webchat:u-1',
          status: 'pending',
          attempts: 0,
          createdAt: T,
          nextAttemptAt: T + DAY,
          dueAt: T + DAY,
          settleAttempts: 0,
        };
        expect(entry).toEqual(expected);
        expect(await store.get('d-1')).toEqual(expected);
        // No optional field is set, not even to undefined-looking values.
        for (const key of ['reference', 'lastError', 'failureReason', 'deliveredAt', 'failedAt', 'settledAt', 'settleAbandonedAt', 'cancelledAt'] as const) {
          expect(entry[key]).toBeUndefined();
          expect((await store.get('d-1'))![key]).toBeUndefined();
        }
      });

      it('When a delivery has no user key and a null conversation, Then it comes back so', async () => {
        await store.add(delivery('d-1', { conversation: null }), T);
        const entry = await store.get('d-1');
        expect(entry!.userKey).toBeUndefined();
        expect(entry!.conversation).toBeNull();
      });

      it('When the same id is added again, Then the first entry is returned unchanged with created false and stays the only one', async () => {
        await store.add(delivery('d-1'), T);
        const again = await store.add(delivery('d-1', { kind: 'follow-up', payload: { other: true }, conversation: { other: true }, userKey: 'x', dueAt: T + DAY }), T + MINUTE);
        expect(again.created).toBe(false);
        expect(again.entry).toMatchObject({ id: 'd-1', kind: 'ticket', payload: payloadOf('d-1'), conversation: conversationOf('d-1'), createdAt: T, nextAttemptAt: T });
        expect(again.entry.userKey).toBeUndefined();
        expect(await store.get('d-1')).toEqual(again.entry);
        expect(await store.due(T + DAY, 10, ['ticket', 'follow-up'])).toEqual(['d-1']);
      });

      it('When the same id is added twice at once, Then exactly one add creates it', async () => {
        const results = await Promise.all([store.add(delivery('d-1', { payload: { n: 1 } }), T), store.add(delivery('d-1', { payload: { n: 2 } }), T)]);
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(results[0]!.entry.payload).toEqual(results[1]!.entry.payload);
      });

      it('When an id was never added, Then get returns undefined', async () => {
        expect(await store.get('missing')).toBeUndefined();
      });
    });

    describe('due', () => {
      it('When entries fall due at different times, Then due lists those with nextAttemptAt <= now, oldest due first, at most limit', async () => {
        // Ids and creation order run against the due order, so another order would show.
        await store.add(delivery('a-last', { dueAt: T + 3 * SECOND }), T);
        await store.add(delivery('b-second', { dueAt: T + 2 * SECOND }), T + 1);
        await store.add(delivery('c-first', { dueAt: T + SECOND }), T + 2);
        await store.add(delivery('d-future', { dueAt: T + DAY }), T + 3);
        expect(await store.due(T, 10, ['ticket'])).toEqual([]);
        expect(await store.due(T + SECOND, 10, ['ticket'])).toEqual(['c-first']);
        expect(await store.due(T + 3 * SECOND, 10, ['ticket'])).toEqual(['c-first', 'b-second', 'a-last']);
        expect(await store.due(T + 3 * SECOND, 2, ['ticket'])).toEqual(['c-first', 'b-second']);
      });

      it('When pending entries are of kinds that do not settle, Then they are due all the same (settlingKinds is about settling only)', async () => {
        await store.add(delivery('ticket-1'), T);
        await store.add(delivery('follow-1', { kind: 'follow-up', dueAt: T + 1 }), T);
        await store.add(delivery('post-1', { kind: 'teams-post', dueAt: T + 2 }), T);
        expect(await store.due(T + 2, 10, [])).toEqual(['ticket-1', 'follow-1', 'post-1']);
      });

      it('When entries are delivered or failed, Then they are due for settling only if their kind is among the settling kinds', async () => {
        await delivered(delivery('ticket-ok'), T);
        await failed(delivery('ticket-ko', { dueAt: T + 1 }), T + 1);
        await delivered(delivery('follow-ok', { kind: 'follow-up', dueAt: T + 2 }), T + 2);
        expect(await store.get('ticket-ok')).toMatchObject({ status: 'delivered', nextAttemptAt: T });
        expect(await store.get('ticket-ko')).toMatchObject({ status: 'failed', nextAttemptAt: T + 1 });
        expect(await store.due(T + 5, 10, ['ticket'])).toEqual(['ticket-ok', 'ticket-ko']);
        expect(await store.due(T + 5, 10, ['ticket', 'follow-up'])).toEqual(['ticket-ok', 'ticket-ko', 'follow-ok']);
        expect(await store.due(T + 5, 10, [])).toEqual([]);
        expect(await store.due(T + 5, 10, ['teams-post'])).toEqual([]);
      });

      it('When an entry is settled, abandoned or cancelled, Then it is never due again', async () => {
        await delivered(delivery('settled'), T);
        await store.claim('settled', 'me', T, T + MINUTE);
        expect(await store.settle('settled', 'me', T + 1)).toBe(true);
        await store.release('settled', 'me');
        await failed(delivery('abandoned'), T);
        await store.claim('abandoned', 'me', T, T + MINUTE);
        expect(await store.abandonSettle('abandoned', 'me', T + 1)).toBe(true);
        await store.release('abandoned', 'me');
        await store.add(delivery('cancelled'), T);
        expect(await store.cancel('cancelled', T + 1)).toBe(true);
        await store.add(delivery('answered-while-pending', { kind: 'follow-up' }), T);
        expect(await store.settle('answered-while-pending', null, T + 1)).toBe(true);
        expect(await store.due(T + 365 * DAY, 10, ['ticket', 'follow-up', 'teams-post'])).toEqual([]);
      });

      it('When an entry is claimed, Then it is not due until the claim is released or has lapsed', async () => {
        await store.add(delivery('d-1'), T);
        await store.add(delivery('d-2', { dueAt: T + 1 }), T);
        expect(await store.claim('d-1', 'other', T, T + MINUTE)).toBe(true);
        expect(await store.due(T + 1, 10, ['ticket'])).toEqual(['d-2']);
        expect(await store.due(T + MINUTE, 10, ['ticket'])).toEqual(['d-2']);
        expect(await store.due(T + MINUTE + 1, 10, ['ticket'])).toEqual(['d-1', 'd-2']);
        await store.release('d-1', 'other');
        expect(await store.due(T + 1, 10, ['ticket'])).toEqual(['d-1', 'd-2']);
      });
    });

    describe('claims', () => {
      it('When two owners claim one entry, Then only the first holds it until it lapses; the holder may extend it', async () => {
        await store.add(delivery('d-1'), T);
        expect(await store.claim('d-1', 'a', T, T + 100)).toBe(true);
        expect(await store.claim('d-1', 'b', T + 1, T + 200)).toBe(false);
        expect(await store.claim('d-1', 'a', T + 50, T + 150)).toBe(true);
        // Still held at the very end of the lease…
        expect(await store.claim('d-1', 'b', T + 150, T + 300)).toBe(false);
        // …and free right after.
        expect(await store.claim('d-1', 'b', T + 151, T + 300)).toBe(true);
        expect(await store.claim('d-1', 'a', T + 152, T + 400)).toBe(false);
      });

      it('When many owners claim one free entry at the same moment, Then exactly one gets it', async () => {
        await store.add(delivery('d-1'), T);
        const owners = Array.from({ length: 8 }, (_, index) => `owner-${index}`);
        const taken = await Promise.all(owners.map((owner) => store.claim('d-1', owner, T, T + MINUTE)));
        expect(taken.filter(Boolean)).toHaveLength(1);
        const winner = owners[taken.indexOf(true)]!;
        expect(await store.startAttempt('d-1', winner, T)).toBe(1);
        for (const owner of owners.filter((each) => each !== winner)) expect(await store.startAttempt('d-1', owner, T)).toBeUndefined();
      });

      it('When a claim lapsed and another owner took it, Then the old owner can change nothing and its release frees nothing', async () => {
        await store.add(delivery('d-1'), T);
        await store.claim('d-1', 'old', T, T + 100);
        expect(await store.startAttempt('d-1', 'old', T)).toBe(1);
        expect(await store.claim('d-1', 'new', T + 101, T + MINUTE)).toBe(true);
        expect(await store.startAttempt('d-1', 'old', T + 102)).toBeUndefined();
        expect(await store.scheduleRetry('d-1', 'old', T + SECOND, { errorClass: 'timeout' })).toBe(false);
        expect(await store.reschedule('d-1', 'old', T + SECOND, { replaced: true })).toBe(false);
        expect(await store.markDelivered('d-1', 'old', 'REF', T + 102)).toBe(false);
        expect(await store.markFailed('d-1', 'old', 'rejected', { errorClass: 'rejected', status: 400 }, T + 102)).toBe(false);
        await store.release('d-1', 'old');
        expect(await store.claim('d-1', 'third', T + 103, T + MINUTE)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'pending', attempts: 1, payload: payloadOf('d-1'), nextAttemptAt: T });
        await store.release('d-1', 'new');
        expect(await store.claim('d-1', 'third', T + 104, T + MINUTE)).toBe(true);
      });

      it('When an owner never claimed an entry, Then none of the owner-only changes apply', async () => {
        await store.add(delivery('d-1'), T);
        expect(await store.startAttempt('d-1', 'me', T)).toBeUndefined();
        expect(await store.scheduleRetry('d-1', 'me', T + 1, { errorClass: 'timeout' })).toBe(false);
        expect(await store.reschedule('d-1', 'me', T + 1)).toBe(false);
        expect(await store.markDelivered('d-1', 'me', 'REF', T)).toBe(false);
        expect(await store.markFailed('d-1', 'me', 'expired', undefined, T)).toBe(false);
        expect(await store.settle('d-1', 'me', T)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T });
      });

      it('When an id was never added, Then claim is refused and release does nothing', async () => {
        expect(await store.claim('missing', 'me', T, T + MINUTE)).toBe(false);
        await expect(store.release('missing', 'me')).resolves.toBeUndefined();
        expect(await store.get('missing')).toBeUndefined();
      });
    });

    describe('attempts', () => {
      it('When attempts start, Then each is counted before it runs and the count survives retries', async () => {
        await claimed(delivery('d-1'));
        expect(await store.startAttempt('d-1', 'me', T)).toBe(1);
        expect(await store.scheduleRetry('d-1', 'me', T + SECOND, { errorClass: 'server-error', status: 503 })).toBe(true);
        expect(await store.startAttempt('d-1', 'me', T + SECOND)).toBe(2);
        expect(await store.startAttempt('d-1', 'me', T + SECOND)).toBe(3);
        expect(await store.get('d-1')).toMatchObject({ attempts: 3 });
      });

      it('When an attempt fails and may succeed later, Then scheduleRetry makes it due later with the problem kept, status and all', async () => {
        await claimed(delivery('d-1'));
        await store.startAttempt('d-1', 'me', T);
        expect(await store.scheduleRetry('d-1', 'me', T + 500, { errorClass: 'server-error', status: 503 })).toBe(true);
        await store.release('d-1', 'me');
        expect(await store.get('d-1')).toMatchObject({ status: 'pending', nextAttemptAt: T + 500, dueAt: T, lastError: { errorClass: 'server-error', status: 503 } });
        expect(await store.due(T + 499, 10, ['ticket'])).toEqual([]);
        expect(await store.due(T + 500, 10, ['ticket'])).toEqual(['d-1']);
        await store.claim('d-1', 'me', T + 500, T + MINUTE);
        await store.startAttempt('d-1', 'me', T + 500);
        expect(await store.scheduleRetry('d-1', 'me', T + 1_500, { errorClass: 'network' })).toBe(true);
        // A problem without a status replaces the last one whole: no status left over from before.
        expect((await store.get('d-1'))!.lastError).toEqual({ errorClass: 'network' });
      });

      it('When an entry is rescheduled without a payload, Then only its due times move: attempts, payload and the last problem stay', async () => {
        await claimed(delivery('d-1'));
        await store.startAttempt('d-1', 'me', T);
        await store.scheduleRetry('d-1', 'me', T + 10, { errorClass: 'timeout' });
        await store.startAttempt('d-1', 'me', T + 10);
        expect(await store.reschedule('d-1', 'me', T + DAY)).toBe(true);
        expect(await store.get('d-1')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: T + DAY, dueAt: T + DAY, payload: payloadOf('d-1'), lastError: { errorClass: 'timeout' } });
      });

      it('When an entry is rescheduled with a payload, Then the new payload replaces the old one whole', async () => {
        await claimed(delivery('d-1', { kind: 'follow-up' }));
        await store.startAttempt('d-1', 'me', T);
        expect(await store.reschedule('d-1', 'me', T + DAY, { ask: 2, note: '二回目' })).toBe(true);
        await store.release('d-1', 'me');
        const entry = await store.get('d-1');
        expect(entry).toMatchObject({ nextAttemptAt: T + DAY, dueAt: T + DAY, attempts: 1 });
        expect(entry!.payload).toEqual({ ask: 2, note: '二回目' });
        expect(await store.due(T + DAY - 1, 10, [])).toEqual([]);
        expect(await store.due(T + DAY, 10, [])).toEqual(['d-1']);
      });

      it('When an entry is no longer pending, Then attempts, retries and reschedules are refused', async () => {
        await delivered(delivery('d-1'));
        await store.claim('d-1', 'me', T, T + MINUTE);
        expect(await store.startAttempt('d-1', 'me', T)).toBeUndefined();
        expect(await store.scheduleRetry('d-1', 'me', T + 1, { errorClass: 'timeout' })).toBe(false);
        expect(await store.reschedule('d-1', 'me', T + 1, { replaced: true })).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'delivered', attempts: 1, payload: payloadOf('d-1'), nextAttemptAt: T });
      });
    });

    describe('outcomes', () => {
      it('When the owner marks an entry delivered, Then it keeps the reference, is due for settling at once, and cannot be delivered or failed again', async () => {
        await claimed(delivery('d-1'));
        await store.startAttempt('d-1', 'me', T);
        await store.scheduleRetry('d-1', 'me', T + 500, { errorClass: 'server-error', status: 502 });
        await store.startAttempt('d-1', 'me', T + 500);
        expect(await store.markDelivered('d-1', 'me', 'HD-7', T + 510)).toBe(true);
        expect(await store.get('d-1')).toMatchObject({
          status: 'delivered',
          reference: 'HD-7',
          attempts: 2,
          deliveredAt: T + 510,
          nextAttemptAt: T + 510,
          lastError: { errorClass: 'server-error', status: 502 },
        });
        expect(await store.markDelivered('d-1', 'me', 'HD-8', T + 520)).toBe(false);
        expect(await store.markFailed('d-1', 'me', 'rejected', { errorClass: 'rejected' }, T + 520)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ reference: 'HD-7' });
        expect((await store.get('d-1'))!.failedAt).toBeUndefined();
      });

      it('When the owner marks an entry failed with a problem, Then it keeps the reason, the problem and the time, and cannot be delivered afterwards', async () => {
        await claimed(delivery('d-1'));
        await store.startAttempt('d-1', 'me', T);
        expect(await store.markFailed('d-1', 'me', 'rejected', { errorClass: 'rejected', status: 400 }, T + 5)).toBe(true);
        expect(await store.markDelivered('d-1', 'me', 'HD-1', T + 6)).toBe(false);
        expect(await store.markFailed('d-1', 'me', 'expired', undefined, T + 6)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'failed', failureReason: 'rejected', lastError: { errorClass: 'rejected', status: 400 }, failedAt: T + 5, nextAttemptAt: T + 5 });
        expect((await store.get('d-1'))!.reference).toBeUndefined();
      });

      it('When the owner marks an entry failed without a problem, Then the last problem recorded stays', async () => {
        await claimed(delivery('d-1'));
        await store.startAttempt('d-1', 'me', T);
        await store.scheduleRetry('d-1', 'me', T + 10, { errorClass: 'throttled', status: 429 });
        expect(await store.markFailed('d-1', 'me', 'expired', undefined, T + 20)).toBe(true);
        expect(await store.get('d-1')).toMatchObject({ status: 'failed', failureReason: 'expired', lastError: { errorClass: 'throttled', status: 429 }, failedAt: T + 20 });
      });
    });

    describe('settling', () => {
      it('When the owner settles a delivered entry, Then it is settled once: a second settle, by anyone, is refused', async () => {
        await delivered(delivery('d-1'));
        expect(await store.settle('d-1', 'me', T + 1)).toBe(false); // released: not the owner any more
        await store.claim('d-1', 'me', T + 1, T + MINUTE);
        expect(await store.settle('d-1', 'someone-else', T + 2)).toBe(false);
        expect(await store.settle('d-1', 'me', T + 2)).toBe(true);
        expect(await store.settle('d-1', 'me', T + 3)).toBe(false);
        expect(await store.settle('d-1', null, T + 3)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'delivered', settledAt: T + 2, reference: 'REF-d-1' });
      });

      it('When the owner settles a failed entry, Then it is settled and keeps its failure', async () => {
        await failed(delivery('d-1'));
        await store.claim('d-1', 'me', T, T + MINUTE);
        expect(await store.settle('d-1', 'me', T + 1)).toBe(true);
        expect(await store.get('d-1')).toMatchObject({ status: 'failed', failureReason: 'rejected', settledAt: T + 1 });
      });

      it("When the user's turn settles (owner null), Then no claim is needed, even while a dispatcher holds one, and it happens once", async () => {
        await delivered(delivery('d-1', { kind: 'follow-up' }));
        await store.claim('d-1', 'dispatcher', T + 1, T + MINUTE);
        expect(await store.settle('d-1', null, T + 2)).toBe(true);
        expect(await store.settle('d-1', null, T + 3)).toBe(false);
        expect(await store.settle('d-1', 'dispatcher', T + 3)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ settledAt: T + 2 });
      });

      it('When telling the user fails, Then scheduleSettle counts it and makes the entry due later, by the owner only', async () => {
        await delivered(delivery('d-1'));
        await store.claim('d-1', 'me', T, T + MINUTE);
        expect(await store.scheduleSettle('d-1', 'other', T + 700)).toBe(false);
        expect(await store.scheduleSettle('d-1', 'me', T + 700)).toBe(true);
        await store.release('d-1', 'me');
        expect(await store.get('d-1')).toMatchObject({ status: 'delivered', settleAttempts: 1, nextAttemptAt: T + 700 });
        expect(await store.due(T + 699, 10, ['ticket'])).toEqual([]);
        expect(await store.due(T + 700, 10, ['ticket'])).toEqual(['d-1']);
        await store.claim('d-1', 'me', T + 700, T + MINUTE);
        expect(await store.scheduleSettle('d-1', 'me', T + 2_000)).toBe(true);
        expect(await store.settle('d-1', 'me', T + 2_000)).toBe(true);
        expect(await store.scheduleSettle('d-1', 'me', T + 3_000)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ settleAttempts: 2, settledAt: T + 2_000 });
      });

      it('When telling the user keeps failing, Then abandonSettle counts it, stops it being due, and keeps the outcome', async () => {
        await delivered(delivery('d-1'));
        await store.claim('d-1', 'me', T, T + MINUTE);
        expect(await store.abandonSettle('d-1', 'other', T + 9)).toBe(false);
        expect(await store.abandonSettle('d-1', 'me', T + 9)).toBe(true);
        await store.release('d-1', 'me');
        const entry = await store.get('d-1');
        expect(entry).toMatchObject({ status: 'delivered', reference: 'REF-d-1', settleAttempts: 1, settleAbandonedAt: T + 9 });
        expect(entry!.settledAt).toBeUndefined();
        expect(await store.due(T + 365 * DAY, 10, ['ticket'])).toEqual([]);
      });

      it('When an entry is still pending, Then the settling steps of a dispatcher are refused', async () => {
        await claimed(delivery('d-1'));
        expect(await store.scheduleSettle('d-1', 'me', T + 1)).toBe(false);
        expect(await store.abandonSettle('d-1', 'me', T + 1)).toBe(false);
        expect(await store.get('d-1')).toMatchObject({ status: 'pending', settleAttempts: 0, nextAttemptAt: T });
      });
    });

    describe('cancel', () => {
      it('When a pending entry is cancelled, Then it is cancelled once, is never due, and its claim holder can no longer deliver it', async () => {
        await claimed(delivery('d-1', { kind: 'follow-up' }), 'dispatcher');
        expect(await store.startAttempt('d-1', 'dispatcher', T)).toBe(1);
        expect(await store.cancel('d-1', T + 5)).toBe(true);
        expect(await store.cancel('d-1', T + 6)).toBe(false);
        expect(await store.markDelivered('d-1', 'dispatcher', 'REF', T + 7)).toBe(false);
        expect(await store.startAttempt('d-1', 'dispatcher', T + 7)).toBeUndefined();
        expect(await store.get('d-1')).toMatchObject({ status: 'cancelled', cancelledAt: T + 5, attempts: 1 });
        await store.release('d-1', 'dispatcher');
        expect(await store.due(T + 365 * DAY, 10, ['ticket', 'follow-up'])).toEqual([]);
      });

      it('When the entry is delivered, failed or unknown, Then cancel is refused and changes nothing', async () => {
        await delivered(delivery('d-ok'));
        await failed(delivery('d-ko'));
        expect(await store.cancel('d-ok', T + 1)).toBe(false);
        expect(await store.cancel('d-ko', T + 1)).toBe(false);
        expect(await store.cancel('missing', T + 1)).toBe(false);
        expect(await store.get('d-ok')).toMatchObject({ status: 'delivered' });
        expect(await store.get('d-ko')).toMatchObject({ status: 'failed' });
        expect((await store.get('d-ok'))!.cancelledAt).toBeUndefined();
      });
    });

    describe('openFor', () => {
      const user = 'webchat:user-1';
      const since = T - 30 * DAY;
      const now = T + 2 * DAY;
      const ids = (entries: readonly DeliveryEntry[]): string[] => entries.map((entry) => entry.id);

      async function add(id: string, created: number, overrides: Partial<NewDelivery> = {}): Promise<void> {
        await store.add(delivery(id, { kind: 'follow-up', userKey: user, dueAt: created + DAY, ...overrides }), created);
      }

      it("When a user has follow-ups in every state, Then openFor lists the delivered unsettled ones and the pending due ones, newest first", async () => {
        await add('open-delivered-old', T - 10 * DAY);
        await store.claim('open-delivered-old', 'me', T - 9 * DAY, T - 9 * DAY + MINUTE);
        await store.startAttempt('open-delivered-old', 'me', T - 9 * DAY);
        await store.markDelivered('open-delivered-old', 'me', 'activity-1', T - 9 * DAY);
        await store.release('open-delivered-old', 'me');
        await add('open-pending-due', T - 5 * DAY);
        await add('open-delivered-new', T, { dueAt: T });
        await store.claim('open-delivered-new', 'me', T, T + MINUTE);
        await store.startAttempt('open-delivered-new', 'me', T);
        await store.markDelivered('open-delivered-new', 'me', 'activity-2', T + 1);
        await store.release('open-delivered-new', 'me');
        await add('not-yet-due', T + DAY, { dueAt: now + 1 });
        await add('settled', T - 3 * DAY, { dueAt: T - 3 * DAY });
        await store.claim('settled', 'me', T - 3 * DAY, T - 3 * DAY + MINUTE);
        await store.startAttempt('settled', 'me', T - 3 * DAY);
        await store.markDelivered('settled', 'me', 'activity-3', T - 3 * DAY);
        await store.release('settled', 'me');
        await store.settle('settled', null, T - 2 * DAY);
        await add('answered-while-pending', T - 4 * DAY);
        await store.settle('answered-while-pending', null, T - 4 * DAY + 1);
        await add('failed', T - 2 * DAY, { dueAt: T - 2 * DAY });
        await store.claim('failed', 'me', T - 2 * DAY, T - 2 * DAY + MINUTE);
        await store.startAttempt('failed', 'me', T - 2 * DAY);
        await store.markFailed('failed', 'me', 'rejected', { errorClass: 'rejected', status: 403 }, T - 2 * DAY);
        await store.release('failed', 'me');
        await add('cancelled', T - DAY);
        await store.cancel('cancelled', T - DAY + 1);
        await add('other-user', T - DAY, { userKey: 'webchat:user-2' });
        await add('no-user', T - DAY, { userKey: undefined });
        await add('other-kind', T - DAY, { kind: 'ticket' });

        const open = await store.openFor(user, 'follow-up', since, now);
        expect(ids(open)).toEqual(['open-delivered-new', 'open-pending-due', 'open-delivered-old']);
        expect(open[0]).toMatchObject({ status: 'delivered', reference: 'activity-2', userKey: user, kind: 'follow-up', payload: payloadOf('open-delivered-new') });
        expect(ids(await store.openFor(user, 'ticket', since, now))).toEqual(['other-kind']);
        expect(ids(await store.openFor(user, 'teams-post', since, now))).toEqual([]);
        expect(ids(await store.openFor('webchat:user-2', 'follow-up', since, now))).toEqual(['other-user']);
        expect(ids(await store.openFor('webchat:nobody', 'follow-up', since, now))).toEqual([]);
      });

      it('When entries were created around since, Then only those created strictly after it are listed', async () => {
        await add('at-since', since, { dueAt: since });
        await add('just-after', since + 1, { dueAt: since + 1 });
        await add('before', since - 1, { dueAt: since - 1 });
        expect(ids(await store.openFor(user, 'follow-up', since, now))).toEqual(['just-after']);
      });

      it('When a pending entry falls due exactly now, Then it is open; a moment before, it is not', async () => {
        await add('due-now', T, { dueAt: now });
        expect(ids(await store.openFor(user, 'follow-up', since, now))).toEqual(['due-now']);
        expect(ids(await store.openFor(user, 'follow-up', since, now - 1))).toEqual([]);
      });
    });

    describe('prune', () => {
      it('When entries ended before the cut, Then prune forgets them and counts them; live ones and later ones stay', async () => {
        const cut = T + 10 * DAY;
        // Ended before the cut: settled, failed, cancelled, given up telling.
        await delivered(delivery('settled-before'), T);
        await store.claim('settled-before', 'me', T, T + MINUTE);
        await store.settle('settled-before', 'me', cut - 1);
        await failed(delivery('failed-before'), cut - 1);
        await store.add(delivery('cancelled-before'), T);
        await store.cancel('cancelled-before', cut - 1);
        await delivered(delivery('abandoned-before'), T);
        await store.claim('abandoned-before', 'me', T, T + MINUTE);
        await store.abandonSettle('abandoned-before', 'me', cut - 1);
        // At or after the cut, or not ended at all.
        await delivered(delivery('settled-at-cut'), T);
        await store.claim('settled-at-cut', 'me', T, T + MINUTE);
        await store.settle('settled-at-cut', 'me', cut);
        await failed(delivery('failed-after', { dueAt: cut + 1 }), cut + 1);
        await store.add(delivery('pending-old'), T - 100 * DAY);
        // A question delivered and never answered: long past its answer window at the cut, so it goes too.
        await delivered(delivery('delivered-unsettled', { kind: 'follow-up' }), T);
        await delivered(delivery('delivered-after', { kind: 'follow-up', dueAt: cut + 1 }), cut + 1);

        expect(await store.prune(cut)).toBe(5);
        for (const gone of ['settled-before', 'failed-before', 'cancelled-before', 'abandoned-before', 'delivered-unsettled']) expect(await store.get(gone)).toBeUndefined();
        for (const kept of ['settled-at-cut', 'failed-after', 'pending-old', 'delivered-after']) expect(await store.get(kept)).toBeDefined();
        expect(await store.prune(cut)).toBe(0);
      });
    });

    describe('a whole life', () => {
      it('When an entry goes pending → retry → delivered → told, Then it is due exactly while there is work and every step is kept', async () => {
        const settling: readonly DeliveryKind[] = ['ticket'];
        await store.add(delivery('d-1', { userKey: 'msteams:u' }), T);
        expect(await store.due(T, 10, settling)).toEqual(['d-1']);
        await store.claim('d-1', 'me', T, T + MINUTE);
        expect(await store.startAttempt('d-1', 'me', T)).toBe(1);
        await store.scheduleRetry('d-1', 'me', T + 500, { errorClass: 'server-error', status: 503 });
        await store.release('d-1', 'me');
        expect(await store.due(T + 499, 10, settling)).toEqual([]);
        await store.claim('d-1', 'me', T + 500, T + MINUTE);
        expect(await store.startAttempt('d-1', 'me', T + 500)).toBe(2);
        await store.markDelivered('d-1', 'me', 'HD-1', T + 510);
        await store.release('d-1', 'me');
        expect(await store.due(T + 510, 10, settling)).toEqual(['d-1']);
        await store.claim('d-1', 'me', T + 510, T + MINUTE);
        await store.settle('d-1', 'me', T + 520);
        await store.release('d-1', 'me');
        expect(await store.due(T + DAY, 10, settling)).toEqual([]);
        expect(await store.get('d-1')).toEqual({
          id: 'd-1',
          kind: 'ticket',
          payload: payloadOf('d-1'),
          conversation: conversationOf('d-1'),
          userKey: 'msteams:u',
          status: 'delivered',
          attempts: 2,
          createdAt: T,
          nextAttemptAt: T + 510,
          dueAt: T,
          reference: 'HD-1',
          lastError: { errorClass: 'server-error', status: 503 },
          deliveredAt: T + 510,
          settledAt: T + 520,
          settleAttempts: 0,
        });
      });
    });
  });
}
