/**
 * A channel's answer to a proactive send or a post, as a delivery failure:
 * the status and Retry-After only, never a body (it may echo the content).
 * 429 waits and retries; 5xx, 408, 412 and no answer at all retry; 403 (the bot
 * is blocked, or not in that team) and 404 (the conversation or channel is gone)
 * give up at once; any other status gives up too.
 */
import { DeliveryError } from '../domain/delivery/delivery-error';

interface ChannelFailure {
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

export function deliveryErrorOf(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const { statusCode, response } = (error ?? {}) as ChannelFailure;
  if (statusCode === undefined) return new DeliveryError('network', true);
  const retryAfter = Number(response?.headers?.get?.('retry-after'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1_000 : undefined;
  if (statusCode === 429) return new DeliveryError('throttled', true, 429, retryAfterMs);
  if (statusCode >= 500 || statusCode === 408 || statusCode === 412) return new DeliveryError('server-error', true, statusCode, retryAfterMs);
  if (statusCode === 403) return new DeliveryError('blocked', false, 403);
  if (statusCode === 404) return new DeliveryError('gone', false, 404);
  return new DeliveryError('rejected', false, statusCode);
}
