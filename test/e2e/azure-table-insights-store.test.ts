/**
 * AzureTableInsightsStore against a real Table service: Azurite, started by
 * this test on loopback. The shared insights store contract on fresh tables per
 * test, the entity layout people query by hand, the reads asking only for the
 * partitions of their period, and two stores (two bot instances) counting the
 * same text at once without losing a count.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { AzureTableInsightsStore, DEFAULT_SESSIONS_TABLE, DEFAULT_TEXTS_TABLE } from '../../src/data-access/azure-table-insights-store';
import { AZURITE_ACCOUNT, azuriteConnectionString, startAzurite, type Azurite } from '../support/azurite';
import { describeInsightsStoreContract } from '../data-access/insights-store-contract';

jest.setTimeout(60_000);

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** Table names of their own per store (letters and digits only), unique within and across runs on one Azurite. */
const runId = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let tableSets = 0;
function freshTables(): { sessionsTable: string; textsTable: string } {
  tableSets += 1;
  return { sessionsTable: `sessions${runId}n${tableSets}`, textsTable: `texts${runId}n${tableSets}` };
}

function tableClient(table: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
}

async function dropTables(tables: { sessionsTable: string; textsTable: string }): Promise<void> {
  await Promise.all([tableClient(tables.sessionsTable).deleteTable(), tableClient(tables.textsTable).deleteTable()]);
}

describeInsightsStoreContract('AzureTableInsightsStore on Azurite', async () => {
  const tables = freshTables();
  return { store: new AzureTableInsightsStore(azurite.connectionString, tables), cleanup: () => dropTables(tables) };
});

