/**
 * One turn at a time per conversation across instances that share an Azure Blob
 * Storage container (STORAGE=azure-blob). botbuilder saves state with eTag `*`,
 * so two instances running turns of one conversation together would each write
 * what they read before the other's change: the lock is what keeps the state whole.
 *
 * How: each conversation has a lock blob, `locks/<urlencoded key>` in the state
 * container (created empty when missing). A turn takes a lease on it
 * (`leaseSeconds`, 15..60), renews the lease every half lease while the turn runs,
 * and releases it in `finally`. While another instance holds the lease (409
 * LeaseAlreadyPresent) the turn retries with a short exponential backoff with
 * jitter, and gives up after `waitMs` with a ConversationBusyError (the bot's
 * onTurnError then apologises and the user tries again). A crashed instance's
 * lease expires by itself after `leaseSeconds`.
 *
 * Use it behind the in-process queue, `layered(new InProcessLock(), lock)`, so
 * that only one turn per conversation and instance asks Azure at a time.
 */
import { createHash } from 'node:crypto';
import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { ConversationLock } from './conversation-lock';
import { silentLogger, type Logger } from '../logger';

export const LOCK_BLOB_PREFIX = 'locks/';
/** Longest encoded key kept readable in a blob name; longer ones are hashed (blob names stop at 1024). */
const MAX_READABLE_KEY = 512;

export interface AzureBlobLockOptions {
  /** Lease duration in seconds, 15..60 (Azure's range for a finite lease). Default 15. */
  leaseSeconds?: number;
  /** Give up acquiring after this long. Default 15 000 ms. */
  waitMs?: number;
  /** First retry delay after LeaseAlreadyPresent, doubled per retry (before jitter). Default 25 ms. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 500 ms. */
  retryMaxMs?: number;
  /** How often the lease is renewed while a turn runs. Default half the lease. */
  renewEveryMs?: number;
  logger?: Logger;
  /** In [0, 1): the jitter. */
  random?: () => number;
}

/** A turn could not get its conversation's lock in time; nothing of the turn has run. */
export class ConversationBusyError extends Error {
  constructor(
    readonly waitedMs: number,
    readonly reason: 'held-by-another-turn' | 'storage-too-slow',
  ) {
    super(
      reason === 'held-by-another-turn'
        ? `Conversation busy: another turn of this conversation (on another instance) held its lock for ${waitedMs} ms; gave up waiting`
        : `Conversation lock not acquired: Azure Blob Storage did not answer within ${waitedMs} ms`,
    );
    this.name = 'ConversationBusyError';
  }
}

/** The lock blob's name for a conversation key: readable when short enough, else a hash. */
export function lockBlobName(conversationKey: string): string {
  const encoded = encodeURIComponent(conversationKey);
  if (encoded.length <= MAX_READABLE_KEY) return `${LOCK_BLOB_PREFIX}${encoded}`;
  return `${LOCK_BLOB_PREFIX}sha256-${createHash('sha256').update(conversationKey).digest('hex')}`;
}

interface StorageErrorShape {
  statusCode?: number;
  code?: string;
  name?: string;
}

function shapeOf(error: unknown): StorageErrorShape {
  return typeof error === 'object' && error !== null ? (error as StorageErrorShape) : {};
}

function isAbort(error: unknown): boolean {
  const { name } = shapeOf(error);
  return name === 'AbortError' || name === 'TimeoutError';
}

