/**
 * One durable way to deliver later (issue 11): a ticket for the helpdesk, a
 * follow-up question to the user, a case card for the Teams support channel.
 * An entry is stored BEFORE anything is said to the user, then attempted until
 * it is delivered or given up, exactly once, whatever restarts or how many
 * instances share the store.
 *
 * Life of an entry:
 *   pending ──(delivered)──▶ delivered ──(settled: user told / question answered)──▶ settledAt set
 *      │  └──(rescheduled: later, payload replaced; not a failure)──▶ pending
 *      ├──(not retryable, or still failing after the kind's max age)──▶ failed ──(settled)──▶ settledAt set
 *      └──(cancelled by the user: "Don't check back")──▶ cancelled
 *
 * Every change after `add` except `cancel` and `settle` is made by the holder of
 * the entry's claim (a lease: `claimedBy` until `claimedUntil`), so two
 * dispatchers over one store never work on one entry at the same time. Stores
 * implement the claim atomically (SQLite: one conditional UPDATE; Azure Table
 * storage: a conditional write on the entity's ETag).
 *
 * Core: plain TypeScript, no botbuilder, no SQLite, no Azure SDK.
 */

/** What is delivered. Each kind has its handler (delivery-dispatcher.ts). */
export type DeliveryKind = 'ticket' | 'follow-up' | 'teams-post';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** Why a delivery was given up: refused for good (4xx, 403 blocked, 404 gone), or still failing past the kind's max age. */
export type FailureReason = 'rejected' | 'expired';

/** What went wrong last, without any content: an error class and the HTTP status if there was one. */
export interface DeliveryProblem {
  errorClass: string;
  status?: number;
}

export interface DeliveryEntry {
  /** Unique per delivery: the case id for a ticket, "<kind>:<session id>[:<n>]" for the others. */
  id: string;
  kind: DeliveryKind;
  /** Opaque JSON of the kind (a HandoffCase, a FollowUp …): redacted before it gets here. */
  payload: unknown;
  /** Opaque JSON from the shell (a Bot Framework conversation reference): where to reach the user. */
  conversation: unknown;
  /** Who the delivery is for, to find it when they come back in a new conversation ("webchat:<signed user id>"); none when not needed. */
  userKey?: string;
  status: DeliveryStatus;
  /** Attempts started so far (counted before each attempt, so a crash mid-attempt still counts). */
  attempts: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** When the entry is next due: an attempt while pending, the settling step (telling the user) once delivered or failed. */
  nextAttemptAt: number;
  /**
   * When the current try fell due: the `dueAt` it was added with, then the time each `reschedule` set.
   * The kind's max age counts from here, so neither the wait before the first attempt nor a reschedule
   * (not a failure) counts toward it. (Optional only so that a store can be typed before it keeps it;
   * the contract test requires it. The dispatcher falls back to `createdAt`.)
   */
  dueAt?: number;
  /** What the receiver called it (a ticket number, an activity id), once delivered. */
  reference?: string;
  lastError?: DeliveryProblem;
  failureReason?: FailureReason;
  deliveredAt?: number;
  failedAt?: number;
  /** Set once nothing more is owed: the user was told the ticket's fate, or answered the follow-up. Never settled twice. */
  settledAt?: number;
  settleAttempts: number;
  /** Set when telling the user kept failing past the max age: the entry is no longer due. */
  settleAbandonedAt?: number;
  cancelledAt?: number;
}

export interface NewDelivery {
  id: string;
  kind: DeliveryKind;
  payload: unknown;
  conversation: unknown;
  userKey?: string;
  /** Epoch milliseconds: when the first attempt is due (now for a ticket, FOLLOW_UP_AFTER later for a follow-up). */
  dueAt: number;
}

/**
 * Durable store of deliveries. Methods that change an entry after `add` take the
 * claim owner and change nothing (returning false / undefined) if the entry is no
 * longer claimed by that owner — except `cancel` and `settle`, which the user's
 * own turn calls.
 */
export interface DeliveryStore {
  /**
   * Stores a new pending entry. Idempotent per id: if the id is already stored,
   * the stored entry is returned unchanged with `created: false`.
   */
  add(delivery: NewDelivery, now: number): Promise<{ entry: DeliveryEntry; created: boolean }>;
  get(id: string): Promise<DeliveryEntry | undefined>;
  /**
   * Ids of entries that need work at `now` and are not claimed (or whose claim has
   * lapsed): pending and due; or delivered/failed, of a kind that settles by telling
   * the user (`settlingKinds`), not yet settled nor abandoned, and due. Oldest due first.
   * A settled entry is never due (a pending one may be settled by the user's own turn).
   */
  due(now: number, limit: number, settlingKinds: readonly DeliveryKind[]): Promise<string[]>;
  /**
   * Atomically takes (or extends) the claim on an entry until `until`: succeeds
   * when the entry is unclaimed, its claim has lapsed, or `owner` already holds it.
   */
  claim(id: string, owner: string, now: number, until: number): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;
  /** Counts an attempt about to start; returns the new count, or undefined if not the owner. */
  startAttempt(id: string, owner: string, now: number): Promise<number | undefined>;
  /** The attempt failed and may succeed later: due again at `nextAttemptAt`. */
  scheduleRetry(id: string, owner: string, nextAttemptAt: number, problem: DeliveryProblem): Promise<boolean>;
  /** Due again at `nextAttemptAt` for a reason that is not a failure (the user is busy; "it has not run yet"), optionally with a new payload; attempts are not reset; `dueAt` becomes `nextAttemptAt`. */
  reschedule(id: string, owner: string, nextAttemptAt: number, payload?: unknown): Promise<boolean>;
  markDelivered(id: string, owner: string, reference: string, now: number): Promise<boolean>;
  markFailed(id: string, owner: string, reason: FailureReason, problem: DeliveryProblem | undefined, now: number): Promise<boolean>;
  /** By the claim owner (the dispatcher told the user), or with owner null by the user's own turn (they answered). False if already settled. */
  settle(id: string, owner: string | null, now: number): Promise<boolean>;
  /** Telling the user failed: try again at `nextAttemptAt`. */
  scheduleSettle(id: string, owner: string, nextAttemptAt: number): Promise<boolean>;
  /** Telling the user kept failing: stop trying (the entry keeps its outcome). */
  abandonSettle(id: string, owner: string, now: number): Promise<boolean>;
  /** The user does not want it: a pending entry becomes cancelled (false if it was not pending). */
  cancel(id: string, now: number): Promise<boolean>;
  /**
   * Entries of `kind` for `userKey` that the user still owes an answer to: delivered and
   * not settled, or pending and due, created after `since`. Newest first.
   */
  openFor(userKey: string, kind: DeliveryKind, since: number, now: number): Promise<DeliveryEntry[]>;
  /**
   * Forgets entries settled, failed, cancelled or given up settling before `before`, and those delivered before it (a
   * question never answered is long past its answer window by then): the redacted case is still personal.
   */
  prune(before: number): Promise<number>;
}
