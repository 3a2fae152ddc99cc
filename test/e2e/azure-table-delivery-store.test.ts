/**
 * AzureTableDeliveryStore against a real Table service: Azurite, started by
 * this test on loopback, a fresh table per test. The shared delivery store
 * contract; then what is Azure's own: ids that are not valid keys as they are,
 * the order `due` sorts itself, lost races (412) re-read and re-checked, two
 * stores (two bot instances) racing for the same claims, a lapsed claim taken
 * over, payloads past one property's 64 KiB split and joined again and past the
 * entity's 1 MiB refused, the entity layout people query by hand, the queries
 * the store sends, and connection strings it must refuse without quoting them.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import {
  AzureTableDeliveryStore,
  DEFAULT_DELIVERIES_TABLE,
  DELIVERY_PARTITION,
  JSON_CHUNK_LENGTH,
  MAX_JSON_LENGTH,
} from '../../src/data-access/azure-table-delivery-store';
import type { DeliveryKind, NewDelivery } from '../../src/domain/delivery/delivery-store';
import { AZURITE_ACCOUNT, azuriteConnectionString, startAzurite, type Azurite } from '../support/azurite';
import { describeDeliveryStoreContract } from '../data-access/delivery-store-contract';

jest.setTimeout(60_000);

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** Table names of their own per test (letters and digits only), unique within and across runs on one Azurite. */
const runId = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let tables = 0;
function freshTable(): string {
  tables += 1;
  return `deliveries${runId}n${tables}`;
}

function tableClient(table: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
}

/** A store on a table of its own, and the table dropped after the test. */
async function withStore(test: (store: AzureTableDeliveryStore, table: string) => Promise<void>): Promise<void> {
  const table = freshTable();
  try {
    await test(new AzureTableDeliveryStore(azurite.connectionString, { table }), table);
  } finally {
    await tableClient(table).deleteTable();
  }
}