/** What may be logged of a storage error: never a URL (it may carry a SAS) nor a key. */
function logFields(error: unknown): Record<string, unknown> {
  const { statusCode, code, name } = shapeOf(error);
  return { errorClass: name ?? typeof error, ...(statusCode ? { status: statusCode } : {}), ...(code ? { code } : {}) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A lease held by this process, renewed until it is released. */
class HeldLease {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly lease: BlobLeaseClient,
    private readonly renewEveryMs: number,
    private readonly onRenewed: () => void,
    private readonly logger: Logger,
  ) {
    this.schedule(renewEveryMs);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.renewing = this.lease.renewLease().then(
        () => {
          this.onRenewed();
          if (!this.stopped) this.schedule(this.renewEveryMs);
        },
        (error: unknown) => {
          // 409: the lease is gone (it expired and another turn took it); renewing again cannot help.
          const lost = shapeOf(error).statusCode === 409;
          this.logger.log('warn', lost ? 'conversation-lock-lost' : 'conversation-lock-renew-failed', logFields(error));
          if (!this.stopped && !lost) this.schedule(Math.min(this.renewEveryMs, 1_000));
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** Stops renewing and releases; a lease that cannot be released expires by itself. */
  async release(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing;
    try {
      await this.lease.releaseLease();
    } catch (error) {
      this.logger.log('warn', 'conversation-lock-release-failed', logFields(error));
    }
  }
}

export class AzureBlobLock implements ConversationLock {
  private readonly leaseSeconds: number;
  private readonly waitMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly renewEveryMs: number;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly held = new Set<HeldLease>();
  private containerReady: Promise<unknown> | undefined;
  private renewed = 0;

  constructor(
    private readonly container: ContainerClient,
    options: AzureBlobLockOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 15;
    if (!Number.isInteger(this.leaseSeconds) || this.leaseSeconds < 15 || this.leaseSeconds > 60) {
      throw new RangeError(`leaseSeconds must be a whole number of seconds from 15 to 60, not ${this.leaseSeconds}`);
    }
    this.waitMs = options.waitMs ?? 15_000;
    this.retryBaseMs = options.retryBaseMs ?? 25;
    this.retryMaxMs = options.retryMaxMs ?? 500;
    this.renewEveryMs = options.renewEveryMs ?? (this.leaseSeconds * 1_000) / 2;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
  }

  async withLock<T>(conversationKey: string, work: () => Promise<T>): Promise<T> {
    const lease = await this.acquire(this.container.getBlockBlobClient(lockBlobName(conversationKey)));
    const held = new HeldLease(lease, this.renewEveryMs, () => (this.renewed += 1), this.logger);
    this.held.add(held);
    try {
      return await work();
    } finally {
      this.held.delete(held);
      await held.release();
    }
  }

  /** Leases this process holds now (turns running): for tests and shutdown. */
  get busy(): number {
    return this.held.size;
  }

  /** Lease renewals so far (turns that ran longer than half a lease). */
  get renewals(): number {
    return this.renewed;
  }

  /** Releases any lease still held (turns cut short by shutdown); new turns still work. */
  async close(): Promise<void> {
    const held = [...this.held];
    this.held.clear();
    await Promise.all(held.map((lease) => lease.release()));
  }

  private async acquire(blob: BlockBlobClient): Promise<BlobLeaseClient> {
    // One lease id for every attempt: an attempt whose answer was lost but which took the
    // lease is simply taken again (acquiring with the id that holds the lease succeeds).
    const lease = blob.getBlobLeaseClient();
    const started = Date.now();
    let busyRetries = 0;
    let repairs = 0;
    // Out of time: because the other turn kept the lease, unless storage never answered at all.
    const giveUp = () => new ConversationBusyError(this.waitMs, busyRetries > 0 ? 'held-by-another-turn' : 'storage-too-slow');
    for (;;) {
      const remaining = started + this.waitMs - Date.now();
      if (remaining <= 0) throw giveUp();
      try {
        await lease.acquireLease(this.leaseSeconds, { abortSignal: AbortSignal.timeout(remaining) });
        return lease;
      } catch (error) {
        if (isAbort(error)) throw giveUp();
        const { statusCode, code } = shapeOf(error);
        if (statusCode === 409 && code === 'LeaseAlreadyPresent') {
          const delay = this.backoff(busyRetries);
          busyRetries += 1;
          await sleep(Math.min(delay, Math.max(0, started + this.waitMs - Date.now())));
          continue;
        }
        // The first turn of a conversation: no lock blob yet (or no container yet). Make it, then try again.
        if (statusCode === 404 && repairs < 3) {
          repairs += 1;
          await this.createLockBlob(blob, code === 'ContainerNotFound');
          continue;
        }
        throw error;
      }
    }
  }

  /** min(max, base · 2^retries), with equal jitter (half of it, plus up to the other half at random). */
  private backoff(retries: number): number {
    const capped = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(retries, 20));
    return Math.round(capped / 2 + this.random() * (capped / 2));
  }

  private async createLockBlob(blob: BlockBlobClient, containerMissing: boolean): Promise<void> {
    if (containerMissing) await this.ensureContainer();
    try {
      // Only if missing: another instance may be creating (or leasing) it at the same moment.
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      const { statusCode, code } = shapeOf(error);
      if (statusCode === 409 || statusCode === 412) return; // already there: fine
      if (statusCode === 404 && code === 'ContainerNotFound' && !containerMissing) return this.createLockBlob(blob, true);
      throw error;
    }
  }

  private ensureContainer(): Promise<unknown> {
    this.containerReady ??= this.container.createIfNotExists().catch((error: unknown) => {
      this.containerReady = undefined;
      throw error;
    });
    return this.containerReady;
  }
}
