/**
 * Delivers handoff cases from the outbox to the helpdesk and tells the user how
 * it went, exactly once per case.
 *
 * - `enqueue` stores the case first (durably, in the outbox), then starts one
 *   delivery attempt in the background and returns without waiting for the
 *   helpdesk: a turn is never held up by it.
 * - `start` polls the outbox every `pollIntervalMs` for entries that are due:
 *   retries after a backoff, and whatever a previous run of the bot left pending
 *   or delivered-but-not-yet-notified.
 * - A failed attempt that may succeed later (timeout, network, 5xx, 408, 409,
 *   429) is retried with exponential backoff and jitter (`baseDelayMs` doubling
 *   up to `maxDelayMs`, at least a Retry-After); once the next attempt would come
 *   later than `maxAgeMs` after the case was stored, the entry is marked failed
 *   (reason `expired`). Any other 4xx marks it failed at once (reason `rejected`).
 * - Each case is worked on by one dispatcher at a time: an in-process set plus
 *   the outbox's atomic claim (a lease of `leaseMs`), which also holds between
 *   two processes or two dispatchers over one SQLite file. An attempt is aborted
 *   after `attemptTimeoutMs`, well inside the lease.
 * - Once delivered or failed, `notify(entry, event)` is called; `notifiedAt` is
 *   recorded after it resolves. If the bot stops between the outcome and the
 *   notification, the next dispatcher over the same outbox notifies. (A crash in
 *   the instant between `notify` resolving and `notifiedAt` being written would
 *   notify again after the restart: we prefer telling twice to never telling.)
 *   A notification that throws is retried with the same backoff until
 *   `maxAgeMs` after the outcome, then abandoned (logged as an error).
 *
 * Logs carry the case id, attempt, HTTP status and error class only: never the
 * paste, the note, the summary or the helpdesk's answer.
 *
 * Core: no botbuilder import. Clock, timers and randomness are injected.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger';
import type { HandoffCase } from './handoff-case';
import type { DeliveryError, Outbox, OutboxEntry } from './outbox';
import { TicketError, isValidCaseId, type TicketClient } from './ticket';

export type NotifyEvent = 'delivered' | 'failed';
export type Notify = (entry: OutboxEntry, event: NotifyEvent) => Promise<void>;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RetryPolicy {
  /** Delay after the first failed attempt (before jitter). Default 1 s. */
  baseDelayMs: number;
  /** Longest delay between attempts. Default 5 min. */
  maxDelayMs: number;
  /** Give up (failed, `expired`) when the next attempt would be later than this after the case was stored. Default 24 h. */
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, maxAgeMs: 24 * 60 * 60_000 };

export interface HandoffDispatcherOptions {
  outbox: Outbox;
  client: TicketClient;
  notify: Notify;
  logger?: Logger;
  clock?: Clock;
  timers?: Timers;
  /** In [0, 1): the jitter. */
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /** How often `start` looks for due entries. Default 1 s. */
  pollIntervalMs?: number;
  /** Bound on one delivery attempt (all its requests) and on one notification. Default 30 s. */
  attemptTimeoutMs?: number;
  /** How long a claim holds; must exceed `attemptTimeoutMs`. Default twice `attemptTimeoutMs`. */
  leaseMs?: number;
  /** Cases worked on at once by this dispatcher. Default 4. */
  concurrency?: number;
  /** Claim owner id; default a random UUID per dispatcher. */
  owner?: string;
}

const systemClock: Clock = { now: () => Date.now() };
const systemTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
const noLogger: Logger = { log() {} };

/**
 * Delay before retry number `failures` (1 after the first failed attempt):
 * min(max, base · 2^(failures-1)), with "equal jitter" (between half and all of
 * it), and never shorter than a Retry-After the helpdesk asked for (capped at max).
 */
export function backoffDelay(failures: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jittered = Math.round(capped / 2 + random() * (capped / 2));
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.max(jittered, asked);
}

function describe(error: unknown): DeliveryError {
  if (error instanceof TicketError) return error.status === undefined ? { errorClass: error.errorClass } : { errorClass: error.errorClass, status: error.status };
  if (error instanceof Error) return { errorClass: error.name };
  return { errorClass: typeof error };
}

export class HandoffDispatcher {
  private readonly outbox: Outbox;
  private readonly client: TicketClient;
  private readonly notify: Notify;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly pollIntervalMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  readonly owner: string;

