/**
 * The state store the configuration asks for, with the lock that keeps turns of
 * one conversation apart on it, a readiness check and a close.
 *
 * - STORAGE=sqlite (default): SqliteStorage in DATA_DIR/bot.sqlite and the
 *   in-process queue; the insights and the deliveries in tables of the same file.
 *   One instance.
 * - STORAGE=azure-blob: botbuilder-azure-blobs' BlobsStorage in
 *   AZURE_STORAGE_CONTAINER, and a lease per conversation in the same container
 *   (azure-blob-lock.ts) behind the in-process queue; the insights and the
 *   deliveries in Azure Table storage of the same account. Any number of instances.
 */
import { join } from 'node:path';
import type { Storage } from 'botbuilder';
import type { AzureBlobStorageConfig, Config } from '../config';
import { silentLogger, type Logger } from '../logger';
import { InProcessLock, type ConversationLock } from './conversation-lock';
import { SqliteStorage } from './sqlite-storage';
import type { InsightsStore } from '../domain/insights/insights-store';
import type { DeliveryStore } from '../domain/delivery/delivery-store';
import { SqliteInsightsStore } from './sqlite-insights-store';
import { SqliteDeliveryStore } from './sqlite-delivery-store';
import type * as AzureBlobStoreModule from './azure-blob-store';

export type StorageKind = 'sqlite' | 'azure-blob';

export interface StateStore {
  kind: StorageKind;
  /** Conversation and user state. */
  storage: Storage;
  /** Session milestones and unrecognised texts (insights): tables in the SQLite file, or Azure Table storage. */
  insights: InsightsStore;
  /** Tickets, follow-ups and Teams posts waiting to be delivered: a table in the SQLite file, or Azure Table storage. Pass to startServer's deps. */
  deliveries: DeliveryStore;
  /** Pass to startServer's deps (`{ lock }`). */
  lock: ConversationLock;
  /** Where state lives, for the start-up log line: a file, or a container URL (never a key or a SAS). */
  where: string;
  /** True while the store answers (for /readyz); never throws, gives up after `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes the SQLite file, or releases any lease still held. Call after the server has stopped. */
  close(): Promise<void>;
}

/** Default time a readiness check waits for the store. */
export const PING_TIMEOUT_MS = 2_000;

/**
 * The Azure SDKs (Blob, Table, botbuilder-azure-blobs) are loaded only when STORAGE=azure-blob asks for them:
 * they take about a tenth of a second to load, which a bot on SQLite would pay at every start for nothing.
 */
function azureBlobStore(settings: AzureBlobStorageConfig, logger: Logger): StateStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return (require('./azure-blob-store') as typeof AzureBlobStoreModule).azureBlobStore(settings, logger);
}

export function createStorage(config: Config, logger: Logger = silentLogger): StateStore {
  return config.azureBlobStorage ? azureBlobStore(config.azureBlobStorage, logger) : sqliteStore(config.dataDir);
}

function sqliteStore(dataDir: string): StateStore {
  const file = join(dataDir, 'bot.sqlite');
  const storage = new SqliteStorage(file);
  return {
    kind: 'sqlite',
    storage,
    insights: new SqliteInsightsStore(storage.database),
    deliveries: new SqliteDeliveryStore(storage.database),
    lock: new InProcessLock(),
    where: file,
    ping: async () => {
      try {
        return storage.ping();
      } catch {
        return false;
      }
    },
    close: async () => storage.close(),
  };
}
