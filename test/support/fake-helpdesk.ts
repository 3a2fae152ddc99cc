/**
 * A real HTTP helpdesk on 127.0.0.1 (port 0) for the handoff tests, in three
 * shapes: the generic webhook, ServiceNow's Table API and Zendesk's Tickets API.
 *
 * It behaves like the real thing where it matters for delivery:
 * - webhook and Zendesk honour Idempotency-Key: the same key gets the same
 *   reference and makes no new ticket; ServiceNow does not (a repeated POST
 *   makes a second incident) but answers the correlation_id lookup;
 * - it checks basic auth (ServiceNow, Zendesk) and, with a secret, the
 *   webhook's HMAC signature (401 when wrong), independently of the client code.
 *
 * And it misbehaves on request: `down()` closes the listener (connections are
 * refused) until `up()`; `failNext(n, status)` answers n requests with an
 * error without creating anything; `delayNext(n, ms)` creates the ticket, then
 * answers only after `ms` (slower than the client's timeout: the ticket exists
 * but the client never hears of it).
 *
 * Also: `makeCase` (a HandoffCase with marker strings in paste, note and
 * summary, to check that logs never carry them) and `eventually`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HandoffCase } from '../../src/domain/handoff/handoff-case';

export type FakeHelpdeskMode = 'webhook' | 'servicenow' | 'zendesk';

export interface FakeTicket {
  reference: string;
  /** Idempotency-Key (webhook, Zendesk) or correlation_id (ServiceNow). */
  key: string;
  /** The parsed request body. */
  body: unknown;
  createdAt: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Idempotency-Key header, if any. */
  key?: string;
  /** The status the fake answered (or meant to, for a delayed answer the client gave up on). */
  status: number;
  /** Whether the answer was delayed. */
  delayed: boolean;
  /** Webhook with a secret: whether the signature checked out. */
  signatureValid?: boolean;
  headers: IncomingMessage['headers'];
}

export interface FakeHelpdeskOptions {
  mode?: FakeHelpdeskMode;
  /** Webhook: the HMAC secret to verify X-Signature-256 with. */
  secret?: string;
  /** ServiceNow: user and password. Zendesk: email and API token. */
  username?: string;
  password?: string;
  /** Webhook: which field carries the reference in the answer. */
  referenceField?: 'reference' | 'id' | 'ticketId';
}

interface Failure {
  status: number;
  headers: Record<string, string>;
}

export const WEBHOOK_PATH = '/hooks/cases';
const SCHEMA = 'azure-backup-troubleshooter/case@1';

