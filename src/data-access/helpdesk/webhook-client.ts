/**
 * The generic helpdesk: POST the case as JSON to HELPDESK_WEBHOOK_URL.
 *
 * Request
 *   POST <HELPDESK_WEBHOOK_URL>
 *   Content-Type: application/json; charset=utf-8
 *   Idempotency-Key: <caseId>              the same on every attempt for a case
 *   X-Signature-Timestamp: <unix seconds>  only with HELPDESK_WEBHOOK_SECRET
 *   X-Signature-256: sha256=<hex>          only with HELPDESK_WEBHOOK_SECRET
 *
 *   {"schema": "azure-backup-troubleshooter/case@1", "case": <HandoffCase>}
 *
 * Signature: lowercase hex HMAC-SHA256, keyed with the secret (UTF-8), of the
 * string "<X-Signature-Timestamp>.<raw request body>". The timestamp is taken
 * at each attempt, so a retry has a new timestamp and signature but the same
 * body and the same Idempotency-Key. A receiver should compute the HMAC over
 * the raw bytes it received (before parsing JSON), compare in constant time,
 * and refuse timestamps more than 5 minutes from its clock (replays).
 *
 * Answer: 200 or 201 with JSON {"reference": "..."} (or "id" or "ticketId",
 * a string or a number). The same Idempotency-Key must get the same reference
 * and no new ticket. 5xx, 408, 409 and 429 (with Retry-After honoured) are
 * retried; any other 4xx is a permanent refusal; a 2xx without a reference is
 * a broken contract and permanent too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HandoffCase } from '../../domain/handoff/handoff-case';
import { TicketError, type CreateTicketOptions, type TicketClient, type TicketReceipt } from '../../domain/handoff/ticket';
import { DEFAULT_HELPDESK_TIMEOUT_MS, USER_AGENT, baseUrl, isRecord, referenceFrom, sendJson } from './http';

export const CASE_PAYLOAD_SCHEMA = 'azure-backup-troubleshooter/case@1';
export const SIGNATURE_HEADER = 'X-Signature-256';
export const TIMESTAMP_HEADER = 'X-Signature-Timestamp';
/** How far a receiver should accept a signature timestamp from its own clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface CasePayload {
  schema: typeof CASE_PAYLOAD_SCHEMA;
  case: HandoffCase;
}

export interface WebhookClientOptions {
  url: string;
  /** HMAC key; without it, no signature headers are sent. */
  secret?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Epoch milliseconds, for the signature timestamp. */
  now?: () => number;
}

/** The value of X-Signature-256 for a body sent at `timestamp` (unix seconds). */
export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/** For receivers (and their tests): true when the signature matches and the timestamp is fresh. */
export function verifySignature(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, rawBody: string, nowMs: number = Date.now()): boolean {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signPayload(secret, Number(timestamp), rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export class WebhookTicketClient implements TicketClient {
  readonly kind = 'webhook';
  private readonly url: string;
  private readonly secret: string | undefined;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: WebhookClientOptions) {
    this.url = baseUrl(options.url, 'HELPDESK_WEBHOOK_URL');
    this.secret = options.secret === '' ? undefined : options.secret;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HELPDESK_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  async create(handoffCase: HandoffCase, options: CreateTicketOptions): Promise<TicketReceipt> {
    const payload: CasePayload = { schema: CASE_PAYLOAD_SCHEMA, case: handoffCase };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': USER_AGENT,
      'idempotency-key': handoffCase.caseId,
    };
    if (this.secret !== undefined) {
      const timestamp = Math.floor(this.now() / 1000);
      headers[TIMESTAMP_HEADER.toLowerCase()] = String(timestamp);
      headers[SIGNATURE_HEADER.toLowerCase()] = signPayload(this.secret, timestamp, body);
    }
    const answer = await sendJson({ method: 'POST', url: this.url, headers, body, timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) }, this.now);
    const json = isRecord(answer.json) ? answer.json : {};
    const reference = referenceFrom(json['reference']) ?? referenceFrom(json['id']) ?? referenceFrom(json['ticketId']);
    if (reference === undefined) throw new TicketError('bad-response', false, answer.status);
    return { reference, status: answer.status };
  }
}
