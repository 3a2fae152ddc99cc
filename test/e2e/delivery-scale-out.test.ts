/**
 * Exactly once across bot instances (STORAGE=azure-blob): two DeliveryDispatchers,
 * each over its own AzureTableDeliveryStore (as two processes would be) on one
 * table of Azurite, started by this test on loopback. Real timers, short leases.
 *
 * - 30 entries enqueued half on each instance, some due at once (the enqueuing
 *   instance starts them), some a moment later (both instances look for due
 *   entries at the same moment and race for the claims), the rest left to their
 *   own polling: each is delivered once and told once.
 * - An instance dies mid-delivery (its handler never answers, its timers never
 *   fire, nothing is released): once its lease lapses, the other instance
 *   delivers the entry and tells the user, once.
 */
import { TableClient } from '@azure/data-tables';
import { AzureTableDeliveryStore } from '../../src/data-access/azure-table-delivery-store';
import { DeliveryDispatcher, type DeliveryHandler, type SettleEvent, type Timers } from '../../src/domain/delivery/delivery-dispatcher';
import type { NewDelivery } from '../../src/domain/delivery/delivery-store';
import { eventually } from '../support/fake-helpdesk';
import { startAzurite, type Azurite } from '../support/azurite';

jest.setTimeout(60_000);

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

const runId = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let tables = 0;
function freshTable(): string {
  tables += 1;
  return `scaleout${runId}n${tables}`;
}

async function dropTable(table: string): Promise<void> {
  await TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true }).deleteTable();
}

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxAgeMs: 60_000 };
/** Short, so that a lapsed claim is seen within the test; the attempt bound must stay inside it. */
const ATTEMPT_TIMEOUT_MS = 1_000;
const LEASE_MS = 1_500;
/** When the second half of the entries falls due: after the first half is done. */
const LATER_MS = 500;

interface Delivered {
  id: string;
  by: string;
  attempt: number;
  at: number;
}

interface Told {
  id: string;
  by: string;
  event: SettleEvent;
  reference: string | undefined;
}

/** What the handlers of every instance did, in one place. */
class Journal {
  readonly started: Delivered[] = [];
  readonly delivered: Delivered[] = [];
  readonly told: Told[] = [];

  countBy<T extends { id: string }>(items: readonly T[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
    return counts;
  }
}

/** A ticket-like kind: delivers after a few milliseconds (so instances overlap) and tells the user once it is stored. */
function countingHandler(journal: Journal, by: string): DeliveryHandler {
  return {
    name: `counting-${by}`,
    retry: FAST_RETRY,
    deliver: async (entry, { attempt }) => {
      journal.started.push({ id: entry.id, by, attempt, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(Math.random() * 15)));
      journal.delivered.push({ id: entry.id, by, attempt, at: Date.now() });
      return { reference: `${by}:${entry.id}` };
    },
    settle: async (entry, event) => {
      journal.told.push({ id: entry.id, by, event, reference: entry.reference });
    },
  };
}

/** The store an instance has, counting the claims it lost to the other instance: proof that they did race. */
class CountingStore extends AzureTableDeliveryStore {
  static refused = 0;

  override async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    const taken = await super.claim(id, owner, now, until);
    if (!taken) CountingStore.refused += 1;
    return taken;
  }
}

function dispatcher(table: string, owner: string, handler: DeliveryHandler, timers?: Timers): DeliveryDispatcher {
  return new DeliveryDispatcher({
    // Its own store (its own client and table-creation), as another process would have.
    store: new CountingStore(azurite.connectionString, { table }),
    handlers: { ticket: handler },
    owner,
    pollIntervalMs: 25,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    leaseMs: LEASE_MS,
    concurrency: 4,
    ...(timers ? { timers } : {}),
  });
}

function ticket(id: string, dueAt: number): NewDelivery {
  return { id, kind: 'ticket', payload: { caseId: id, summary: 'バックアップ失敗' }, conversation: { conversation: { id: `conv-${id}` } }, userKey: `webchat:${id}`, dueAt };
}