  private readonly inFlight = new Map<string, Promise<void>>();
  /** Polling. */
  private running = false;
  /** After stop(): no new work is taken. */
  private closed = false;
  private pollTimer: unknown;
  private currentPoll: Promise<void> | undefined;

  constructor(options: HandoffDispatcherOptions) {
    this.outbox = options.outbox;
    this.client = options.client;
    this.notify = options.notify;
    this.logger = options.logger ?? noLogger;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 2 * this.attemptTimeoutMs;
    this.concurrency = options.concurrency ?? 4;
    this.owner = options.owner ?? randomUUID();
    const { baseDelayMs, maxDelayMs, maxAgeMs } = this.policy;
    if (!(baseDelayMs > 0 && maxDelayMs >= baseDelayMs && maxAgeMs > 0)) throw new RangeError('retry policy: need 0 < baseDelayMs <= maxDelayMs and maxAgeMs > 0');
    if (!(this.pollIntervalMs > 0 && this.attemptTimeoutMs > 0 && this.concurrency >= 1)) throw new RangeError('pollIntervalMs, attemptTimeoutMs and concurrency must be positive');
    if (!(this.leaseMs > this.attemptTimeoutMs)) throw new RangeError('leaseMs must exceed attemptTimeoutMs');
  }

  /**
   * Stores the case (before anything is sent), then starts one delivery attempt
   * without waiting for it. Resolves with the stored entry (status `pending` for
   * a new case). Enqueuing a case id that is already stored changes nothing and
   * returns the stored entry. After `stop`, the case is stored only; the next
   * dispatcher over the outbox delivers it.
   */
  async enqueue(handoffCase: HandoffCase, conversation: unknown): Promise<OutboxEntry> {
    if (!isValidCaseId(handoffCase.caseId)) throw new RangeError('caseId must be 1 to 100 letters, digits or ._:- characters');
    const { entry, created } = await this.outbox.add(handoffCase, conversation, this.clock.now());
    this.logger.log('info', 'handoff.enqueued', { caseId: entry.caseId, created });
    if (!this.closed) this.launch(entry.caseId);
    return entry;
  }

  /** Starts polling for due entries (right away, then every `pollIntervalMs`). A stopped dispatcher stays stopped: make a new one. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.schedulePoll(0);
  }

  /** Stops polling and taking new work, and waits for the attempts and notifications in flight. */
  async stop(): Promise<void> {
    this.closed = true;
    this.running = false;
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.currentPoll;
    await this.drain();
  }

  /** Waits until nothing is in flight (work started while waiting included). For tests and shutdown. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** One look for due entries, waiting for the work it started. For tests; `start` does this on a timer. */
  async poll(): Promise<void> {
    await this.pollOnce();
    await this.drain();
  }

