/**
 * The outbox: where a handoff case waits, durably, until the helpdesk has it and
 * the user has been told. An entry is written BEFORE the first delivery attempt,
 * so a crash, a restart or a helpdesk that is down loses nothing.
 *
 * Life of an entry:
 *   pending ──(ticket created)──▶ delivered ──(user notified)──▶ notifiedAt set
 *      │
 *      └──(4xx, or still failing after the max age)──▶ failed ──(user notified)──▶ notifiedAt set
 *
 * Every change after `add` is made by the holder of the entry's claim (a lease:
 * `claimedBy` until `claimedUntil`), so two dispatchers over one store never
 * work on one case at the same time. The store implements the claim atomically
 * (SqliteOutbox: one conditional UPDATE).
 *
 * Core: plain TypeScript, no botbuilder, no SQLite.
 */
import type { HandoffCase } from './handoff-case';

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** Why a delivery was given up: the helpdesk refused the case (4xx), or it stayed unreachable past the max age. */
export type FailureReason = 'rejected' | 'expired';

/** What went wrong last, without any case content: an error class and the HTTP status if there was one. */
export interface DeliveryError {
  errorClass: string;
  status?: number;
}

export interface OutboxEntry {
  caseId: string;
  handoffCase: HandoffCase;
  /** Opaque JSON from the shell (a Bot Framework conversation reference): where to tell the user. */
  conversation: unknown;
  status: OutboxStatus;
  /** Delivery attempts started so far (counted before each attempt, so a crash mid-attempt still counts). */
  attempts: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** When the entry is next due: a delivery attempt while pending, a notification once delivered or failed. */
  nextAttemptAt: number;
  /** The helpdesk's reference for the ticket, once delivered. */
  reference?: string;
  lastError?: DeliveryError;
  failureReason?: FailureReason;
  deliveredAt?: number;
  failedAt?: number;
  /** Set once the user has been told (delivered or failed): never notified twice. */
  notifiedAt?: number;
  notifyAttempts: number;
  /** Set when telling the user kept failing past the max age: the entry is no longer due. */
  notifyAbandonedAt?: number;
}

/**
 * Durable store of outbox entries. Methods that change an entry after `add`
 * take the claim owner and change nothing (returning false) if the entry is no
 * longer claimed by that owner.
 */
export interface Outbox {
  /**
   * Stores a new pending entry, due at `now`. Idempotent per caseId: if the case
   * is already stored, the stored entry is returned unchanged with `created: false`.
   */
  add(handoffCase: HandoffCase, conversation: unknown, now: number): Promise<{ entry: OutboxEntry; created: boolean }>;
  get(caseId: string): Promise<OutboxEntry | undefined>;
  /**
   * Case ids of entries that need work at `now` and are not claimed: pending and
   * due, or delivered/failed, not yet notified and due. Oldest due first.
   */
  due(now: number, limit: number): Promise<string[]>;
  /**
   * Atomically takes (or extends) the claim on an entry until `until`: succeeds
   * when the entry is unclaimed, its claim has lapsed, or `owner` already holds it.
   */
  claim(caseId: string, owner: string, now: number, until: number): Promise<boolean>;
  release(caseId: string, owner: string): Promise<void>;
  /** Counts a delivery attempt about to start; returns the new count, or undefined if not the owner. */
  startAttempt(caseId: string, owner: string, now: number): Promise<number | undefined>;
  scheduleRetry(caseId: string, owner: string, nextAttemptAt: number, error: DeliveryError): Promise<boolean>;
  markDelivered(caseId: string, owner: string, reference: string, now: number): Promise<boolean>;
  markFailed(caseId: string, owner: string, reason: FailureReason, error: DeliveryError | undefined, now: number): Promise<boolean>;
  markNotified(caseId: string, owner: string, now: number): Promise<boolean>;
  /** Telling the user failed: try again at `nextAttemptAt`. */
  scheduleNotify(caseId: string, owner: string, nextAttemptAt: number): Promise<boolean>;
  /** Telling the user kept failing: stop trying (the entry keeps its outcome). */
  abandonNotify(caseId: string, owner: string, now: number): Promise<boolean>;
}
