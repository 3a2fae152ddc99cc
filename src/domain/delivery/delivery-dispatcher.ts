/**
 * Delivers what waits in the delivery store (tickets, follow-up questions,
 * Teams posts), each through its kind's handler, and settles each outcome with
 * the user once.
 *
 * - `enqueue` stores the entry first (durably), then, if it is due already,
 *   starts one attempt in the background and returns without waiting for the
 *   receiver: a turn is never held up by it.
 * - `start` polls the store every `pollIntervalMs` for entries that are due:
 *   retries after a backoff, entries due later (a follow-up in 24 hours), and
 *   whatever a previous run of the bot left pending or not yet settled.
 * - A failed attempt that may succeed later (a retryable DeliveryError, or any
 *   other error) is retried with exponential backoff and jitter (`baseDelayMs`
 *   doubling up to `maxDelayMs`, at least a Retry-After); once the next attempt
 *   would come later than the kind's `maxAgeMs` after the entry fell due, it is
 *   marked failed (reason `expired`). A DeliveryError that is not retryable
 *   marks it failed at once (reason `rejected`). A DeliveryLater is not a
 *   failure: the entry is rescheduled (with its new payload, if any) and its
 *   max age counts again from then.
 * - Each entry is worked on by one dispatcher at a time: an in-process map plus
 *   the store's atomic claim (a lease of `leaseMs`), which also holds between
 *   two processes or two dispatchers over one store. An attempt is aborted and
 *   counted as a timeout after `attemptTimeoutMs`, well inside the lease.
 * - Once delivered or failed, a kind whose handler has `settle` tells the user;
 *   `settledAt` is recorded after it resolves. If the bot stops between the
 *   outcome and telling, the next dispatcher over the same store tells. (A crash
 *   in the instant between `settle` resolving and `settledAt` being written would
 *   tell again after the restart: we prefer telling twice to never telling.)
 *   Telling that throws is retried with the same backoff until `maxAgeMs` after
 *   the outcome, then abandoned (logged as an error). Kinds without `settle` are
 *   settled by the user's own turn (an answer), not here.
 * - An entry of a kind that has no handler here is left alone (not claimed) for a
 *   dispatcher that has one; the first such entry of each kind is logged.
 *
 * Logs carry the id, kind, attempt, HTTP status and error class only: never the
 * payload, the conversation or the receiver's answer.
 *
 * Core: no botbuilder import. Clock, timers and randomness are injected.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger';
import type { DeliveryEntry, DeliveryKind, DeliveryProblem, DeliveryStore, NewDelivery } from './delivery-store';
import type { DeliveryHandler, DeliveryReceipt, SettleEvent } from './delivery-handler';
import { DeliveryError, DeliveryLater } from './delivery-error';
import { DEFAULT_RETRY_POLICY, backoffDelay, retryPolicy, type RetryPolicy } from './retry-policy';
import { bounded, namedError, systemClock, systemTimers, type Clock, type Timers } from './timing';

export type { DeliveryHandler, DeliveryReceipt, SettleEvent } from './delivery-handler';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './retry-policy';
export type { Clock, Timers } from './timing';

export type DeliveryHandlers = Partial<Record<DeliveryKind, DeliveryHandler>>;

export interface DeliveryDispatcherOptions {
  store: DeliveryStore;
  /** One per kind this dispatcher delivers; entries of other kinds are left for another dispatcher. */
  handlers: DeliveryHandlers;
  logger?: Logger;
  clock?: Clock;
  timers?: Timers;
  /** In [0, 1): the jitter. */
  random?: () => number;
  /** Defaults for every kind; each handler's own `retry` goes over them. */
  retry?: Partial<RetryPolicy>;
  /** How often `start` looks for due entries. Default 1 s. */
  pollIntervalMs?: number;
  /** Bound on one attempt (all its requests) and on telling the user once. Default 30 s. */
  attemptTimeoutMs?: number;
  /** How long a claim holds; must exceed `attemptTimeoutMs`. Default twice `attemptTimeoutMs`. */
  leaseMs?: number;
  /** Entries worked on at once by this dispatcher. Default 4. */
  concurrency?: number;
  /** Claim owner id; default a random UUID per dispatcher. */
  owner?: string;
}

