/**
 * The port to a helpdesk: create one ticket for a case and say which reference
 * it got. Implementations (src/data-access/helpdesk/) talk HTTP; the delivery
 * dispatcher (through the ticket handler, src/bot/ticket-delivery.ts) only sees a
 * reference or a TicketError (a DeliveryError) that says whether trying again can help.
 *
 * Contract for implementations:
 * - Creating the ticket for a case twice must not make two tickets: send the
 *   caseId as the idempotency key on every attempt (and/or look the case up
 *   before creating it again on a retry).
 * - Errors carry no case content: an error class and an HTTP status at most,
 *   never a response body (it may echo the case).
 */
import { DeliveryError } from '../delivery/delivery-error';
import type { HandoffCase } from './handoff-case';

export interface TicketReceipt {
  /** The helpdesk's reference for the ticket (what the user is told). */
  reference: string;
  /** The HTTP status of the answer that gave the reference. */
  status: number;
  /** True when the ticket already existed (found by the lookup before creating, or replayed by idempotency). */
  existing?: boolean;
}

export interface CreateTicketOptions {
  /** 1 for the first attempt for this case; greater on retries, after a restart too. */
  attempt: number;
  /** Aborts the whole attempt (the dispatcher's deadline, or shutdown). */
  signal?: AbortSignal;
}

export interface TicketClient {
  /** For logs: webhook, servicenow or zendesk. */
  readonly kind: string;
  create(handoffCase: HandoffCase, options: CreateTicketOptions): Promise<TicketReceipt>;
}

/**
 * timeout: no answer within the request timeout. network: refused, reset, DNS.
 * server-error: 5xx. request-timeout: 408. conflict: 409 (an idempotent request
 * with the same key still in progress). throttled: 429. rejected: any other 4xx
 * (bad request, auth, not found). bad-response: 2xx without a usable reference.
 * aborted: the attempt was cancelled from outside.
 */
export type TicketErrorClass =
  | 'timeout'
  | 'network'
  | 'server-error'
  | 'request-timeout'
  | 'conflict'
  | 'throttled'
  | 'rejected'
  | 'bad-response'
  | 'unexpected-status'
  | 'aborted';

/** A DeliveryError with the helpdesk's error classes: the dispatcher retries or gives up on it like any other. */
export class TicketError extends DeliveryError {
  declare readonly errorClass: TicketErrorClass;

  constructor(
    errorClass: TicketErrorClass,
    /** True: the same request may succeed later (retry with backoff). False: give up now. */
    retryable: boolean,
    status?: number,
    /** From a Retry-After header on 429/503, in milliseconds. */
    retryAfterMs?: number,
  ) {
    super(errorClass, retryable, status, retryAfterMs);
    this.message = status === undefined ? `helpdesk: ${errorClass}` : `helpdesk: ${errorClass} (HTTP ${status})`;
    this.name = 'TicketError';
  }
}

/**
 * What an HTTP status that is not a success means for a delivery: 5xx, 408, 409
 * and 429 are worth retrying; every other 4xx is permanent; 1xx/3xx are unexpected
 * (redirects are not followed) and treated as permanent, since a misrouted URL
 * will not fix itself.
 */
export function errorForStatus(status: number, retryAfterMs?: number): TicketError {
  if (status >= 500) return new TicketError('server-error', true, status, retryAfterMs);
  if (status === 408) return new TicketError('request-timeout', true, status, retryAfterMs);
  if (status === 409) return new TicketError('conflict', true, status, retryAfterMs);
  if (status === 429) return new TicketError('throttled', true, status, retryAfterMs);
  if (status >= 400) return new TicketError('rejected', false, status);
  return new TicketError('unexpected-status', false, status);
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Case ids travel in HTTP headers (Idempotency-Key) and in a ServiceNow encoded
 * query, so they are limited to letters, digits and `._:-`, 1 to 100 characters
 * (a UUID fits).
 */
export const CASE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export function isValidCaseId(caseId: string): boolean {
  return CASE_ID_PATTERN.test(caseId);
}