const T0 = Date.parse('2025-03-10T09:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const SETTLING: readonly DeliveryKind[] = ['ticket'];

function delivery(id: string, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id,
    kind: 'ticket',
    payload: { caseId: id, summary: 'VM backup fails with UserErrorGuestAgentStatusUnavailable', causes: [{ causeId: 'agent-unresponsive-windows' }] },
    conversation: { conversation: { id: `conv-${id}` }, channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/jp/' },
    userKey: 'webchat:user-1',
    dueAt: T0,
    ...overrides,
  };
}

/**
 * Transcript-like ASCII of `length` code units. Large payloads in these tests keep their non-ASCII text in the first
 * few KiB: Azurite 3.35 decodes each chunk of a request body on its own (Azure/Azurite#2670), so a multi-byte
 * character straddling a chunk boundary (~64 KiB into the body) comes back as U+FFFD. The real service does not.
 */
function longAsciiText(length: number): string {
  const line = 'user: backup of vm-prod-01 failed again with UserErrorGuestAgentStatusUnavailable at 02:00 UTC; ';
  return line.repeat(Math.ceil(length / line.length)).slice(0, length);
}

/** Equal texts, or a failure naming the first difference (not a diff of half a megabyte). */
function expectSameText(actual: string | undefined, expected: string): void {
  if (actual === expected) return;
  const text = actual ?? '';
  let at = 0;
  while (at < text.length && text[at] === expected[at]) at += 1;
  throw new Error(`texts differ at ${at} (lengths ${text.length} and ${expected.length}): ${JSON.stringify(text.slice(at, at + 20))} vs ${JSON.stringify(expected.slice(at, at + 20))}`);
}

/** An entry stored, claimed by `owner` and delivered: what the settling step works on. */
async function delivered(store: AzureTableDeliveryStore, id: string, owner = 'instance-a', kind: DeliveryKind = 'ticket'): Promise<void> {
  await store.add(delivery(id, { kind }), T0);
  expect(await store.claim(id, owner, T0, T0 + MINUTE)).toBe(true);
  expect(await store.startAttempt(id, owner, T0)).toBe(1);
  expect(await store.markDelivered(id, owner, `TICKET-${id}`, T0 + SECOND)).toBe(true);
}

describeDeliveryStoreContract('AzureTableDeliveryStore on Azurite', async () => {
  const table = freshTable();
  return { store: new AzureTableDeliveryStore(azurite.connectionString, { table }), cleanup: () => tableClient(table).deleteTable() };
});

describe('AzureTableDeliveryStore on Azurite: what the Table service makes hard', () => {
  test('When ids hold characters a key may not, Then they are stored, found and listed as given', () =>
    withStore(async (store) => {
      const ids = ['follow-up:session-1:2', "a/b#c?d\\e it's", '日本語のケース', '%41 already encoded?'];
      for (const id of ids) await store.add(delivery(id), T0);
      for (const id of ids) expect((await store.get(id))?.id).toBe(id);
      expect((await store.due(T0, 10, SETTLING)).sort()).toEqual([...ids].sort());
      expect(await store.claim(ids[1]!, 'instance-a', T0, T0 + MINUTE)).toBe(true);
    }));

  test('When due times are equal, Then the entry created first comes first', () =>
    withStore(async (store) => {
      await store.add(delivery('z-first', { dueAt: T0 + MINUTE }), T0);
      await store.add(delivery('a-second', { dueAt: T0 + MINUTE }), T0 + SECOND);
      expect(await store.due(T0 + MINUTE, 10, SETTLING)).toEqual(['z-first', 'a-second']);
    }));

  test('When the user cancels while an instance is about to deliver, Then exactly one of cancel and delivered wins', () =>
    withStore(async (store, table) => {
      const other = new AzureTableDeliveryStore(azurite.connectionString, { table });
      for (let round = 0; round < 5; round += 1) {
        const id = `follow-up:s${round}:1`;
        await store.add(delivery(id, { kind: 'follow-up' }), T0);
        await store.claim(id, 'instance-a', T0, T0 + MINUTE);
        await store.startAttempt(id, 'instance-a', T0);
        const [cancelled, deliveredNow] = await Promise.all([other.cancel(id, T0 + SECOND), store.markDelivered(id, 'instance-a', 'activity-1', T0 + SECOND)]);
        expect(cancelled !== deliveredNow).toBe(true);
        expect((await store.get(id))?.status).toBe(cancelled ? 'cancelled' : 'delivered');
      }
    }));

  test("When the user's turn settles while the holder extends its claim, Then both succeed: a lost race re-reads and the claim is still the holder's", () =>
    withStore(async (store, table) => {
      const userTurn = new AzureTableDeliveryStore(azurite.connectionString, { table });
      for (let round = 0; round < 5; round += 1) {
        const id = `follow-up:s${round}:1`;
        await delivered(store, id, 'instance-a', 'follow-up');
        const [extended, settled] = await Promise.all([store.claim(id, 'instance-a', T0 + SECOND, T0 + 2 * MINUTE), userTurn.settle(id, null, T0 + SECOND)]);
        expect({ extended, settled }).toEqual({ extended: true, settled: true });
        expect(await store.get(id)).toMatchObject({ settledAt: T0 + SECOND });
        // The extension stands: another instance cannot take the entry before it lapses.
        expect(await userTurn.claim(id, 'instance-b', T0 + MINUTE + 1, T0 + 3 * MINUTE)).toBe(false);
      }
    }));
});

describe('AzureTableDeliveryStore on Azurite: several instances, sizes, layout', () => {
  test('When two instances race to claim the same 20 entries at once, Then each entry is claimed by exactly one', () =>
    withStore(async (store, table) => {
      const instances = [store, new AzureTableDeliveryStore(azurite.connectionString, { table })];
      const ids = Array.from({ length: 20 }, (_, index) => `case-${String(index).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => store.add(delivery(id), T0)));
      const claims = await Promise.all(
        ids.flatMap((id) => instances.map(async (instance, index) => ({ id, owner: `instance-${index}`, won: await instance.claim(id, `instance-${index}`, T0, T0 + MINUTE) }))),
      );
      for (const id of ids) expect(claims.filter((claim) => claim.id === id && claim.won)).toHaveLength(1);
      // Each winner holds its claim: the loser can change nothing, the winner can.
      for (const { id, owner, won } of claims) {
        expect(await instances[Number(owner.slice(-1))]!.startAttempt(id, owner, T0)).toBe(won ? 1 : undefined);
      }
      expect(await store.due(T0 + SECOND, 100, SETTLING)).toEqual([]);
    }));

  test('When an instance stops while holding a claim, Then another takes it over once it lapses and the first can no longer change it', () =>
    withStore(async (store, table) => {
      const survivor = new AzureTableDeliveryStore(azurite.connectionString, { table });
      await store.add(delivery('case-1'), T0);
      expect(await store.claim('case-1', 'instance-a', T0, T0 + 30 * SECOND)).toBe(true);
      expect(await store.startAttempt('case-1', 'instance-a', T0)).toBe(1);
      // instance-a stops here (no release). Before the lease lapses the survivor sees nothing to do.
      expect(await survivor.due(T0 + 10 * SECOND, 10, SETTLING)).toEqual([]);
      expect(await survivor.claim('case-1', 'instance-b', T0 + 10 * SECOND, T0 + 40 * SECOND)).toBe(false);
      expect(await survivor.due(T0 + 31 * SECOND, 10, SETTLING)).toEqual(['case-1']);
      expect(await survivor.claim('case-1', 'instance-b', T0 + 31 * SECOND, T0 + 61 * SECOND)).toBe(true);
      expect(await survivor.startAttempt('case-1', 'instance-b', T0 + 31 * SECOND)).toBe(2);
      // instance-a comes back late: its outcome is refused, the survivor's stands.
      expect(await store.markDelivered('case-1', 'instance-a', 'TICKET-A', T0 + 32 * SECOND)).toBe(false);
      expect(await store.claim('case-1', 'instance-a', T0 + 32 * SECOND, T0 + 60 * SECOND)).toBe(false);
      expect(await survivor.markDelivered('case-1', 'instance-b', 'TICKET-B', T0 + 33 * SECOND)).toBe(true);
      expect(await store.get('case-1')).toMatchObject({ status: 'delivered', reference: 'TICKET-B', attempts: 2 });
    }));

  test('When a payload is larger than one property holds, Then it is split across numbered properties and reads back whole', () =>
    withStore(async (store, table) => {
      // An emoji (a surrogate pair) placed across the first part's boundary: the part must end before it.
      const prefix = JSON.stringify({ caseId: 'case-big', note: '' }).slice(0, -2);
      const head = 'バックアップ失敗 ';
      const note = `${head}${'x'.repeat(JSON_CHUNK_LENGTH - 1 - prefix.length - head.length)}😀${longAsciiText(2 * JSON_CHUNK_LENGTH + 123)}`;
      const payload = { caseId: 'case-big', note };
      const json = JSON.stringify(payload);
      expect(json.charCodeAt(JSON_CHUNK_LENGTH - 1)).toBe(0xd83d);
      await store.add(delivery('case-big', { payload }), T0);
      expectSameText(JSON.stringify((await store.get('case-big'))?.payload), json);
      const entity = await tableClient(table).getEntity<Record<string, unknown>>(DELIVERY_PARTITION, 'case-big');
      const parts = entity['payloadParts'];
      expect(parts).toBe(4);
      const stored = [entity['payload'], entity['payload1'], entity['payload2'], entity['payload3']] as string[];
      expectSameText(stored.join(''), json);
      expect(stored.map((part) => part.length)).toEqual([JSON_CHUNK_LENGTH - 1, JSON_CHUNK_LENGTH, JSON_CHUNK_LENGTH, json.length - 3 * JSON_CHUNK_LENGTH + 1]);
      expect(stored[1]!.startsWith('😀')).toBe(true);
      expect(entity).not.toHaveProperty('conversationParts');
      // Shorter again: the parts beyond one are gone (Replace), not left behind.
      await store.claim('case-big', 'instance-a', T0, T0 + MINUTE);
      expect(await store.reschedule('case-big', 'instance-a', T0 + MINUTE, { caseId: 'case-big', note: 'short' })).toBe(true);
      const after = await tableClient(table).getEntity<Record<string, unknown>>(DELIVERY_PARTITION, 'case-big');
      expect(Object.keys(after).filter((key) => key.startsWith('payload'))).toEqual(['payload']);
      expect((await store.get('case-big'))?.payload).toEqual({ caseId: 'case-big', note: 'short' });
    }));

  test('When a payload comes near the entity limit, Then it round-trips; past it, the store refuses it naming sizes only and stores nothing', () =>
    withStore(async (store) => {
      const conversation = delivery('x').conversation;
      const head = '障害の詳細: ';
      const room = MAX_JSON_LENGTH - JSON.stringify(conversation).length - JSON.stringify({ note: head }).length;
      const nearLimit = { note: `${head}${longAsciiText(room)}` };
      expect(JSON.stringify(nearLimit).length + JSON.stringify(conversation).length).toBe(MAX_JSON_LENGTH);
      await store.add(delivery('case-near', { payload: nearLimit, conversation }), T0);
      expectSameText(JSON.stringify((await store.get('case-near'))?.payload), JSON.stringify(nearLimit));
      const tooLarge = { note: `${nearLimit.note}!` };
      const refused = store.add(delivery('case-over', { payload: tooLarge, conversation }), T0);
      await expect(refused).rejects.toThrow(
        `Azure Table delivery store: a ticket delivery is too large to store (${MAX_JSON_LENGTH + 1} UTF-16 code units of payload and conversation JSON; at most ${MAX_JSON_LENGTH}, an entity holds 1 MiB)`,
      );
      expect(await store.get('case-over')).toBeUndefined();
      // A reschedule with a payload too large is refused too, and the entry keeps its payload.
      await store.claim('case-near', 'instance-a', T0, T0 + MINUTE);
      await expect(store.reschedule('case-near', 'instance-a', T0 + MINUTE, { note: 'x'.repeat(MAX_JSON_LENGTH) })).rejects.toThrow(/too large to store/);
      expect(((await store.get('case-near'))?.payload as { note: string }).note.length).toBe(nearLimit.note.length);
    }));

  test('When entries are written, Then the entity has one property per field, readable and queryable by hand', () =>
    withStore(async (store, table) => {
      await store.add(delivery('case-1', { dueAt: T0 + MINUTE }), T0);
      await store.add(delivery('case-2'), T0);
      await store.claim('case-2', 'instance-a', T0, T0 + MINUTE);
      await store.startAttempt('case-2', 'instance-a', T0);
      await store.scheduleRetry('case-2', 'instance-a', T0 + 5 * SECOND, { errorClass: 'HelpdeskUnavailable', status: 503 });
      await store.claim('case-2', 'instance-a', T0 + 5 * SECOND, T0 + MINUTE);
      await store.markFailed('case-2', 'instance-a', 'expired', undefined, T0 + 6 * SECOND);
      const client = tableClient(table);
      const fresh = await client.getEntity(DELIVERY_PARTITION, 'case-1');
      const { etag: _etag, timestamp: _timestamp, ['odata.metadata']: _metadata, ...properties } = fresh;
      expect(properties).toStrictEqual({
        partitionKey: 'd',
        rowKey: 'case-1',
        kind: 'ticket',
        status: 'pending',
        awaiting: 'attempt',
        payload: JSON.stringify(delivery('case-1').payload),
        conversation: JSON.stringify(delivery('case-1').conversation),
        userKey: 'webchat:user-1',
        attempts: 0,
        createdAt: new Date(T0),
        nextAttemptAt: new Date(T0 + MINUTE),
        dueAt: new Date(T0 + MINUTE),
        settleAttempts: 0,
        claimedBy: '',
      });
      expect(await client.getEntity(DELIVERY_PARTITION, 'case-2')).toMatchObject({
        status: 'failed',
        awaiting: 'settle',
        attempts: 1,
        failureReason: 'expired',
        failedAt: new Date(T0 + 6 * SECOND),
        lastErrorClass: 'HelpdeskUnavailable',
        lastErrorStatus: 503,
        claimedBy: 'instance-a',
        claimedUntil: new Date(T0 + MINUTE),
      });
      // A query as someone would type it in Storage Explorer.
      const failed: string[] = [];
      for await (const entity of client.listEntities({ queryOptions: { filter: "status eq 'failed' and failureReason eq 'expired'" } })) failed.push(entity.rowKey ?? '');
      expect(failed).toEqual(['case-2']);
    }));

  test('When due, openFor and prune query, Then each names the one partition and due asks only for the fields it sorts on', () =>
    withStore(async (store) => {
      const listEntities = jest.spyOn(TableClient.prototype, 'listEntities');
      try {
        await store.due(T0, 10, ['ticket', 'teams-post']);
        await store.due(T0, 10, []);
        await store.openFor('webchat:user-1', 'follow-up', T0 - MINUTE, T0);
        await store.prune(T0);
        const queries = listEntities.mock.calls.map(([options]) => options?.queryOptions);
        const at = "datetime'2025-03-10T09:00:00.000Z'";
        expect(queries).toEqual([
          {
            filter: `PartitionKey eq 'd' and nextAttemptAt le ${at} and (claimedBy eq '' or claimedUntil lt ${at}) and (awaiting eq 'attempt' or (awaiting eq 'settle' and (kind eq 'ticket' or kind eq 'teams-post')))`,
            select: ['RowKey', 'nextAttemptAt', 'createdAt'],
          },
          { filter: `PartitionKey eq 'd' and nextAttemptAt le ${at} and (claimedBy eq '' or claimedUntil lt ${at}) and (awaiting eq 'attempt')`, select: ['RowKey', 'nextAttemptAt', 'createdAt'] },
          {
            filter: `PartitionKey eq 'd' and userKey eq 'webchat:user-1' and kind eq 'follow-up' and createdAt gt datetime'2025-03-10T08:59:00.000Z' and (status eq 'pending' or status eq 'delivered')`,
          },
          {
            filter: `PartitionKey eq 'd' and (settledAt lt ${at} or failedAt lt ${at} or cancelledAt lt ${at} or settleAbandonedAt lt ${at} or deliveredAt lt ${at})`,
            select: ['RowKey', 'settledAt', 'failedAt', 'cancelledAt', 'settleAbandonedAt', 'deliveredAt'],
          },
        ]);
      } finally {
        listEntities.mockRestore();
      }
    }));

  test('When no table name is given, Then the store makes and uses the deliveries table', async () => {
    const store = new AzureTableDeliveryStore(azurite.connectionString);
    await store.add(delivery('case-default'), T0);
    const names: string[] = [];
    for await (const table of TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true }).listTables()) names.push(table.name ?? '');
    expect(DEFAULT_DELIVERIES_TABLE).toBe('deliveries');
    expect(names).toContain('deliveries');
    await tableClient(DEFAULT_DELIVERIES_TABLE).deleteTable();
  });

  test('When the connection string gives no Table endpoint, Then the store is still built and its calls fail naming the cause, not the key', async () => {
    const store = new AzureTableDeliveryStore(azuriteConnectionString(azurite.blobEndpoint));
    const failure = store.add(delivery('case-1'), T0);
    await expect(failure).rejects.toThrow(/^Azure Table delivery store: the storage connection string gives no usable Table endpoint \(Invalid EndpointSuffix in the provided Connection String\)$/);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain('Eby8vdM02xNO');
    expect(message).not.toContain(AZURITE_ACCOUNT);
  });

  test('When the Table endpoint is plain http off this machine, Then the store refuses it before sending anything', async () => {
    const store = new AzureTableDeliveryStore(azuriteConnectionString(azurite.blobEndpoint, `http://table.example.invalid:10002/${AZURITE_ACCOUNT}`));
    await expect(store.due(T0, 10, SETTLING)).rejects.toThrow('Azure Table delivery store: the Table endpoint must be https (plain http only on loopback, for Azurite)');
  });
});
