/**
 * How long and how often a delivery is retried: the defaults, merged per kind
 * with the handler's own (a follow-up may keep trying for days, a ticket for a
 * day), and the backoff between attempts.
 *
 * Core: plain TypeScript.
 */

export interface RetryPolicy {
  /** Delay after the first failed attempt (before jitter). Default 1 s. */
  baseDelayMs: number;
  /** Longest delay between attempts. Default 5 min. */
  maxDelayMs: number;
  /**
   * Give up (failed, `expired`) when the next attempt would be later than this after
   * the entry fell due (its `dueAt`); telling the user, this long after the outcome.
   * Default 24 h.
   */
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, maxAgeMs: 24 * 60 * 60_000 };

/** `overrides` over `base`, checked: a policy that cannot work is refused at start-up, not found out at 3 a.m. */
export function retryPolicy(base: RetryPolicy, overrides: Partial<RetryPolicy> | undefined, what: string): RetryPolicy {
  const policy: RetryPolicy = { ...base, ...overrides };
  const { baseDelayMs, maxDelayMs, maxAgeMs } = policy;
  if (!(baseDelayMs > 0 && maxDelayMs >= baseDelayMs && maxAgeMs > 0)) throw new RangeError(`retry policy (${what}): need 0 < baseDelayMs <= maxDelayMs and maxAgeMs > 0`);
  return policy;
}

/**
 * Delay before retry number `failures` (1 after the first failed attempt):
 * min(max, base · 2^(failures-1)), with "equal jitter" (between half and all of
 * it), and never shorter than a Retry-After the receiver asked for (capped at max).
 */
export function backoffDelay(failures: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jittered = Math.round(capped / 2 + random() * (capped / 2));
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.max(jittered, asked);
}
