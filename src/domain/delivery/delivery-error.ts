/**
 * What a delivery handler throws when an attempt did not deliver. Neither
 * carries content (no payload, no response body): their fields go to the logs
 * and to the store as they are.
 *
 * - DeliveryError: the attempt failed. `retryable` says whether the same attempt
 *   may succeed later (timeout, network, 5xx, 408, 409, 429) or never will (any
 *   other 4xx, a blocked bot, a conversation that is gone).
 * - DeliveryLater: not now, and not a failure ("the user is in the middle of
 *   something", "it has not run yet"): the entry is due again after `delayMs`,
 *   with a new payload if one is given. It does not count toward the max age.
 *
 * Core: plain TypeScript.
 */

export class DeliveryError extends Error {
  constructor(
    /** Short and content-free: timeout, network, server-error, throttled, rejected… */
    readonly errorClass: string,
    /** True: the same attempt may succeed later (retry with backoff). False: give up now. */
    readonly retryable: boolean,
    /** The HTTP status of the answer, if there was one. */
    readonly status?: number,
    /** How long the receiver asked us to wait (a Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(status === undefined ? `delivery: ${errorClass}` : `delivery: ${errorClass} (HTTP ${status})`);
    this.name = 'DeliveryError';
  }
}

export class DeliveryLater extends Error {
  constructor(
    /** From the end of this attempt until the next one, in milliseconds. */
    readonly delayMs: number,
    /** Replaces the entry's payload for the next attempt (e.g. the question asked one more time). */
    readonly payload?: unknown,
  ) {
    super(`delivery: later, in ${delayMs} ms`);
    if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new RangeError('DeliveryLater: delayMs must be a finite number >= 0');
    this.name = 'DeliveryLater';
  }
}