describe('AzureTableInsightsStore on Azurite', () => {
  test('When two instances count the same text 25 times each at once, Then the count is 50 and no sighting is lost', async () => {
    const tables = freshTables();
    const instances = [new AzureTableInsightsStore(azurite.connectionString, tables), new AzureTableInsightsStore(azurite.connectionString, tables)];
    try {
      const counted = instances.flatMap((store, instance) =>
        Array.from({ length: 25 }, (_, index) =>
          store.countText({
            key: 'same-group',
            // One of the two keeps texts, the other counts only: the text survives either way.
            text: instance === 0 ? 'backup failed with UserErrorGuestAgentStatusUnavailable' : null,
            at: new Date(Date.parse('2025-03-10T08:00:00.000Z') + (instance * 25 + index) * 1_000).toISOString(),
          }),
        ),
      );
      await Promise.all(counted);
      expect(await instances[1]!.textsSeenBetween(new Date('2025-03-10T00:00:00Z'), new Date('2025-03-11T00:00:00Z'))).toEqual([
        { key: 'same-group', text: 'backup failed with UserErrorGuestAgentStatusUnavailable', count: 50, lastSeen: '2025-03-10T08:00:49.000Z' },
      ]);
    } finally {
      await dropTables(tables);
    }
  });

  test('When sessions and texts are written, Then the entities are laid out by day for queries by hand', async () => {
    const tables = freshTables();
    const store = new AzureTableInsightsStore(azurite.connectionString, tables);
    try {
      await store.saveSessions([
        {
          id: 'flow-1',
          startedAt: '2025-03-10T23:59:00.000Z',
          lastAt: '2025-03-11T00:04:00.000Z',
          via: 'text',
          language: 'ja',
          channel: 'msteams',
          category: 'no-network',
          how: 'code',
          engaged: false,
          unrecognised: false,
          causes: [{ causeId: 'no-internet' }],
        },
      ]);
      await store.countText({ key: 'k', text: null, at: '2025-03-11T09:00:00.000Z' });
      const session = await tableClient(tables.sessionsTable).getEntity('2025-03-10', 'flow-1');
      expect(session).toMatchObject({
        partitionKey: '2025-03-10',
        rowKey: 'flow-1',
        startedAt: new Date('2025-03-10T23:59:00.000Z'),
        lastAt: new Date('2025-03-11T00:04:00.000Z'),
        category: 'no-network',
        engaged: false,
        causes: '[{"causeId":"no-internet"}]',
      });
      // Unset optional fields are absent, not empty: a filter such as `outcome eq 'resolved'` reads them as missing.
      expect(session).not.toHaveProperty('outcome');
      expect(session).not.toHaveProperty('os');
      const text = await tableClient(tables.textsTable).getEntity('2025-03-11', 'k');
      expect(text).toMatchObject({ partitionKey: '2025-03-11', rowKey: 'k', count: 1, lastSeen: new Date('2025-03-11T09:00:00.000Z') });
      expect(text).not.toHaveProperty('text');
    } finally {
      await dropTables(tables);
    }
  });

  test('When a period is read or pruned, Then every query names the partitions (days) it needs: never a whole-table scan', async () => {
    const tables = freshTables();
    const store = new AzureTableInsightsStore(azurite.connectionString, tables);
    const listEntities = jest.spyOn(TableClient.prototype, 'listEntities');
    try {
      await store.sessionsStartedBetween(new Date('2025-03-10T12:00:00.000Z'), new Date('2025-03-13T00:00:00.000Z'));
      await store.textsSeenBetween(new Date('2025-03-10T12:00:00.000Z'), new Date('2025-03-13T00:00:00.000Z'));
      await store.pruneBefore(new Date('2025-03-20T12:00:00.000Z'));
      const filters = listEntities.mock.calls.map(([options]) => options?.queryOptions?.filter);
      expect(filters).toEqual([
        "PartitionKey ge '2025-03-10' and PartitionKey le '2025-03-12' and startedAt ge datetime'2025-03-10T12:00:00.000Z' and startedAt lt datetime'2025-03-13T00:00:00.000Z'",
        "PartitionKey ge '2025-03-10' and PartitionKey le '2025-03-12'",
        "PartitionKey le '2025-03-20' and lastAt lt datetime'2025-03-20T12:00:00.000Z'",
        "PartitionKey lt '2025-03-20'",
      ]);
    } finally {
      listEntities.mockRestore();
      await dropTables(tables);
    }
  });

  test('When no table names are given, Then the store makes and uses insightSessions and insightTexts', async () => {
    const store = new AzureTableInsightsStore(azurite.connectionString);
    await store.countText({ key: 'k', text: 'x', at: '2025-03-10T09:00:00.000Z' });
    await store.saveSessions([
      { id: 's', startedAt: '2025-03-10T09:00:00.000Z', lastAt: '2025-03-10T09:00:00.000Z', via: 'browse', language: 'en', channel: 'webchat', engaged: false, unrecognised: false, causes: [] },
    ]);
    const names: string[] = [];
    for await (const table of TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true }).listTables()) names.push(table.name ?? '');
    expect(names).toEqual(expect.arrayContaining([DEFAULT_SESSIONS_TABLE, DEFAULT_TEXTS_TABLE]));
    expect([DEFAULT_SESSIONS_TABLE, DEFAULT_TEXTS_TABLE]).toEqual(['insightSessions', 'insightTexts']);
    await dropTables({ sessionsTable: DEFAULT_SESSIONS_TABLE, textsTable: DEFAULT_TEXTS_TABLE });
  });

  test('When the connection string gives no Table endpoint, Then the store is still built and its writes fail naming the cause, not the key', async () => {
    // The blob-only form the state store accepts: Azurite's account key and a BlobEndpoint, no TableEndpoint.
    const store = new AzureTableInsightsStore(azuriteConnectionString(azurite.blobEndpoint));
    const failure = store.countText({ key: 'k', text: 'x', at: '2025-03-10T09:00:00.000Z' });
    await expect(failure).rejects.toThrow(/no usable Table endpoint \(Invalid EndpointSuffix in the provided Connection String\)/);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain('Eby8vdM02xNO');
    expect(message).not.toContain(AZURITE_ACCOUNT);
  });

  test('When the Table endpoint is plain http off this machine, Then the store refuses it before sending anything', async () => {
    const store = new AzureTableInsightsStore(azuriteConnectionString(azurite.blobEndpoint, `http://table.example.invalid:10002/${AZURITE_ACCOUNT}`));
    const failure = store.sessionsStartedBetween(new Date('2025-03-10T00:00:00Z'), new Date('2025-03-11T00:00:00Z'));
    await expect(failure).rejects.toThrow('Azure Table insights store: the Table endpoint must be https (plain http only on loopback, for Azurite)');
  });
});