export class FakeHelpdesk {
  readonly mode: FakeHelpdeskMode;
  readonly tickets: FakeTicket[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly options: FakeHelpdeskOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private readonly failures: Failure[] = [];
  private readonly delays: number[] = [];
  private port = 0;
  private listening = false;
  private sequence = 0;

  private constructor(options: FakeHelpdeskOptions) {
    this.options = options;
    this.mode = options.mode ?? 'webhook';
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeHelpdeskOptions = {}): Promise<FakeHelpdesk> {
    const helpdesk = new FakeHelpdesk(options);
    await helpdesk.up();
    return helpdesk;
  }

  /** http://127.0.0.1:<port> */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get webhookUrl(): string {
    return `${this.url}${WEBHOOK_PATH}`;
  }

  /** Listens (again, on the same port after `down`). */
  async up(): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  /** Stops listening and drops every connection: the helpdesk is down (connection refused). */
  async down(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.pendingTimers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async close(): Promise<void> {
    await this.down();
  }

  /** The next `count` requests get `status` (and headers such as Retry-After); nothing is created. */
  failNext(count: number, status = 500, headers: Record<string, string> = {}): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ status, headers });
  }

  /** The next `count` requests are processed (tickets created) but answered only after `ms`. */
  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i += 1) this.delays.push(ms);
  }

  ticketsFor(key: string): FakeTicket[] {
    return this.tickets.filter((ticket) => ticket.key === key);
  }

  /** Requests that would create a ticket (POSTs), for a key. */
  createRequestsFor(key: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.key === key);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', this.url);
    const key = header(request, 'idempotency-key');
    const record: RecordedRequest = { method: request.method ?? '', path: url.pathname, status: 0, delayed: false, headers: request.headers };
    if (key !== undefined) record.key = key;
    if (this.mode === 'webhook' && this.options.secret !== undefined) {
      record.signatureValid = verifyHmac(this.options.secret, header(request, 'x-signature-timestamp'), header(request, 'x-signature-256'), rawBody);
    }
    this.requests.push(record);

    const failure = this.failures.shift();
    if (failure) {
      record.status = failure.status;
      send(response, failure.status, { error: 'injected failure' }, failure.headers);
      return;
    }

    let answer: { status: number; body: unknown; headers?: Record<string, string> };
    try {
      answer = this.process(request, url, rawBody, record);
    } catch {
      answer = { status: 400, body: { error: 'bad request' } };
    }
    record.status = answer.status;
    const delay = this.delays.shift();
    if (delay === undefined) {
      send(response, answer.status, answer.body, answer.headers);
      return;
    }
    record.delayed = true;
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      if (!response.destroyed) send(response, answer.status, answer.body, answer.headers);
    }, delay);
    this.pendingTimers.add(timer);
  }

  private process(request: IncomingMessage, url: URL, rawBody: string, record: RecordedRequest): { status: number; body: unknown; headers?: Record<string, string> } {
    switch (this.mode) {
      case 'webhook':
        return this.webhook(request, url, rawBody, record);
      case 'servicenow':
        return this.serviceNow(request, url, rawBody);
      case 'zendesk':
        return this.zendesk(request, url, rawBody);
    }
  }

  private webhook(request: IncomingMessage, url: URL, rawBody: string, record: RecordedRequest): { status: number; body: unknown } {
    if (request.method !== 'POST' || url.pathname !== WEBHOOK_PATH) return { status: 404, body: { error: 'not found' } };
    if (record.signatureValid === false) return { status: 401, body: { error: 'bad signature' } };
    if (!(header(request, 'content-type') ?? '').startsWith('application/json')) return { status: 415, body: { error: 'json only' } };
    const key = header(request, 'idempotency-key');
    if (key === undefined) return { status: 400, body: { error: 'Idempotency-Key required' } };
    const body = JSON.parse(rawBody) as { schema?: unknown; case?: { caseId?: unknown } };
    if (body.schema !== SCHEMA || typeof body.case !== 'object' || body.case.caseId !== key) return { status: 400, body: { error: 'not a case' } };
    const field = this.options.referenceField ?? 'reference';
    const existing = this.ticketsFor(key)[0];
    if (existing) return { status: 200, body: { [field]: existing.reference } };
    const ticket = this.create(key, body, `HD-${String(this.sequence + 1).padStart(4, '0')}`);
    return { status: 201, body: { [field]: ticket.reference } };
  }

  private serviceNow(request: IncomingMessage, url: URL, rawBody: string): { status: number; body: unknown } {
    if (!this.authorised(request, this.options.username ?? 'bot', this.options.password ?? 'secret')) return { status: 401, body: { error: { message: 'User Not Authenticated' } } };
    if (url.pathname !== '/api/now/table/incident') return { status: 404, body: { error: { message: 'No such table' } } };
    if (request.method === 'GET') {
      const query = url.searchParams.get('sysparm_query') ?? '';
      const match = /^correlation_id=(.+)$/.exec(query);
      const found = match ? this.ticketsFor(match[1]!) : [];
      const limit = Number(url.searchParams.get('sysparm_limit') ?? '10000');
      return { status: 200, body: { result: found.slice(0, limit).map((ticket) => ({ number: ticket.reference, sys_id: `sys-${ticket.reference}` })) } };
    }
    if (request.method !== 'POST') return { status: 405, body: { error: { message: 'Method not allowed' } } };
    const body = JSON.parse(rawBody) as Record<string, unknown>;
    if (typeof body['short_description'] !== 'string' || typeof body['correlation_id'] !== 'string') return { status: 400, body: { error: { message: 'missing fields' } } };
    // Like the real Table API: no idempotency, every POST is a new incident.
    const ticket = this.create(body['correlation_id'], body, `INC${String(10000 + this.sequence + 1).padStart(7, '0')}`);
    return { status: 201, body: { result: { number: ticket.reference, sys_id: `sys-${ticket.reference}` } } };
  }

  private zendesk(request: IncomingMessage, url: URL, rawBody: string): { status: number; body: unknown; headers?: Record<string, string> } {
    if (!this.authorised(request, `${this.options.username ?? 'agent@example.com'}/token`, this.options.password ?? 'token')) return { status: 401, body: { error: "Couldn't authenticate you" } };
    if (url.pathname !== '/api/v2/tickets.json') return { status: 404, body: { error: 'InvalidEndpoint' } };
    if (request.method === 'GET') {
      const externalId = url.searchParams.get('external_id');
      const found = externalId === null ? this.tickets : this.tickets.filter((ticket) => ticket.key === externalId);
      return { status: 200, body: { tickets: found.map((ticket) => ({ id: Number(ticket.reference), external_id: ticket.key })), count: found.length } };
    }
    if (request.method !== 'POST') return { status: 405, body: { error: 'MethodNotAllowed' } };
    const body = JSON.parse(rawBody) as { ticket?: { subject?: unknown; comment?: { body?: unknown }; external_id?: unknown } };
    const ticket = body.ticket;
    if (!ticket || typeof ticket.subject !== 'string' || typeof ticket.comment?.body !== 'string') return { status: 422, body: { error: 'RecordInvalid' } };
    const key = header(request, 'idempotency-key');
    const existing = key === undefined ? undefined : this.tickets.find((t) => t.key === key);
    if (existing) return { status: 201, body: { ticket: { id: Number(existing.reference) } }, headers: { 'x-idempotency-lookup': 'hit' } };
    const created = this.create(key ?? String(ticket.external_id), body, String(1000 + this.sequence + 1));
    return { status: 201, body: { ticket: { id: Number(created.reference), external_id: ticket.external_id } }, headers: { 'x-idempotency-lookup': 'miss' } };
  }

  private create(key: string, body: unknown, reference: string): FakeTicket {
    this.sequence += 1;
    const ticket: FakeTicket = { reference, key, body, createdAt: Date.now() };
    this.tickets.push(ticket);
    return ticket;
  }

  private authorised(request: IncomingMessage, user: string, password: string): boolean {
    return header(request, 'authorization') === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The receiver's side of the webhook signature, written from the documentation, not from the client's code. */
function verifyHmac(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: string): boolean {
  if (timestamp === undefined || signature === undefined || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const PASTE_MARKER = 'PASTE-MARKER-7f3a';
export const NOTE_MARKER = 'NOTE-MARKER-91c2';
export const SUMMARY_MARKER = 'SUMMARY-MARKER-55d0';

/** A case with marker strings in the paste, the note, the transcript and the summary. */
export function makeCase(caseId: string, overrides: Partial<HandoffCase> = {}): HandoffCase {
  return {
    caseId,
    reason: 'exhausted',
    createdAt: '2024-05-01T10:00:00.000Z',
    language: 'en',
    channelId: 'msteams',
    error: { category: 'agent-unreachable', title: 'VM Agent unable to communicate with Azure Backup', codes: ['UserErrorGuestAgentStatusUnavailable'] },
    guestOs: 'windows',
    causes: [],
    paste: `UserErrorGuestAgentStatusUnavailable ${PASTE_MARKER}`,
    identifiers: { vmName: 'vm-01' },
    note: `please call me ${NOTE_MARKER}`,
    transcript: [{ from: 'user', text: `the paste ${PASTE_MARKER}`, at: '2024-05-01T09:59:00.000Z' }],
    summary: `Azure VM backup failure: case summary ${SUMMARY_MARKER}`,
    ...overrides,
  };
}

/** Polls `predicate` every 10 ms until it holds; fails after `timeoutMs` with `what`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