/** Ids travel in headers (a ticket's Idempotency-Key), SQL and Azure Table keys: letters, digits and `._:-`, 1 to 200. */
export const DELIVERY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * Due entries of kinds without a handler stay at the head of the due list (nobody
 * moves them on), so each poll asks for that many more, up to this bound, lest
 * they crowd out the entries this dispatcher can deliver.
 */
const MAX_UNHANDLED_LOOKAHEAD = 1_000;

const noLogger: Logger = { log() {} };

function describe(error: unknown): DeliveryProblem {
  if (error instanceof DeliveryError) return error.status === undefined ? { errorClass: error.errorClass } : { errorClass: error.errorClass, status: error.status };
  if (error instanceof Error) return { errorClass: error.name };
  return { errorClass: typeof error };
}

export class DeliveryDispatcher {
  private readonly store: DeliveryStore;
  private readonly handlers = new Map<DeliveryKind, DeliveryHandler>();
  private readonly policies = new Map<DeliveryKind, RetryPolicy>();
  /** Kinds whose handler tells the user: their delivered and failed entries are due until settled. */
  private readonly settlingKinds: DeliveryKind[];
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly pollIntervalMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  readonly owner: string;

  private readonly inFlight = new Map<string, Promise<void>>();
  /** Ids seen due whose kind has no handler here: looked past, never claimed. */
  private readonly unhandled = new Set<string>();
  private readonly warnedKinds = new Set<DeliveryKind>();
  /** Polling. */
  private running = false;
  /** After stop(): no new work is taken. */
  private closed = false;
  private pollTimer: unknown;
  private currentPoll: Promise<void> | undefined;

  constructor(options: DeliveryDispatcherOptions) {
    this.store = options.store;
    this.logger = options.logger ?? noLogger;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 2 * this.attemptTimeoutMs;
    this.concurrency = options.concurrency ?? 4;
    this.owner = options.owner ?? randomUUID();
    const defaults = retryPolicy(DEFAULT_RETRY_POLICY, options.retry, 'defaults');
    for (const [kind, handler] of Object.entries(options.handlers) as [DeliveryKind, DeliveryHandler | undefined][]) {
      if (handler === undefined) continue;
      this.handlers.set(kind, handler);
      this.policies.set(kind, retryPolicy(defaults, handler.retry, kind));
    }
    this.settlingKinds = [...this.handlers].filter(([, handler]) => handler.settle !== undefined).map(([kind]) => kind);
    if (!(this.pollIntervalMs > 0 && this.attemptTimeoutMs > 0 && this.concurrency >= 1)) throw new RangeError('pollIntervalMs, attemptTimeoutMs and concurrency must be positive');
    if (!(this.leaseMs > this.attemptTimeoutMs)) throw new RangeError('leaseMs must exceed attemptTimeoutMs');
  }

  /** True when this dispatcher has a handler for `kind` (the helpdesk desk asks before promising a ticket). */
  handles(kind: DeliveryKind): boolean {
    return this.handlers.has(kind);
  }

  /**
   * Stores the entry (before anything is sent), then starts one attempt without
   * waiting for it if it is due already. Resolves with the stored entry (status
   * `pending` for a new one). Enqueuing an id that is already stored changes
   * nothing and returns the stored entry. After `stop`, or for a kind without a
   * handler here, the entry is stored only: another dispatcher over the store
   * delivers it.
   */
  async enqueue(delivery: NewDelivery): Promise<DeliveryEntry> {
    if (!DELIVERY_ID_PATTERN.test(delivery.id)) throw new RangeError('a delivery id must be 1 to 200 letters, digits or ._:- characters');
    const now = this.clock.now();
    const { entry, created } = await this.store.add(delivery, now);
    this.logger.log('info', 'delivery.enqueued', { id: entry.id, kind: entry.kind, created });
    if (!this.handlers.has(entry.kind)) this.warnNoHandler(entry.kind);
    else if (!this.closed && entry.nextAttemptAt <= now) this.launch(entry.id, entry.kind);
    return entry;
  }

