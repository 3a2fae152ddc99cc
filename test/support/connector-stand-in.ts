/**
 * A channel's connector on 127.0.0.1 (port 0), for tests of what the bot sends
 * outside the HTTP response of a turn: give `serviceUrl` as the activities'
 * serviceUrl and the bot's real CloudAdapter talks HTTP to it (auth off: no
 * MicrosoftAppId, so no token is asked for or checked).
 *
 * It answers as the Bot Framework connector does (Teams' as documented):
 *
 *   POST /v3/conversations                                     create   201 { id, activityId, serviceUrl }
 *   POST /v3/conversations/:conversationId/activities          send     200 { id }
 *   POST /v3/conversations/:conversationId/activities/:id      reply    200 { id }
 *   PUT  /v3/conversations/:conversationId/activities/:id      update   200 { id }
 *   DELETE /v3/conversations/:conversationId/activities/:id    delete   200
 *   anything else                                              other    404 { error: { code: 'NotFound' } }
 *
 * and records every request (decoded ids, parsed body, the status it answered).
 * A test can program the next answers: `failNext(2, { status: 429,
 * retryAfterSeconds: 1 })`, `failAll({ status: 403, body: … })` until `recover()`;
 * a failure creates nothing. `waitFor` resolves as soon as a predicate over the
 * recorded requests holds (checked on every request, bounded by a timeout);
 * `happensWithin` is its negative twin, for "nothing more arrives".
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Activity } from 'botbuilder';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';

export type ConnectorRequestKind = 'create' | 'send' | 'reply' | 'update' | 'delete' | 'other';

export interface ConnectorRequest {
  kind: ConnectorRequestKind;
  method: string;
  path: string;
  /** Decoded from the path (send, reply, update, delete); for create, the id given to the new conversation. */
  conversationId?: string;
  /** Reply: the activity replied to. Update and delete: the activity changed. */
  activityId?: string;
  /** The parsed JSON body (undefined when empty, the raw text when it is not JSON). */
  body: unknown;
  /** The activity posted (send, reply, update) or the one a create carried. */
  activity?: Partial<Activity>;
  /** What the stand-in answered. */
  status: number;
  /** The id it answered with (2xx only). */
  answeredId?: string;
  /** Date.now() when the request came in. */
  at: number;
  headers: IncomingHttpHeaders;
}

/** An answer to give instead of success. */
export interface ConnectorFailure {
  status: number;
  /** Sent as the Retry-After header (seconds). */
  retryAfterSeconds?: number;
  /** The JSON body; default `{ error: { code, message } }` as the connector writes it. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Only requests of these kinds get it (default: every kind). */
  kinds?: readonly ConnectorRequestKind[];
}

type Predicate = (standIn: ConnectorStandIn) => boolean;

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const DEFAULT_CODES: Record<number, string> = { 400: 'BadSyntax', 403: 'Forbidden', 404: 'NotFound', 412: 'PreconditionFailed', 429: 'TooManyRequests', 500: 'ServiceError', 502: 'BadGateway', 503: 'ServiceUnavailable' };

