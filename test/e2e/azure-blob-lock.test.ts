/**
 * AzureBlobLock and the state store factory against a real blob service:
 * Azurite, started by this test on loopback. Two lock objects on two clients
 * stand for two instances; they meet only in Azurite.
 */
import { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { AzureBlobLock, ConversationBusyError, lockBlobName } from '../../src/data-access/azure-blob-lock';
import { createStorage } from '../../src/data-access/create-storage';
import { startServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { azuriteConnectionString, startAzurite, type Azurite } from '../support/azurite';
import { buttonsOf, lastCard, textOf } from '../support/bot-conversation';
import { HttpBotConversation } from '../support/http-bot-client';

jest.setTimeout(30_000);

let azurite: Azurite;
let containers = 0;

/** A container of its own per test, so that tests never see each other's blobs. */
function newContainerName(): string {
  containers += 1;
  return `lock-test-${containers}`;
}

/** A client of its own: an "instance" that shares nothing with the others but the service. */
function client(container: string): ContainerClient {
  return new ContainerClient(azurite.connectionString, container);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function leaseStateOf(container: string, conversationKey: string): Promise<string | undefined> {
  return (await client(container).getBlockBlobClient(lockBlobName(conversationKey)).getProperties()).leaseState;
}

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

describe('AzureBlobLock', () => {
  test('names lock blobs after the url-encoded conversation key, and hashes keys too long for a blob name', () => {
    expect(lockBlobName('msteams/19:abc@thread.tacv2;messageid=1712')).toBe('locks/msteams%2F19%3Aabc%40thread.tacv2%3Bmessageid%3D1712');
    expect(lockBlobName('webchat/会話-1')).toBe(`locks/webchat%2F${encodeURIComponent('会話-1')}`);
    expect(lockBlobName(`test/${'x'.repeat(2_000)}`)).toMatch(/^locks\/sha256-[0-9a-f]{64}$/);
    expect(lockBlobName('a')).not.toBe(lockBlobName('b'));
  });

  test('makes the container and the lock blob on first use, holds a lease during the turn and releases it after', async () => {
    const container = newContainerName();
    const lock = new AzureBlobLock(client(container));
    const seen = await lock.withLock('test/first-turn', async () => {
      expect(lock.busy).toBe(1);
      return leaseStateOf(container, 'test/first-turn');
    });
    expect(seen).toBe('leased');
    expect(await leaseStateOf(container, 'test/first-turn')).toBe('available');
    expect(lock.busy).toBe(0);
    // The lock blob is empty and stays in place for the next turn.
    const properties = await client(container).getBlockBlobClient(lockBlobName('test/first-turn')).getProperties();
    expect(properties.contentLength).toBe(0);
  });

  test('two instances: turns of one conversation never overlap, and no read-modify-write is lost', async () => {
    const container = newContainerName();
    const instances = [new AzureBlobLock(client(container), { retryBaseMs: 10, retryMaxMs: 80 }), new AzureBlobLock(client(container), { retryBaseMs: 10, retryMaxMs: 80 })];
    // The state, with botbuilder's last-writer-wins writes: without the lock, increments are lost.
    const state = new BlobsStorage(azurite.connectionString, container);
    let inside = 0;
    let mostInside = 0;
    const turns = Array.from({ length: 12 }, (_, index) =>
      instances[index % 2]!.withLock('test/shared', async () => {
        inside += 1;
        mostInside = Math.max(mostInside, inside);
        const read = await state.read(['counter']);
        const count = (read['counter'] as { count?: number } | undefined)?.count ?? 0;
        await sleep(5);
        await state.write({ counter: { count: count + 1, eTag: '*' } });
        inside -= 1;
      }),
    );
    await Promise.all(turns);
    expect(mostInside).toBe(1);
    expect((await state.read(['counter']))['counter']).toMatchObject({ count: 12 });
  });

  test('turns of other conversations do not wait', async () => {
    const container = newContainerName();
    const [first, second] = [new AzureBlobLock(client(container)), new AzureBlobLock(client(container))];
    let finishFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (finishFirst = resolve));
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const running = first.withLock('test/one', async () => {
      firstStarted();
      await firstHeld;
    });
    await started;
    await expect(second.withLock('test/two', async () => 'done')).resolves.toBe('done');
    finishFirst();
    await running;
  });

  test('gives up after the bound with a clear error while another instance holds the lease, then works once it is released', async () => {
    const container = newContainerName();
    const key = 'test/held-elsewhere';
    const lock = new AzureBlobLock(client(container), { waitMs: 800 });
    await lock.withLock(key, async () => undefined); // the lock blob exists now
    const other = new BlobLeaseClient(client(container).getBlockBlobClient(lockBlobName(key)));
    await other.acquireLease(15);

    const started = Date.now();
    let work = 0;
    const attempt = lock.withLock(key, async () => (work += 1));
    await expect(attempt).rejects.toBeInstanceOf(ConversationBusyError);
    await expect(attempt).rejects.toMatchObject({ reason: 'held-by-another-turn' });
    await expect(attempt).rejects.toThrow(/another turn of this conversation .*held its lock for 800 ms/);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(750);
    expect(waited).toBeLessThan(5_000);
    expect(work).toBe(0);

    await other.releaseLease();
    await expect(lock.withLock(key, async () => 'after')).resolves.toBe('after');
  });

  test('gives up after the bound, saying so, when the storage does not answer at all', async () => {
    const unreachable = new ContainerClient(azuriteConnectionString('http://127.0.0.1:1/devstoreaccount1'), 'nowhere');
    const lock = new AzureBlobLock(unreachable, { waitMs: 500 });
    const started = Date.now();
    const attempt = lock.withLock('test/unreachable', async () => 'ran');
    await expect(attempt).rejects.toMatchObject({ name: 'ConversationBusyError', reason: 'storage-too-slow' });
    await expect(attempt).rejects.toThrow(/did not answer within 500 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('waits for the other instance and goes on as soon as it releases', async () => {
    const container = newContainerName();
    const key = 'test/short-wait';
    const lock = new AzureBlobLock(client(container), { retryBaseMs: 20, retryMaxMs: 100 });
    await lock.withLock(key, async () => undefined);
    const other = new BlobLeaseClient(client(container).getBlockBlobClient(lockBlobName(key)));
    await other.acquireLease(15);
    setTimeout(() => void other.releaseLease(), 400);
    const started = Date.now();
    await expect(lock.withLock(key, async () => 'mine')).resolves.toBe('mine');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('releases the lease in finally when the turn fails', async () => {
    const container = newContainerName();
    const key = 'test/failing-turn';
    const lock = new AzureBlobLock(client(container));
    await expect(
      lock.withLock(key, async () => {
        throw new Error('the turn failed');
      }),
    ).rejects.toThrow('the turn failed');
    expect(await leaseStateOf(container, key)).toBe('available');
    // Another instance gets it within a second, long before the 15 s lease would have run out.
    await expect(new AzureBlobLock(client(container), { waitMs: 1_000 }).withLock(key, async () => 'next')).resolves.toBe('next');
  });

  test('renews the lease while a long turn runs; meanwhile the other instance keeps waiting', async () => {
    const container = newContainerName();
    const key = 'test/long-turn';
    const lock = new AzureBlobLock(client(container), { renewEveryMs: 150 });
    const other = new AzureBlobLock(client(container), { waitMs: 1_000 });
    await lock.withLock(key, async () => {
      await expect(other.withLock(key, async () => 'overlap')).rejects.toBeInstanceOf(ConversationBusyError);
      expect(await leaseStateOf(container, key)).toBe('leased');
    });
    expect(lock.renewals).toBeGreaterThanOrEqual(3); // every 150 ms for about a second
    expect(await leaseStateOf(container, key)).toBe('available');
  });

  test('keys with Japanese, Teams punctuation or a length past the blob name limit all lock', async () => {
    const container = newContainerName();
    const lock = new AzureBlobLock(client(container));
    for (const key of ['webchat/会話-１', 'msteams/19:abc@thread.tacv2;messageid=1712', `test/${'x'.repeat(2_000)}`]) {
      await expect(lock.withLock(key, async () => key)).resolves.toBe(key);
    }
  });

  test('refuses a lease outside Azure\'s 15..60 s', () => {
    expect(() => new AzureBlobLock(client('unused'), { leaseSeconds: 10 })).toThrow(RangeError);
    expect(() => new AzureBlobLock(client('unused'), { leaseSeconds: 61 })).toThrow(RangeError);
  });
});

describe('createStorage', () => {
  test('STORAGE=azure-blob: BlobsStorage in the container, the layered lock, a ping, and no key in `where`', async () => {
    const container = newContainerName();
    const store = createStorage(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container }));
    expect(store.kind).toBe('azure-blob');
    expect(store.storage).toBeInstanceOf(BlobsStorage);
    expect(store.where).toBe(`${azurite.blobEndpoint}/${container}`);
    // Ready even before the container exists: it is made on first use.
    await expect(store.ping()).resolves.toBe(true);

    await store.lock.withLock('test/factory', async () => {
      await store.storage.write({ 'test/conversations/factory/': { conversationData: { note: 'バックアップが失敗しました' } } });
    });
    const read = await store.storage.read(['test/conversations/factory/']);
    expect(read['test/conversations/factory/']).toMatchObject({ conversationData: { note: 'バックアップが失敗しました' } });
    await expect(store.ping()).resolves.toBe(true);
    expect(await leaseStateOf(container, 'test/factory')).toBe('available');
    await store.close();
  });

  test('ping is false, within its timeout, when the service is down or refuses the key', async () => {
    const down = createStorage(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString('http://127.0.0.1:1/devstoreaccount1', 'http://127.0.0.1:1/devstoreaccount1') }));
    const started = Date.now();
    await expect(down.ping(500)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);

    const wrongKey = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('not the key').toString('base64')}`);
    const refused = createStorage(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: wrongKey }));
    await expect(refused.ping(2_000)).resolves.toBe(false);
  });

  test('a turn that cannot get the lock in time is told to retry (state left alone), and the next one works', async () => {
    const container = newContainerName();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      STORAGE: 'azure-blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: container,
      AZURE_LOCK_WAIT_MS: '1000',
    });
    const store = createStorage(config);
    const server = await startServer(config, store.storage, silentLogger, { lock: store.lock, insights: store.insights });
    try {
      const conversation = new HttpBotConversation(server.url, 'en-US', 'busy-1');
      await conversation.say('hello');
      // Another instance is in the middle of a turn of this conversation (and stays there).
      const other = new BlobLeaseClient(client(container).getBlockBlobClient(lockBlobName('test/busy-1')));
      await other.acquireLease(15);
      const started = Date.now();
      const refused = await conversation.say('UserErrorGuestAgentStatusUnavailable');
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      // The busy answer, not the reset: the other instance's turn owns the state.
      expect(textOf(refused)).toMatch(/^I am still answering your previous message \(reference [0-9a-f]{8}\)/);
      await other.releaseLease();

      const answered = await conversation.say('UserErrorGuestAgentStatusUnavailable');
      expect(buttonsOf(lastCard(answered)).map((candidate) => candidate.data.action)).toContain('choose-os');
    } finally {
      await server.close();
      await store.close();
    }
  });

  test('default: SQLite in DATA_DIR with the in-process lock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'create-storage-'));
    try {
      const store = createStorage(loadConfig({ DATA_DIR: dataDir }));
      expect(store.kind).toBe('sqlite');
      expect(store.where).toBe(join(dataDir, 'bot.sqlite'));
      await expect(store.ping()).resolves.toBe(true);
      await expect(store.lock.withLock('test/x', async () => 'ran')).resolves.toBe('ran');
      await store.close();
      await expect(store.ping()).resolves.toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