describe('Deliveries shared by two bot instances on Azure Table storage (Azurite)', () => {
  test('When 30 entries are enqueued half on each of two running instances, Then each is delivered exactly once and told exactly once', async () => {
    const table = freshTable();
    const journal = new Journal();
    const instances = [dispatcher(table, 'instance-a', countingHandler(journal, 'instance-a')), dispatcher(table, 'instance-b', countingHandler(journal, 'instance-b'))];
    const reader = new AzureTableDeliveryStore(azurite.connectionString, { table });
    const ids = Array.from({ length: 30 }, (_, index) => `case-${String(index).padStart(2, '0')}`);
    CountingStore.refused = 0;
    try {
      const start = Date.now();
      // Half are due at once: the enqueuing instance launches them on the spot.
      await Promise.all(ids.map((id, index) => instances[index % 2]!.enqueue(ticket(id, index % 4 < 2 ? start : start + LATER_MS))));
      await Promise.all(instances.map((instance) => instance.drain()));
      // The other half fall due a moment later, when both instances, idle, look at the very same moment: both get
      // the same due list and race for every one of those claims. (A margin past the due time: a timer may fire a
      // millisecond before Date.now() gets there.)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + LATER_MS + 20 - Date.now())));
      await Promise.all(instances.map((instance) => instance.poll()));
      expect(CountingStore.refused).toBeGreaterThan(0);
      // Then they run as the bot runs them, polling on their own for whatever is left.
      for (const instance of instances) instance.start();
      await eventually(async () => (await Promise.all(ids.map((id) => reader.get(id)))).every((entry) => entry?.settledAt !== undefined), 'every entry settled', 20_000);
      await Promise.all(instances.map((instance) => instance.stop()));

      const deliveredCounts = journal.countBy(journal.delivered);
      const toldCounts = journal.countBy(journal.told);
      for (const id of ids) {
        expect({ id, delivered: deliveredCounts.get(id), told: toldCounts.get(id) }).toEqual({ id, delivered: 1, told: 1 });
        const delivery = journal.delivered.find((each) => each.id === id)!;
        // Stored as the instance that delivered it, and told by the same claim.
        expect(await reader.get(id)).toMatchObject({ status: 'delivered', reference: `${delivery.by}:${id}`, attempts: 1, settleAttempts: 0 });
        expect(journal.told.find((each) => each.id === id)).toEqual({ id, by: delivery.by, event: 'delivered', reference: `${delivery.by}:${id}` });
      }
      // No attempt was started twice, and both instances did part of the work.
      expect(journal.started).toHaveLength(30);
      expect(new Set(journal.delivered.map((each) => each.by))).toEqual(new Set(['instance-a', 'instance-b']));
      expect(await reader.due(Date.now() + 60_000, 100, ['ticket'])).toEqual([]);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
      await dropTable(table);
    }
  });

  test('When an instance dies mid-delivery without releasing its claim, Then the other delivers the entry once the lease has lapsed, and tells the user once', async () => {
    const table = freshTable();
    const journal = new Journal();
    // The dying instance: its handler starts and never answers, and its timers never fire (no attempt
    // timeout, no poll, no release), as if the process had been killed in the middle of the attempt.
    const frozen: Timers = { setTimeout: () => undefined, clearTimeout: () => undefined };
    const hanging: DeliveryHandler = {
      name: 'hanging',
      retry: FAST_RETRY,
      deliver: (entry, { attempt }) => {
        journal.started.push({ id: entry.id, by: 'instance-a', attempt, at: Date.now() });
        return new Promise<never>(() => undefined);
      },
      settle: async (entry, event) => {
        journal.told.push({ id: entry.id, by: 'instance-a', event, reference: entry.reference });
      },
    };
    const dying = dispatcher(table, 'instance-a', hanging, frozen);
    const survivor = dispatcher(table, 'instance-b', countingHandler(journal, 'instance-b'));
    const reader = new AzureTableDeliveryStore(azurite.connectionString, { table });
    try {
      const beforeClaim = Date.now();
      await dying.enqueue(ticket('case-orphan', beforeClaim));
      await eventually(() => journal.started.length === 1, 'the dying instance started its attempt');
      expect(await reader.get('case-orphan')).toMatchObject({ status: 'pending', attempts: 1 });

      survivor.start();
      await eventually(async () => (await reader.get('case-orphan'))?.settledAt !== undefined, 'the survivor delivered and told', 15_000);
      await survivor.stop();

      expect(journal.started.map(({ by, attempt }) => ({ by, attempt }))).toEqual([
        { by: 'instance-a', attempt: 1 },
        { by: 'instance-b', attempt: 2 },
      ]);
      // Not taken while the dead instance's lease still held (it was claimed no earlier than beforeClaim).
      expect(journal.started[1]!.at).toBeGreaterThan(beforeClaim + LEASE_MS);
      expect(journal.delivered.map(({ id, by }) => ({ id, by }))).toEqual([{ id: 'case-orphan', by: 'instance-b' }]);
      expect(journal.told).toEqual([{ id: 'case-orphan', by: 'instance-b', event: 'delivered', reference: 'instance-b:case-orphan' }]);
      expect(await reader.get('case-orphan')).toMatchObject({ status: 'delivered', reference: 'instance-b:case-orphan', attempts: 2 });
      // The dead instance's claim is gone for good: it can no longer journal anything.
      expect(await reader.markDelivered('case-orphan', 'instance-a', 'instance-a:case-orphan', Date.now())).toBe(false);
    } finally {
      // The dying instance is never stopped: its attempt never ends (stop would wait for it), as after a kill.
      await survivor.stop();
      await dropTable(table);
    }
  });
});