export class ConnectorStandIn {
  private readonly recorded: ConnectorRequest[] = [];
  private readonly failures: ConnectorFailure[] = [];
  private failingAll: ConnectorFailure | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private sequence = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ConnectorStandIn> {
    const server = createServer();
    const standIn = new ConnectorStandIn(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void standIn.handle(request, response));
    server.on('connection', (socket: Socket) => {
      standIn.sockets.add(socket);
      socket.once('close', () => standIn.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    standIn.port = (server.address() as AddressInfo).port;
    return standIn;
  }

  /** The activities' serviceUrl: http://127.0.0.1:<port>/ (with the trailing slash channels send). */
  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Every request so far, in arrival order. */
  get requests(): readonly ConnectorRequest[] {
    return this.recorded;
  }

  /** The next `count` requests (of `failure.kinds`, if given) get `failure`, then the stand-in answers normally again. */
  failNext(count: number, failure: ConnectorFailure): void {
    for (let index = 0; index < count; index += 1) this.failures.push(failure);
  }

  /** Every request (of `failure.kinds`, if given) gets `failure` until `recover()`. */
  failAll(failure: ConnectorFailure): void {
    this.failingAll = failure;
  }

  /** Forgets the programmed failures. */
  recover(): void {
    this.failures.length = 0;
    this.failingAll = undefined;
  }

  /** Sends and replies to a conversation (messages the bot posted), answered or not, in order. */
  postsTo(conversationId: string): ConnectorRequest[] {
    return this.recorded.filter((request) => (request.kind === 'send' || request.kind === 'reply') && request.conversationId === conversationId);
  }

  /** The messages a conversation received: sends and replies the stand-in accepted. */
  delivered(conversationId: string): Partial<Activity>[] {
    return this.postsTo(conversationId)
      .filter((request) => request.status < 300)
      .map((request) => request.activity ?? {});
  }

  /** The Adaptive Cards a conversation received, in order (accepted sends and replies only). */
  cardsSentTo(conversationId: string): AdaptiveCardJson[] {
    return this.delivered(conversationId).flatMap((activity) => cardsOfActivity(activity));
  }

  /** The accepted updates of a conversation's activities. */
  updatesTo(conversationId: string): ConnectorRequest[] {
    return this.recorded.filter((request) => request.kind === 'update' && request.conversationId === conversationId && request.status < 300);
  }

  /**
   * Resolves as soon as `predicate` holds (now or after a later request); rejects
   * after `timeoutMs` with `what` and the requests seen.
   */
  waitFor(predicate: Predicate, timeoutMs: number, what = 'the condition'): Promise<void> {
    return this.watch(predicate, timeoutMs).then((held) => {
      if (!held) throw new Error(`connector stand-in: timed out after ${timeoutMs} ms waiting for ${what}; requests: ${this.describeRequests()}`);
    });
  }

  /** True as soon as `predicate` holds; false if it still does not after `ms` (a bounded look for something that must not happen). */
  happensWithin(predicate: Predicate, ms: number): Promise<boolean> {
    return this.watch(predicate, ms);
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** One line per request, for failure messages: method, path, status. */
  describeRequests(): string {
    return this.recorded.length === 0 ? '(none)' : this.recorded.map((request) => `${request.method} ${request.path} → ${request.status}`).join('; ');
  }

  private watch(predicate: Predicate, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (predicate(this)) return resolve(true);
      const check = (): void => {
        if (!predicate(this)) return;
        done(true);
      };
      const timer = setTimeout(() => done(false), ms);
      const done = (held: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(held);
      };
      this.waiters.add(check);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', this.serviceUrl);
    const route = routeOf(request.method ?? '', url.pathname);
    const body = parseBody(raw);
    const record: ConnectorRequest = { kind: route.kind, method: request.method ?? '', path: url.pathname, body, status: 0, at: Date.now(), headers: request.headers };
    if (route.conversationId !== undefined) record.conversationId = route.conversationId;
    if (route.activityId !== undefined) record.activityId = route.activityId;
    if (route.kind === 'send' || route.kind === 'reply' || route.kind === 'update') record.activity = body as Partial<Activity>;
    if (route.kind === 'create') {
      const parameters = body as { activity?: Partial<Activity> } | undefined;
      if (parameters?.activity) record.activity = parameters.activity;
    }

    const failure = this.failureFor(route.kind);
    if (failure) {
      record.status = failure.status;
      this.record(record);
      const headers: Record<string, string> = { ...(failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {}), ...failure.headers };
      send(response, failure.status, failure.body ?? { error: { code: DEFAULT_CODES[failure.status] ?? 'Error', message: `stand-in answered ${failure.status}` } }, headers);
      return;
    }

    const answer = this.answer(route, record);
    record.status = answer.status;
    this.record(record);
    send(response, answer.status, answer.body);
  }

  private answer(route: Route, record: ConnectorRequest): { status: number; body: unknown } {
    switch (route.kind) {
      case 'create': {
        const conversationId = `stand-in-conversation-${randomUUID()}`;
        const activityId = this.nextId();
        record.conversationId = conversationId;
        record.answeredId = activityId;
        return { status: 201, body: { id: conversationId, activityId, serviceUrl: this.serviceUrl } };
      }
      case 'send':
      case 'reply': {
        const id = this.nextId();
        record.answeredId = id;
        return { status: 200, body: { id } };
      }
      case 'update': {
        record.answeredId = route.activityId!;
        return { status: 200, body: { id: route.activityId } };
      }
      case 'delete':
        return { status: 200, body: {} };
      case 'other':
        return { status: 404, body: { error: { code: 'NotFound', message: 'the stand-in does not serve this route' } } };
    }
  }

  private failureFor(kind: ConnectorRequestKind): ConnectorFailure | undefined {
    const applies = (failure: ConnectorFailure): boolean => failure.kinds === undefined || failure.kinds.includes(kind);
    const index = this.failures.findIndex(applies);
    if (index >= 0) return this.failures.splice(index, 1)[0];
    return this.failingAll && applies(this.failingAll) ? this.failingAll : undefined;
  }

  private record(request: ConnectorRequest): void {
    this.recorded.push(request);
    for (const waiter of [...this.waiters]) waiter();
  }

  private nextId(): string {
    this.sequence += 1;
    return `stand-in-activity-${this.sequence}`;
  }
}

/** The Adaptive Cards of one activity. */
export function cardsOfActivity(activity: Partial<Activity>): AdaptiveCardJson[] {
  return (activity.attachments ?? []).filter((attachment) => attachment.contentType === ADAPTIVE_CARD).map((attachment) => attachment.content as AdaptiveCardJson);
}

interface Route {
  kind: ConnectorRequestKind;
  conversationId?: string;
  activityId?: string;
}

function routeOf(method: string, pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  let decoded: string[];
  try {
    decoded = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'other' };
  }
  const [version, conversations, conversationId, activities, activityId, ...rest] = decoded;
  if (version !== 'v3' || conversations !== 'conversations' || rest.length > 0) return { kind: 'other' };
  if (conversationId === undefined) return method === 'POST' ? { kind: 'create' } : { kind: 'other' };
  if (activities !== 'activities') return { kind: 'other', conversationId };
  if (activityId === undefined) return method === 'POST' ? { kind: 'send', conversationId } : { kind: 'other', conversationId };
  const kinds: Record<string, ConnectorRequestKind> = { POST: 'reply', PUT: 'update', DELETE: 'delete' };
  return { kind: kinds[method] ?? 'other', conversationId, activityId };
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
