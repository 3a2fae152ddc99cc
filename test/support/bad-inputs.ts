/**
 * Inputs a Bot Framework endpoint should survive, as data for
 * test/security/bad-input.test.ts: each one says how to send it (an activity
 * changed in one way, or raw bytes) and what the server must answer — a given
 * 4xx, or 200 with a sensible reply, or 200 and nothing to say (typing, unknown
 * types). After each one the test checks that the process is healthy and that a
 * normal paste → card flow still works in the same conversation.
 *
 * Also here: a logger that keeps its entries, a stand-in for the channel's
 * connector (where replies go when an activity is not sent with expectReplies),
 * and a raw-socket client for requests fetch cannot make.
 */
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger, LogLevel } from '../../src/logger';

// ---------------------------------------------------------------------------
// A logger that keeps what it is told
// ---------------------------------------------------------------------------

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

export interface RecordingLogger {
  logger: Logger;
  entries: LogEntry[];
  count(event: string, level?: LogLevel): number;
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  return {
    logger: { log: (level, event, fields = {}) => void entries.push({ level, event, fields }) },
    entries,
    count: (event, level) => entries.filter((entry) => entry.event === event && (level === undefined || entry.level === level)).length,
  };
}

// ---------------------------------------------------------------------------
// Where replies go without expectReplies: the channel's connector, stood in for
// ---------------------------------------------------------------------------

export class ConnectorSink {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** What the bot sent, in order. */
    readonly received: { method: string; path: string; body: unknown }[],
  ) {}

  static async start(): Promise<ConnectorSink> {
    const received: ConnectorSink['received'] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        received.push({ method: req.method ?? '', path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sink-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ConnectorSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------
// Raw HTTP over a socket: lying Content-Length, smuggling, broken chunks
// ---------------------------------------------------------------------------

export interface RawAnswer {
  /** The status of the first response, or undefined if the server closed without one. */
  status: number | undefined;
  raw: string;
}

/** Writes `bytes` to the server, optionally half-closes, and reads until the server closes or `waitMs` passes. */
export function sendRaw(baseUrl: string, bytes: Buffer, options: { halfClose?: boolean; waitMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ status: match ? Number(match[1]) : undefined, raw });
    };
    const timer = setTimeout(finish, options.waitMs ?? 1500);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.halfClose) socket.end();
    });
  });
}

// ---------------------------------------------------------------------------
// The inputs
// ---------------------------------------------------------------------------

/** What the server must answer. */
export type Expectation =
  /** Exactly this 4xx; the bot does not run. */
  | { status: number }
  /** 200 and at least one message from the bot (text or card), none of them the apology of a failed turn. */
  | { reply: true; includes?: string | RegExp }
  /** 200; the bot may stay silent (typing, unknown types, invokes it does not handle), and whatever it sends is a proper message or invoke response. */
  | { quiet: true }
  /** 200 with no body (not expectReplies): the replies went to the channel's connector (the stand-in). */
  | { replyViaConnector: true }
  /** Sent over a raw socket: a 4xx, or the connection closed without an answer. */
  | { rawRefused: true };

export interface InputContext {
  conversationId: string;
  userId: string;
  /** The connector stand-in: where replies go without expectReplies. */
  serviceUrl: string;
  baseUrl: string;
  /** A normal message activity of this conversation with `fields` merged in (undefined removes a field). */
  activity(fields?: Record<string, unknown>): Record<string, unknown>;
}

export type Send =
  | { kind: 'http'; method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer | ReadableStream<Uint8Array> }
  | { kind: 'raw'; bytes: Buffer; halfClose?: boolean };

export interface BadInput {
  name: string;
  send(context: InputContext): Send;
  expect: Expectation;
  /** The channel of the conversation (for the flow after it); default 'test'. */
  channelId?: string;
  /** Locale of the flow after it; default en-US. */
  locale?: string;
  /** The answer must come within this time (default DEFAULT_MAX_MS). */
  maxMs?: number;
}

/** Every input is answered within this time: nothing a client sends may keep the server busy. */
export const DEFAULT_MAX_MS = 2_000;

const JSON_HEADERS = { 'content-type': 'application/json' };
export const PASTE = 'UserErrorGuestAgentStatusUnavailable';
export const KB = 1024;

