/**
 * What the dispatcher needs of each kind of delivery: how to deliver one entry
 * and, for kinds that owe the user an answer, how to tell them the outcome.
 * Handlers live with their kind (src/bot/ticket-delivery.ts for tickets) and
 * are registered in one place (src/bot/compose-deliveries.ts).
 *
 * Contract for handlers:
 * - `deliver` may run more than once for one entry (a timeout after the receiver
 *   accepted, a crash before the outcome was stored): make it idempotent by the
 *   entry id where the receiver allows it.
 * - Throw DeliveryError (retryable or not) or DeliveryLater; anything else is
 *   retried like a transient failure, bounded by the max age.
 * - Honour `signal`: it aborts when the attempt's time is up or never mind.
 * - Errors and results carry no content (they are logged and stored as they are).
 *
 * Core: plain TypeScript.
 */
import type { DeliveryEntry } from './delivery-store';
import type { RetryPolicy } from './retry-policy';

export type SettleEvent = 'delivered' | 'failed';

export interface DeliveryReceipt {
  /** What the receiver called it (a ticket number, an activity id). */
  reference: string;
  /** The HTTP status of the answer that gave the reference, for the logs. */
  status?: number;
  /** True when it already existed (found by a lookup, or replayed by idempotency). */
  existing?: boolean;
}

export interface DeliveryHandler {
  /** Delivers; resolves with the receiver's reference. Throws DeliveryError (or DeliveryLater) on failure. */
  deliver(entry: DeliveryEntry, options: { attempt: number; signal: AbortSignal }): Promise<DeliveryReceipt>;
  /** Tells the user the outcome once (tickets: the reference or the failure and the summary). Absent: nothing to tell; the entry is settled by the user's answer. */
  settle?(entry: DeliveryEntry, event: SettleEvent): Promise<void>;
  /** Per kind (e.g. follow-ups may wait 7 days): merged over the defaults. */
  retry?: Partial<RetryPolicy>;
  /** For logs. */
  readonly name: string;
}