  /** Starts polling for due entries (right away, then every `pollIntervalMs`). A stopped dispatcher stays stopped: make a new one. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.schedulePoll(0);
  }

  /** Stops polling and taking new work, and waits for the attempts and settling in flight. */
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
    try {
      const limit = this.concurrency * 4 + Math.min(this.unhandled.size, MAX_UNHANDLED_LOOKAHEAD);
      const ids = await this.store.due(this.clock.now(), limit, this.settlingKinds);
      // Forget the unhandled ids that are no longer due (another dispatcher took them), so the look-ahead stays true.
      const dueNow = new Set(ids);
      for (const id of this.unhandled) if (!dueNow.has(id)) this.unhandled.delete(id);
      for (const id of ids) {
        if (this.closed || this.inFlight.size >= this.concurrency) return;
        if (this.unhandled.has(id) || this.inFlight.has(id)) continue;
        // Look before claiming: an entry of a kind without a handler here is never claimed, so another dispatcher may take it.
        const kind = (await this.store.get(id))?.kind;
        if (kind === undefined) continue;
        if (this.handlers.has(kind)) {
          this.launch(id, kind);
        } else {
          this.unhandled.add(id);
          this.warnNoHandler(kind);
        }
      }
    } catch (error) {
      this.logger.log('error', 'delivery.poll-failed', { ...describe(error) });
    }
  }

  private launch(id: string, kind: DeliveryKind): void {
    if (this.inFlight.has(id)) return;
    const work = this.work(id, this.handlers.get(kind)!)
      .catch((error: unknown) => {
        this.logger.log('error', 'delivery.work-failed', { id, kind, ...describe(error) });
      })
      .finally(() => {
        this.inFlight.delete(id);
      });
    this.inFlight.set(id, work);
  }

  private warnNoHandler(kind: DeliveryKind): void {
    if (this.warnedKinds.has(kind)) return;
    this.warnedKinds.add(kind);
    this.logger.log('warn', 'delivery.no-handler', { kind });
  }

  /** Claim, deliver if pending and due, settle if there is an outcome not yet told, release. */
  private async work(id: string, handler: DeliveryHandler): Promise<void> {
    const now = this.clock.now();
    if (!(await this.store.claim(id, this.owner, now, now + this.leaseMs))) return;
    try {
      let entry = await this.store.get(id);
      if (entry === undefined || entry.nextAttemptAt > now || entry.settledAt !== undefined || entry.settleAbandonedAt !== undefined) return;
      if (entry.status === 'pending') {
        entry = await this.deliver(entry, handler);
        if (entry === undefined || entry.status === 'pending') return;
      }
      if (handler.settle !== undefined && (entry.status === 'delivered' || entry.status === 'failed') && entry.nextAttemptAt <= this.clock.now()) {
        await this.tell(entry, handler);
      }
    } finally {
      await this.store.release(id, this.owner);
    }
  }

  /** One attempt; returns the entry as stored afterwards (undefined if it was cancelled or the claim was lost meanwhile). */
  private async deliver(entry: DeliveryEntry, handler: DeliveryHandler): Promise<DeliveryEntry | undefined> {
    const { id, kind } = entry;
    const attempt = await this.store.startAttempt(id, this.owner, this.clock.now());
    if (attempt === undefined) return this.lost(id, kind);
    const startedAt = this.clock.now();
    const fields = () => ({ id, kind, attempt, handler: handler.name, durationMs: this.clock.now() - startedAt });
    let recorded: boolean;
    try {
      const receipt = await bounded<DeliveryReceipt>(this.timers, this.attemptTimeoutMs, (signal) => handler.deliver(entry, { attempt, signal }), () => new DeliveryError('timeout', true));
      recorded = await this.store.markDelivered(id, this.owner, receipt.reference, this.clock.now());
      if (recorded) this.logger.log('info', 'delivery.delivered', { ...fields(), status: receipt.status, existing: receipt.existing === true });
    } catch (error) {
      recorded = await this.afterFailedAttempt(entry, attempt, error, fields());
    }
    return recorded ? this.store.get(id) : this.lost(id, kind);
  }

  /** Records what an attempt that did not deliver means: later, a retry, or the end. False if the store refused (claim lost). */
  private async afterFailedAttempt(entry: DeliveryEntry, attempt: number, error: unknown, fields: Record<string, unknown>): Promise<boolean> {
    const { id, kind } = entry;
    const now = this.clock.now();
    if (error instanceof DeliveryLater) {
      const recorded = await this.store.reschedule(id, this.owner, now + error.delayMs, error.payload);
      if (recorded) this.logger.log('info', 'delivery.rescheduled', { ...fields, retryInMs: error.delayMs });
      return recorded;
    }
    const problem = describe(error);
    // Anything that is not a DeliveryError (a bug, a surprise from a library) is retried: the max age bounds it.
    if (error instanceof DeliveryError && !error.retryable) {
      const recorded = await this.store.markFailed(id, this.owner, 'rejected', problem, now);
      if (recorded) this.logger.log('error', 'delivery.failed', { ...fields, ...problem, reason: 'rejected' });
      return recorded;
    }
    const policy = this.policies.get(kind)!;
    // `attempt` counts reschedules too, so after some the backoff starts higher: harmless, the cap bounds it.
    const delay = backoffDelay(attempt, policy, this.random, error instanceof DeliveryError ? error.retryAfterMs : undefined);
    if (now + delay - (entry.dueAt ?? entry.createdAt) > policy.maxAgeMs) {
      const recorded = await this.store.markFailed(id, this.owner, 'expired', problem, now);
      if (recorded) this.logger.log('error', 'delivery.failed', { ...fields, ...problem, reason: 'expired' });
      return recorded;
    }
    const recorded = await this.store.scheduleRetry(id, this.owner, now + delay, problem);
    if (recorded) this.logger.log('warn', 'delivery.retry', { ...fields, ...problem, retryInMs: delay });
    return recorded;
  }

  /** The store refused a change: say why (the user cancelled, or our lease ran out and another dispatcher carries on). */
  private async lost(id: string, kind: DeliveryKind): Promise<undefined> {
    const entry = await this.store.get(id);
    if (entry?.status === 'cancelled') this.logger.log('info', 'delivery.cancelled', { id, kind });
    else this.logger.log('warn', 'delivery.claim-lost', { id, kind });
    return undefined;
  }

  /** Tells the user (delivered or failed) and records it; on failure, schedules another try or gives up. */
  private async tell(entry: DeliveryEntry, handler: DeliveryHandler): Promise<void> {
    const { id, kind } = entry;
    const event: SettleEvent = entry.status === 'delivered' ? 'delivered' : 'failed';
    const now = this.clock.now();
    // The delivery may have used much of the lease: renew it for telling.
    if (!(await this.store.claim(id, this.owner, now, now + this.leaseMs))) return;
    try {
      await bounded(
        this.timers,
        this.attemptTimeoutMs,
        async () => {
          await handler.settle?.(entry, event);
        },
        () => namedError('SettleTimeoutError', 'settle timed out'),
      );
    } catch (error) {
      const after = this.clock.now();
      const policy = this.policies.get(kind)!;
      const failures = entry.settleAttempts + 1;
      const delay = backoffDelay(failures, policy, this.random);
      const outcomeAt = entry.deliveredAt ?? entry.failedAt ?? entry.createdAt;
      // `outcome`, not `event`: the logger's own field for the line's name.
      const fields = { id, kind, outcome: event, settleAttempt: failures, ...describe(error) };
      if (after + delay - outcomeAt > policy.maxAgeMs) {
        await this.store.abandonSettle(id, this.owner, after);
        this.logger.log('error', 'delivery.settle-abandoned', fields);
      } else {
        await this.store.scheduleSettle(id, this.owner, after + delay);
        this.logger.log('warn', 'delivery.settle-failed', { ...fields, retryInMs: delay });
      }
      return;
    }
    if (await this.store.settle(id, this.owner, this.clock.now())) this.logger.log('info', 'delivery.settled', { id, kind, outcome: event });
    else this.logger.log('warn', 'delivery.settle-not-recorded', { id, kind, outcome: event });
  }
}