  private schedulePoll(delay: number): void {
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      if (!this.running) return;
      this.currentPoll = this.pollOnce().finally(() => {
        this.currentPoll = undefined;
        if (this.running) this.schedulePoll(this.pollIntervalMs);
      });
    }, delay);
  }

  private async pollOnce(): Promise<void> {
    let caseIds: string[];
    try {
      caseIds = await this.outbox.due(this.clock.now(), this.concurrency * 4);
    } catch (error) {
      this.logger.log('error', 'handoff.poll-failed', { ...describe(error) });
      return;
    }
    for (const caseId of caseIds) {
      if (this.closed) return;
      if (this.inFlight.size >= this.concurrency) return;
      this.launch(caseId);
    }
  }

  private launch(caseId: string): void {
    if (this.inFlight.has(caseId)) return;
    const work = this.work(caseId)
      .catch((error: unknown) => {
        this.logger.log('error', 'handoff.work-failed', { caseId, ...describe(error) });
      })
      .finally(() => {
        this.inFlight.delete(caseId);
      });
    this.inFlight.set(caseId, work);
  }

  /** Claim, deliver if pending and due, notify if there is an outcome not yet told, release. */
  private async work(caseId: string): Promise<void> {
    const now = this.clock.now();
    if (!(await this.outbox.claim(caseId, this.owner, now, now + this.leaseMs))) return;
    try {
      let entry = await this.outbox.get(caseId);
      if (entry === undefined || entry.nextAttemptAt > now) return;
      if (entry.status === 'pending') {
        entry = await this.deliver(entry);
        if (entry === undefined) {
          // Our lease ran out and another dispatcher holds the case now; it carries on (same idempotency key).
          this.logger.log('warn', 'handoff.claim-lost', { caseId });
          return;
        }
        if (entry.status === 'pending') return;
      }
      if (entry.notifiedAt === undefined && entry.notifyAbandonedAt === undefined && entry.nextAttemptAt <= this.clock.now()) {
        await this.tell(entry);
      }
    } finally {
      await this.outbox.release(caseId, this.owner);
    }
  }

  /** One delivery attempt; returns the entry as stored afterwards (undefined if the claim was lost). */
  private async deliver(entry: OutboxEntry): Promise<OutboxEntry | undefined> {
    const { caseId } = entry;
    const attempt = await this.outbox.startAttempt(caseId, this.owner, this.clock.now());
    if (attempt === undefined) return undefined;
    const startedAt = this.clock.now();
    try {
      const receipt = await this.client.create(entry.handoffCase, { attempt, signal: AbortSignal.timeout(this.attemptTimeoutMs) });
      const durationMs = this.clock.now() - startedAt;
      if (!(await this.outbox.markDelivered(caseId, this.owner, receipt.reference, this.clock.now()))) return undefined;
      this.logger.log('info', 'handoff.delivered', { caseId, attempt, status: receipt.status, existing: receipt.existing === true, helpdesk: this.client.kind, durationMs });
    } catch (error) {
      const durationMs = this.clock.now() - startedAt;
      const problem = describe(error);
      // Anything that is not a TicketError (a bug, a surprise from fetch) is retried: the max age bounds it.
      const retryable = error instanceof TicketError ? error.retryable : true;
      const now = this.clock.now();
      const fields = { caseId, attempt, ...problem, helpdesk: this.client.kind, durationMs };
      if (!retryable) {
        if (!(await this.outbox.markFailed(caseId, this.owner, 'rejected', problem, now))) return undefined;
        this.logger.log('error', 'handoff.failed', { ...fields, reason: 'rejected' });
      } else {
        const retryAfterMs = error instanceof TicketError ? error.retryAfterMs : undefined;
        const delay = backoffDelay(attempt, this.policy, this.random, retryAfterMs);
        if (now + delay - entry.createdAt > this.policy.maxAgeMs) {
          if (!(await this.outbox.markFailed(caseId, this.owner, 'expired', problem, now))) return undefined;
          this.logger.log('error', 'handoff.failed', { ...fields, reason: 'expired' });
        } else {
          if (!(await this.outbox.scheduleRetry(caseId, this.owner, now + delay, problem))) return undefined;
          this.logger.log('warn', 'handoff.retry', { ...fields, retryInMs: delay });
        }
      }
    }
    return this.outbox.get(caseId);
  }

  /** Tells the user (delivered or failed) and records it; on failure, schedules another try. */
  private async tell(entry: OutboxEntry): Promise<void> {
    const { caseId } = entry;
    const event: NotifyEvent = entry.status === 'delivered' ? 'delivered' : 'failed';
    const now = this.clock.now();
    // The delivery may have used much of the lease: renew it for the notification.
    if (!(await this.outbox.claim(caseId, this.owner, now, now + this.leaseMs))) return;
    try {
      await this.withTimeout(this.notify(entry, event), this.attemptTimeoutMs);
    } catch (error) {
      const after = this.clock.now();
      const failures = entry.notifyAttempts + 1;
      const delay = backoffDelay(failures, this.policy, this.random);
      const outcomeAt = entry.deliveredAt ?? entry.failedAt ?? entry.createdAt;
      if (after + delay - outcomeAt > this.policy.maxAgeMs) {
        await this.outbox.abandonNotify(caseId, this.owner, after);
        this.logger.log('error', 'handoff.notify-abandoned', { caseId, event, notifyAttempt: failures, ...describe(error) });
      } else {
        await this.outbox.scheduleNotify(caseId, this.owner, after + delay);
        this.logger.log('warn', 'handoff.notify-failed', { caseId, event, notifyAttempt: failures, ...describe(error), retryInMs: delay });
      }
      return;
    }
    await this.outbox.markNotified(caseId, this.owner, this.clock.now());
    this.logger.log('info', 'handoff.notified', { caseId, event });
  }

  private withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        const timeout = new Error('notify timed out');
        timeout.name = 'NotifyTimeoutError';
        reject(timeout);
      }, ms);
      promise.then(
        (value) => {
          this.timers.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.timers.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
