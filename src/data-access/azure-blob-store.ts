/**
 * STORAGE=azure-blob (create-storage.ts loads this file only then): botbuilder-azure-blobs' BlobsStorage in
 * AZURE_STORAGE_CONTAINER, a lease per conversation in the same container behind the in-process queue, and the
 * insights and deliveries in Azure Table storage of the same account.
 */
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { ContainerClient } from '@azure/storage-blob';
import type { AzureBlobStorageConfig } from '../config';
import type { Logger } from '../logger';
import { InProcessLock, layered } from './conversation-lock';
import { AzureBlobLock } from './azure-blob-lock';
import { AzureTableInsightsStore } from './azure-table-insights-store';
import { AzureTableDeliveryStore } from './azure-table-delivery-store';
import { PING_TIMEOUT_MS, type StateStore } from './create-storage';

export function azureBlobStore(settings: AzureBlobStorageConfig, logger: Logger): StateStore {
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
