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
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { ContainerClient } from '@azure/storage-blob';
import type { AzureBlobStorageConfig, Config } from '../config';
import { silentLogger, type Logger } from '../logger';
import { InProcessLock, layered, type ConversationLock } from './conversation-lock';
import { SqliteStorage } from './sqlite-storage';
import { AzureBlobLock } from './azure-blob-lock';
import type { InsightsStore } from '../domain/insights/insights-store';
import type { DeliveryStore } from '../domain/delivery/delivery-store';
import { SqliteInsightsStore } from './sqlite-insights-store';
import { AzureTableInsightsStore } from './azure-table-insights-store';
import { SqliteDeliveryStore } from './sqlite-delivery-store';
import { AzureTableDeliveryStore } from './azure-table-delivery-store';

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

function azureBlobStore(settings: AzureBlobStorageConfig, logger: Logger): StateStore {
  const container = new ContainerClient(settings.connectionString, settings.container);
  const blobLock = new AzureBlobLock(container, { leaseSeconds: settings.lockLeaseSeconds, waitMs: settings.lockWaitMs, logger });
  const url = new URL(container.url);
  return {
    kind: 'azure-blob',
    storage: new BlobsStorage(settings.connectionString, settings.container),
    insights: new AzureTableInsightsStore(settings.connectionString),
    deliveries: new AzureTableDeliveryStore(settings.connectionString),
    lock: layered(new InProcessLock(), blobLock),
    where: `${url.origin}${url.pathname}`,
    ping: async (timeoutMs = PING_TIMEOUT_MS) => {
      try {
        await container.getProperties({ abortSignal: AbortSignal.timeout(timeoutMs) });
        return true;
      } catch (error) {
        // The account answered and accepted the key; the container is made on first use.
        const { statusCode, code } = error as { statusCode?: number; code?: string };
        return statusCode === 404 && code === 'ContainerNotFound';
      }
    },
    close: () => blobLock.close(),
  };
}
