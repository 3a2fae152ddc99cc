/**
 * One JSON request to a helpdesk with Node's fetch, bounded by a timeout
 * (AbortSignal.timeout) and an optional outer signal, with every way it can go
 * wrong turned into a TicketError that says whether a retry can help.
 * Nothing here logs, and no error carries a request or response body.
 */
import { TicketError, errorForStatus, parseRetryAfter } from '../../domain/handoff/ticket';

export const DEFAULT_HELPDESK_TIMEOUT_MS = 10_000;

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The raw body, sent as is (signatures are computed over these exact bytes). */
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined if it was empty or not JSON. */
  json: unknown;
}

/** Sends the request; resolves for a 2xx answer, throws a TicketError otherwise. */
export async function sendJson(request: JsonRequest, now: () => number = Date.now): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      // A redirected POST would turn into a GET elsewhere: take the 3xx as an answer (permanent, misconfigured URL).
      redirect: 'manual',
      signal,
    });
    // Read the whole body under the same deadline: a helpdesk that sends headers then stalls is a timeout too.
    const text = await response.text();
    if (response.status < 200 || response.status > 299) {
      throw errorForStatus(response.status, parseRetryAfter(response.headers.get('retry-after'), now()));
    }
    return { status: response.status, json: parseJson(text) };
  } catch (error) {
    if (error instanceof TicketError) throw error;
    if (timeout.aborted) throw new TicketError('timeout', true);
    if (request.signal?.aborted) throw new TicketError('aborted', true);
    // fetch's TypeError ("fetch failed": refused, reset, DNS, TLS) and stream errors alike.
    throw new TicketError('network', true);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A reference as a non-empty string: strings as they are, numbers (Zendesk ids) in decimal. */
export function referenceFrom(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The base URL without trailing slashes, checked: http(s) only. */
export function baseUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`${variable} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`${variable} must be an absolute http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

export const USER_AGENT = 'azure-backup-troubleshooter-handoff/1';