/** The activity as JSON. */
function json(body: unknown): Send {
  return { kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The conversation's activity with some fields changed. */
function activity(fields: Record<string, unknown>): (context: InputContext) => Send {
  return (context) => json(context.activity(fields));
}

/** The activity's JSON with the placeholder string "@@" replaced by `raw` (JSON that JSON.stringify could not make, or would take long to). */
function spliced(fields: Record<string, unknown>, raw: string): (context: InputContext) => Send {
  return (context) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(context.activity(fields)).replace('"@@"', raw) });
}

function withHeaders(headers: Record<string, string>, body?: (context: InputContext) => string | Buffer): (context: InputContext) => Send {
  return (context) => ({ kind: 'http', headers, body: body ? body(context) : JSON.stringify(context.activity()) });
}

function nested(depth: number, open = '{"a":', close = '}', leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

function rawRequest(context: InputContext, head: string[], body: Buffer | string): Buffer {
  const { host } = new URL(context.baseUrl);
  return Buffer.concat([Buffer.from([...head, `Host: ${host}`, '', ''].join('\r\n'), 'latin1'), Buffer.from(body)]);
}

const LOG_LINE = '2024-05-01T03:00:00.000000Z INFO ExtHandler [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9188.0] ProcessGoalState completed\n';
const REFUSED = { status: 400 };
const REPLY = { reply: true } as const;
const QUIET = { quiet: true } as const;
const TOO_LONG = { reply: true, includes: /KB/ } as const;

export const BAD_INPUTS: BadInput[] = [
  // --- Not JSON, or not one object ------------------------------------------------------------
  { name: 'truncated JSON', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity()).slice(0, 40) }), expect: REFUSED },
  { name: 'JSON cut inside a string', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity({ text: 'a long text' })).replace(/a long text.*$/, 'a long') }), expect: REFUSED },
  { name: 'JSON followed by garbage', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: `${JSON.stringify(c.activity())}}{"x":1` }), expect: REFUSED },
  { name: 'a JSON array of activities', send: (c) => json([c.activity(), c.activity()]), expect: REFUSED },
  { name: 'an empty JSON array', send: () => json([]), expect: REFUSED },
  { name: 'JSON null', send: () => json(null), expect: REFUSED },
  { name: 'JSON true', send: () => json(true), expect: REFUSED },
  { name: 'a JSON number', send: () => json(12345), expect: REFUSED },
  { name: 'a number too big for a double (1e400)', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: '1e400' }), expect: REFUSED },
  { name: 'a JSON string', send: () => json('hello'), expect: REFUSED },
  { name: 'an empty body', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: '' }), expect: REFUSED },
  { name: 'a body of spaces', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: '     ' }), expect: REFUSED },
  { name: 'a byte-order mark before the JSON', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: `\ufeff${JSON.stringify(c.activity())}` }), expect: REFUSED },
  { name: 'random bytes', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) }), expect: REFUSED },
  { name: 'arrays nested 10,000 levels', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: nested(10_000, '[', ']', '') }), expect: REFUSED },
  { name: 'arrays nested 500,000 levels (1 MB)', send: () => ({ kind: 'http', headers: JSON_HEADERS, body: nested(500_000, '[', ']', '') }), expect: REFUSED },
  { name: 'value nested 10,000 levels', send: spliced({ text: '', value: '@@' }, nested(10_000)), expect: REFUSED },
  { name: 'text nested 10,000 levels', send: spliced({ text: '@@' }, nested(10_000)), expect: REFUSED },
  { name: 'channelData nested 100 levels', send: spliced({ channelData: '@@' }, nested(100)), expect: REFUSED },
  { name: 'a duplicate key whose last value is an object (text)', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity()).replace(/^\{/, '{"text":{"a":1},').replace(/"text":"[^"]*"/, '"text":{"b":2}') }), expect: REFUSED },
  { name: 'a 10,000-digit number as text', send: spliced({ text: '@@' }, '9'.repeat(10_000)), expect: REFUSED },

  // --- Wrong types, missing fields --------------------------------------------------------------
  { name: 'no type', send: activity({ type: undefined }), expect: REFUSED },
  { name: 'type as a number', send: activity({ type: 5 }), expect: REFUSED },
  { name: 'type empty', send: activity({ type: '' }), expect: REFUSED },
  { name: 'type as an object', send: activity({ type: { name: 'message' } }), expect: REFUSED },
  { name: 'type of 10 KB', send: activity({ type: 'm'.repeat(10 * KB) }), expect: REFUSED },
  { name: 'a message with no text and no value', send: activity({ text: undefined }), expect: REPLY },
  { name: 'text as an object', send: activity({ text: { text: PASTE } }), expect: REFUSED },
  { name: 'text as a list', send: activity({ text: [PASTE] }), expect: REFUSED },
  { name: 'text as a number', send: activity({ text: 42 }), expect: REFUSED },
  { name: 'text as true', send: activity({ text: true }), expect: REFUSED },
  { name: 'text null', send: activity({ text: null }), expect: REPLY },
  { name: 'value as a list', send: activity({ text: '', value: ['next'] }), expect: REPLY },
  { name: 'value as a string', send: activity({ text: '', value: 'next' }), expect: REPLY },
  { name: 'value as a number', send: activity({ text: '', value: 7 }), expect: REPLY },
  { name: 'value null beside a paste', send: activity({ text: PASTE, value: null }), expect: REPLY },
  { name: 'conversation as a string', send: activity({ conversation: 'conversation-1' }), expect: REFUSED },
  { name: 'conversation as a list', send: (c) => json(c.activity({ conversation: [{ id: c.conversationId }] })), expect: REFUSED },
  { name: 'conversation null', send: activity({ conversation: null }), expect: REFUSED },
  { name: 'no conversation', send: activity({ conversation: undefined }), expect: REFUSED },
  { name: 'conversation without id', send: activity({ conversation: { name: 'x' } }), expect: REFUSED },
  { name: 'conversation.id as a number', send: activity({ conversation: { id: 12345 } }), expect: REFUSED },
  { name: 'conversation.id empty', send: activity({ conversation: { id: '' } }), expect: REFUSED },
  { name: 'conversation.id of 10 KB', send: activity({ conversation: { id: 'c'.repeat(10 * KB) } }), expect: REFUSED },
  { name: 'conversation.id with a NUL byte', send: (c) => json(c.activity({ conversation: { id: `${c.conversationId}\u0000x` } })), expect: REFUSED },
  { name: 'conversation.id with a lone surrogate', send: (c) => json(c.activity({ conversation: { id: `${c.conversationId}\ud800` } })), expect: REFUSED },
  { name: 'conversation.isGroup as a string', send: (c) => json(c.activity({ conversation: { id: c.conversationId, isGroup: 'yes' } })), expect: REFUSED },
  { name: 'from as a number', send: activity({ from: 5 }), expect: REFUSED },
  { name: 'no from', send: activity({ from: undefined }), expect: REFUSED },
  { name: 'from without id', send: activity({ from: { name: 'User' } }), expect: REFUSED },
  { name: 'from.id as an object', send: activity({ from: { id: { id: 'user' } } }), expect: REFUSED },
  { name: 'from.name as an object', send: (c) => json(c.activity({ from: { id: c.userId, name: { first: 'A' } } })), expect: REFUSED },
  { name: 'no recipient', send: activity({ recipient: undefined }), expect: REFUSED },
  { name: 'recipient as a string', send: activity({ recipient: 'bot' }), expect: REFUSED },
  { name: 'no channelId', send: activity({ channelId: undefined }), expect: REFUSED },
  { name: 'channelId as a number', send: activity({ channelId: 7 }), expect: REFUSED },
  { name: 'channelId with a path in it', send: activity({ channelId: '../../etc' }), expect: REFUSED },
  { name: 'serviceUrl as a number', send: activity({ serviceUrl: 8080 }), expect: REFUSED },
  { name: 'serviceUrl javascript:', send: activity({ serviceUrl: 'javascript:alert(1)' }), expect: REFUSED },
  { name: 'serviceUrl that is no URL', send: activity({ serviceUrl: 'not a url' }), expect: REFUSED },
  { name: 'id as an object', send: activity({ id: { id: 1 } }), expect: REFUSED },
  { name: 'replyToId as a number', send: activity({ replyToId: 1 }), expect: REFUSED },
  { name: 'timestamp as an object', send: activity({ timestamp: { seconds: 1 } }), expect: REFUSED },
  { name: 'timestamp that is no date', send: activity({ timestamp: 'yesterday-ish' }), expect: REPLY },
  { name: 'deliveryMode as a number', send: activity({ deliveryMode: 1 }), expect: REFUSED },
  { name: 'deliveryMode unknown: replies go to the serviceUrl', send: activity({ deliveryMode: 'carrier-pigeon', text: PASTE }), expect: { replyViaConnector: true } },
  { name: 'name as a list (event)', send: activity({ type: 'event', name: ['handoff.status'] }), expect: REFUSED },

  // --- Locale ------------------------------------------------------------------------------------
  { name: 'locale as an object', send: activity({ locale: { language: 'en' } }), expect: REFUSED },
  { name: 'locale "../../etc/passwd"', send: activity({ locale: '../../etc/passwd', text: PASTE }), expect: REPLY },
  { name: 'locale of 10 KB', send: activity({ locale: `en-${'x'.repeat(10 * KB)}`, text: PASTE }), expect: REPLY },
  { name: 'locale with a NUL byte', send: activity({ locale: 'ja\u0000JP', text: PASTE }), expect: REPLY },
  { name: 'locale ja-JP with an English paste', send: activity({ locale: 'ja-JP', text: PASTE }), expect: REPLY, locale: 'ja-JP' },
  { name: 'locale of another language (fr-FR)', send: activity({ locale: 'fr-FR', text: PASTE }), expect: REPLY },

  // --- Attachments, entities, channelData --------------------------------------------------------
  { name: 'attachments as a string', send: activity({ attachments: 'file.txt' }), expect: REFUSED },
  { name: 'attachments [null]', send: activity({ attachments: [null] }), expect: REFUSED },
  { name: 'attachment with a numeric contentType', send: activity({ attachments: [{ contentType: 5 }] }), expect: REFUSED },
  { name: 'attachments of unknown shape', send: activity({ attachments: [{ foo: 'bar' }, { contentType: 'application/x-evil', content: { a: [1, 2] } }], text: PASTE }), expect: REPLY },
  { name: '5,000 attachments', send: activity({ attachments: Array.from({ length: 5000 }, () => ({ contentType: 'text/plain' })) }), expect: REFUSED },
  { name: 'entities as a string', send: activity({ entities: 'mention' }), expect: REFUSED },
  { name: 'entities [null]', send: activity({ entities: [null] }), expect: REFUSED },
  { name: 'an entity without type', send: activity({ entities: [{ text: 'x' }] }), expect: REFUSED },
  { name: 'Teams: a mention without "mentioned"', send: activity({ entities: [{ type: 'mention', text: '<at>Bot</at>' }] }), expect: REFUSED, channelId: 'msteams' },
  { name: 'Teams: a mention whose "mentioned" has no id', send: activity({ entities: [{ type: 'mention', mentioned: { name: 'Bot' } }] }), expect: REFUSED, channelId: 'msteams' },
  {
    name: 'Teams: a real @mention before the paste',
    send: activity({ text: `<at>Bot</at> ${PASTE}`, entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: 'bot', name: 'Bot' } }] }),
    expect: REPLY,
    channelId: 'msteams',
  },
  { name: 'Teams: the paste wrapped in HTML', send: activity({ text: `<p>${PASTE}</p><br><div>&lt;b&gt;</div>` }), expect: REPLY, channelId: 'msteams' },
  { name: 'Web Chat client capabilities entity', send: activity({ entities: [{ type: 'ClientCapabilities', requiresBotState: true, supportsTts: 'maybe' }], text: PASTE }), expect: REPLY },
  { name: 'channelData as a string', send: activity({ channelData: 'garbage', text: PASTE }), expect: REPLY },
  { name: 'channelData as a number', send: activity({ channelData: 42, text: PASTE }), expect: REPLY },
  { name: 'channelData as a list', send: activity({ channelData: [1, 'two', null], text: PASTE }), expect: REPLY },
  { name: 'Teams: channelData with garbage tenant and team', send: activity({ channelData: { tenant: 5, team: 'x', channel: [null], eventType: {} }, text: PASTE }), expect: REPLY, channelId: 'msteams' },

  // --- Other activity types, odd members ----------------------------------------------------------
  { name: 'conversationUpdate with membersAdded as a string', send: activity({ type: 'conversationUpdate', membersAdded: 'everyone' }), expect: REFUSED },
  { name: 'conversationUpdate with membersAdded [null]', send: activity({ type: 'conversationUpdate', membersAdded: [null] }), expect: REFUSED },
  { name: 'conversationUpdate with a member without id', send: activity({ type: 'conversationUpdate', membersAdded: [{ name: 'ghost' }] }), expect: REFUSED },
  { name: 'conversationUpdate with 10,000 members', send: activity({ type: 'conversationUpdate', membersAdded: Array.from({ length: 10_000 }, (_, i) => ({ id: `u${i}` })) }), expect: REFUSED },
  { name: 'conversationUpdate with membersRemoved ids as numbers', send: activity({ type: 'conversationUpdate', membersRemoved: [{ id: 1 }] }), expect: REFUSED },
  { name: 'conversationUpdate adding only the bot', send: activity({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'bot' }] }), expect: QUIET },
  { name: 'conversationUpdate adding the same user twice', send: (c) => json(c.activity({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: c.userId }, { id: c.userId }] })), expect: REPLY },
  { name: 'conversationUpdate with no members at all', send: activity({ type: 'conversationUpdate', text: undefined }), expect: QUIET },
  { name: 'conversationUpdate removing a stranger', send: activity({ type: 'conversationUpdate', text: undefined, membersRemoved: [{ id: 'stranger' }] }), expect: QUIET },
  { name: 'invoke with an unknown name', send: activity({ type: 'invoke', name: 'evil/operation', value: { a: 1 } }), expect: QUIET },
  { name: 'invoke adaptiveCard/action with garbage', send: activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: 'x' } }), expect: QUIET },
  { name: 'invoke without name', send: activity({ type: 'invoke', text: undefined }), expect: QUIET },
  { name: 'event with an unknown name', send: activity({ type: 'event', name: 'evil', value: { a: 1 } }), expect: QUIET },
  { name: 'event handoff.status with garbage', send: activity({ type: 'event', name: 'handoff.status', value: 'accepted?' }), expect: QUIET },
  {
    name: 'event handoff.status with state "constructor"',
    send: activity({ type: 'event', name: 'handoff.status', value: { state: 'constructor' } }),
    expect: QUIET,
  },
  {
    name: 'event handoff.status with state "toString"',
    send: activity({ type: 'event', name: 'handoff.status', value: { state: 'toString' } }),
    expect: QUIET,
  },
  { name: 'typing', send: activity({ type: 'typing', text: undefined }), expect: QUIET },
  { name: 'endOfConversation', send: activity({ type: 'endOfConversation', code: 'userCancelled', text: undefined }), expect: QUIET },
  { name: 'endOfConversation with a garbage code', send: activity({ type: 'endOfConversation', code: { x: 1 } }), expect: QUIET },
  { name: 'messageReaction with reactions as a string', send: activity({ type: 'messageReaction', reactionsAdded: 'like' }), expect: QUIET },
  { name: 'messageReaction with garbage reactions', send: activity({ type: 'messageReaction', reactionsAdded: [null, 5, { type: {} }], reactionsRemoved: [{}] }), expect: QUIET },
  { name: 'installationUpdate with an unknown action', send: activity({ type: 'installationUpdate', action: 'explode', text: undefined }), expect: QUIET },
  { name: 'installationUpdate with action as a number', send: activity({ type: 'installationUpdate', action: 1 }), expect: REFUSED },
  { name: 'contactRelationUpdate', send: activity({ type: 'contactRelationUpdate', action: 'add' }), expect: QUIET },
  { name: 'an unknown activity type', send: activity({ type: 'telepathy' }), expect: QUIET },

  // --- Text that is long, binary or odd ------------------------------------------------------------
  { name: 'text of 1 MB', send: activity({ text: LOG_LINE.repeat(Math.ceil((1024 * KB) / LOG_LINE.length)).slice(0, 1024 * KB) }), expect: TOO_LONG },
  { name: 'text of 1 MB of one letter', send: activity({ text: 'a'.repeat(1024 * KB) }), expect: TOO_LONG },
  { name: 'text one byte over the 64 KB limit', send: activity({ text: `${PASTE}\n${'x '.repeat(32 * KB)}`.slice(0, 64 * KB + 1) }), expect: TOO_LONG },
  { name: 'Japanese text of 1 MB: the answer is in Japanese', send: activity({ locale: undefined, text: 'バックアップ ジョブが失敗しました。'.repeat(20_000) }), expect: { reply: true, includes: /貼り付けて/ } },
  {
    name: 'a 48 KB word of one letter (under the limit)',
    // ~10 ms once the matcher is linear; ~3 to 5 s before.
    maxMs: 1_000,
    send: activity({ text: 'a'.repeat(48 * KB) }),
    expect: REPLY,
  },
  {
    name: 'a 48 KB number (under the limit)',
    // ~10 ms once the matcher is linear; ~3 to 5 s before.
    maxMs: 1_000,
    send: activity({ text: '7'.repeat(48 * KB) }),
    expect: REPLY,
  },
  {
    name: '48 KB of empty lines (under the limit)',
    // ~10 ms once the matcher is linear; ~3 to 5 s before.
    maxMs: 1_000,
    send: activity({ text: `${PASTE}${'\r\n'.repeat(24 * KB)}` }),
    expect: REPLY,
  },
  { name: 'text of 60 KB of log lines (under the limit)', send: activity({ text: `${PASTE}\n${LOG_LINE.repeat(Math.floor((60 * KB) / LOG_LINE.length))}` }), expect: REPLY },
  { name: 'NUL bytes in the text', send: activity({ text: `${PASTE}\u0000\u0000\u0000` }), expect: REPLY },
  { name: 'text of control characters only', send: activity({ text: '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f' }), expect: REPLY },
  { name: 'a lone high surrogate', send: activity({ text: `${PASTE} \ud800` }), expect: REPLY },
  { name: 'a lone low surrogate alone', send: activity({ text: '\udc00' }), expect: REPLY },
  { name: 'right-to-left override around the code', send: activity({ text: `\u202e${PASTE}\u202c` }), expect: REPLY },
  { name: 'Arabic and Hebrew text', send: activity({ text: 'فشل النسخ الاحتياطي للجهاز الظاهري — הגיבוי נכשל' }), expect: REPLY },
  { name: 'zero-width joiners inside the code', send: activity({ text: PASTE.split('').join('\u200d') }), expect: REPLY },
  { name: 'emoji sequences', send: activity({ text: '👩‍👩‍👧‍👦🏳️‍🌈🧑🏽‍💻'.repeat(500) }), expect: REPLY },
  { name: '10,000 combining marks', send: activity({ text: `a${'\u0301'.repeat(10_000)}` }), expect: REPLY },
  { name: 'HTML and script injection', send: activity({ text: `<script>alert(1)</script><img src=x onerror=alert(1)> ${PASTE}` }), expect: REPLY },
  { name: 'Adaptive Card template injection', send: activity({ text: '${$root} {{DATE(2017-02-14T06:08:39Z, SHORT)}} ${if(true, "x", "y")}' }), expect: REPLY },
  { name: 'SQL-looking text', send: activity({ text: "'; DROP TABLE state; -- UNION SELECT * FROM outbox" }), expect: REPLY },
  { name: 'SQL in the conversation id', send: (c) => json(c.activity({ conversation: { id: `${c.conversationId}'; DROP TABLE state;--` } })), expect: REPLY },
  { name: 'the text "__proto__"', send: activity({ text: '__proto__' }), expect: REPLY },
  { name: 'a command with odd spacing and width ("ＨＥＬＰ")', send: activity({ text: '  ＨＥＬＰ\u3000' }), expect: REPLY },

  // --- Prototype pollution ----------------------------------------------------------------------------
  { name: '"__proto__" at the top', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity()).replace(/^\{/, '{"__proto__":{"polluted":true},') }), expect: REFUSED },
  { name: '"constructor.prototype" at the top', send: activity({ constructor: { prototype: { polluted: true } } }), expect: REFUSED },
  { name: '"__proto__" in the value', send: spliced({ text: '', value: '@@' }, '{"__proto__":{"polluted":true},"action":"next","flowId":"x","step":0}'), expect: REFUSED },
  { name: '"__proto__" in the conversation', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity()).replace(/"conversation":\{/, '"conversation":{"__proto__":{"isAdmin":true},') }), expect: REFUSED },
  { name: '"__proto__" in channelData', send: spliced({ channelData: '@@' }, '{"a":{"__proto__":{"polluted":true}}}'), expect: REFUSED },

  // --- Card submits that are not ours ---------------------------------------------------------------
  { name: 'a submit with an unknown action', send: activity({ text: '', value: { action: 'delete-everything', flowId: 'x', step: 0 } }), expect: REPLY },
  { name: 'a submit without flowId', send: activity({ text: '', value: { action: 'next', step: 0 } }), expect: REPLY },
  { name: 'a submit with a negative step', send: activity({ text: '', value: { action: 'next', flowId: 'x', step: -1 } }), expect: REPLY },
  { name: 'a submit with a huge step', send: activity({ text: '', value: { action: 'next', flowId: 'x', step: 1e308 } }), expect: REPLY },
  { name: 'a submit with a fractional step', send: activity({ text: '', value: { action: 'next', flowId: 'x', step: 1.5 } }), expect: REPLY },
  { name: 'a submit with the step as a string', send: activity({ text: '', value: { action: 'next', flowId: 'x', step: '0' } }), expect: REPLY },
  { name: 'a submit with an extra field', send: activity({ text: '', value: { action: 'browse', flowId: 'x', step: 0, admin: true } }), expect: REPLY },
  { name: 'a submit with a flowId of 10 KB', send: activity({ text: '', value: { action: 'browse', flowId: 'f'.repeat(10 * KB), step: 0 } }), expect: REPLY },
  { name: 'a submit for an unknown error and cause', send: activity({ text: '', value: { action: 'resolved', flowId: 'x', step: 0, category: 'kernel-panic', causeId: 'cosmic-rays' } }), expect: REPLY },
  { name: 'a submit choosing an unknown language', send: activity({ text: '', value: { action: 'set-language', flowId: 'x', step: 0, language: 'tlh' } }), expect: REPLY },
  { name: 'a send-case with no case in progress', send: activity({ text: '', value: { action: 'send-case', flowId: 'x', step: 0, note: 'hi' } }), expect: REPLY },
  { name: 'a take-case for a case that does not exist', send: activity({ text: '', value: { action: 'take-case', flowId: '../../outbox', step: 0 } }), expect: QUIET },
  { name: 'a submit nested 40 levels', send: spliced({ text: '', value: '@@' }, nested(40)), expect: REPLY },

  // --- Content type and encoding ---------------------------------------------------------------------
  { name: 'content-type text/plain', send: withHeaders({ 'content-type': 'text/plain' }), expect: { status: 415 } },
  { name: 'content-type application/x-www-form-urlencoded', send: withHeaders({ 'content-type': 'application/x-www-form-urlencoded' }, () => 'type=message&text=hi&conversation[id]=x&channelId=test'), expect: { status: 415 } },
  { name: 'content-type multipart/form-data', send: withHeaders({ 'content-type': 'multipart/form-data; boundary=x' }, () => '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--x--'), expect: { status: 415 } },
  { name: 'no content-type', send: (c) => ({ kind: 'http', body: Buffer.from(JSON.stringify(c.activity())) }), expect: { status: 415 } },
  { name: 'content-type application/json in UTF-16', send: withHeaders({ 'content-type': 'application/json; charset=utf-16' }), expect: { status: 415 } },
  { name: 'content-type application/json; charset=UTF-8 (accepted)', send: withHeaders({ 'content-type': 'application/json; charset=UTF-8' }, (c) => JSON.stringify(c.activity({ text: PASTE }))), expect: REPLY },
  { name: 'gzip content-encoding with garbage', send: () => ({ kind: 'http', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: 'this is not gzip at all' }), expect: { status: 415 } },
  { name: 'gzip content-encoding with a real gzip of 50 MB of zeros', send: () => ({ kind: 'http', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(50 * 1024 * KB)) }), expect: { status: 415 } },
  { name: 'deflate content-encoding', send: () => ({ kind: 'http', headers: { ...JSON_HEADERS, 'content-encoding': 'deflate' }, body: 'xyz' }), expect: { status: 415 } },
  { name: 'identity content-encoding (accepted)', send: withHeaders({ ...JSON_HEADERS, 'content-encoding': 'identity' }, (c) => JSON.stringify(c.activity({ text: PASTE }))), expect: REPLY },
  {
    name: 'invalid UTF-8 bytes inside the text',
    send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: Buffer.concat([Buffer.from(JSON.stringify(c.activity({ text: 'X' })).split('"X"')[0]! + '"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from(` ${PASTE}"`), Buffer.from(JSON.stringify(c.activity({ text: 'X' })).split('"X"')[1]!)]) }),
    expect: REPLY,
  },
  {
    name: 'an overlong UTF-8 encoding of "/" in the locale',
    send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: Buffer.concat([Buffer.from(JSON.stringify(c.activity({ locale: 'L' })).split('"L"')[0]! + '"..'), Buffer.from([0xc0, 0xaf]), Buffer.from('.."'), Buffer.from(JSON.stringify(c.activity({ locale: 'L' })).split('"L"')[1]!)]) }),
    expect: REPLY,
  },

  // --- Size and framing --------------------------------------------------------------------------------
  { name: 'a body of 10 MB', send: activity({ text: 'x'.repeat(10 * 1024 * KB) }), expect: { status: 413 } },
  { name: 'a body one byte over 2 MB', send: (c) => ({ kind: 'http', headers: JSON_HEADERS, body: JSON.stringify(c.activity({ text: '' })).replace('"text":""', `"text":"${'y'.repeat(2 * 1024 * KB)}"`) }), expect: { status: 413 } },
  {
    name: 'a chunked body of 3 MB (no Content-Length)',
    send: () => ({
      kind: 'http',
      headers: JSON_HEADERS,
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(1024 * KB).fill(0x20));
          controller.close();
        },
      }),
    }),
    expect: { status: 413 },
  },
  { name: 'Content-Length saying 1000, 10 bytes sent, then the client stops sending', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 1000'], '{"type":"m'), halfClose: true }), expect: { rawRefused: true } },
  { name: 'headers only, Content-Length 100, then the client stops sending', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 100'], ''), halfClose: true }), expect: { rawRefused: true } },
  { name: 'Content-Length shorter than the body', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 10'], JSON.stringify(c.activity())) }), expect: { rawRefused: true } },
  { name: 'Content-Length that is not a number', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: lots'], '{}') }), expect: { rawRefused: true } },
  { name: 'Content-Length of 10 GB declared', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 10737418240'], '{"type":'), halfClose: true }), expect: { rawRefused: true } },
  { name: 'both Content-Length and chunked (smuggling)', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'], '0\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n') }), expect: { rawRefused: true } },
  { name: 'a malformed chunk size', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz\r\n{}\r\n0\r\n\r\n') }), expect: { rawRefused: true } },
  { name: 'a header of 64 KB', send: (c) => ({ kind: 'raw', bytes: rawRequest(c, ['POST /api/messages HTTP/1.1', 'Content-Type: application/json', `X-Padding: ${'p'.repeat(64 * KB)}`, 'Content-Length: 2'], '{}') }), expect: { rawRefused: true } },
  { name: 'GET /api/messages', send: () => ({ kind: 'http', method: 'GET' }), expect: { status: 405 } },
  { name: 'PUT /api/messages', send: (c) => ({ kind: 'http', method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify(c.activity()) }), expect: { status: 405 } },
  { name: 'a query string with "__proto__"', send: (c) => ({ kind: 'http', path: '/api/messages?__proto__[polluted]=1&constructor[prototype][polluted]=1', headers: JSON_HEADERS, body: JSON.stringify(c.activity({ text: PASTE })) }), expect: REPLY },
  { name: 'an Authorization header while auth is off (ignored)', send: (c) => ({ kind: 'http', headers: { ...JSON_HEADERS, authorization: 'Bearer garbage.garbage.garbage' }, body: JSON.stringify(c.activity({ text: PASTE })) }), expect: REPLY },
];

/** Replies that are a turn's apology (the turn failed). */
export function isApology(text: string | undefined): boolean {
  return typeof text === 'string' && (text.startsWith('Sorry, something went wrong') || text.startsWith('申し訳ありません。こちらで問題が発生しました'));
}
