/** Shared by the operations tests: pastes with secrets in them, a log that keeps its lines, the built server as a child process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger, type Logger } from '../../src/logger';
import { PROJECT_ROOT } from '../../src/project-root';

/** Not a real key: 64 random bytes in base64, the shape of a storage account key. */
export const STORAGE_KEY = 'RUKbhgIjJyYsGWvSRSErNbQgUa8Lj9zzucmRVUrzJRRu+FraSCT2csvZd9J24eIIeOTgPdGZVHYgAOolb6jppA==';
export const PASSWORD = 'Tr0ub4dor&3-correct-horse';
/** A phrase only the paste has, to find the paste itself in a log. */
export const PASTE_MARKER = 'marker-line-of-the-pasted-log-7f3a';

/** A paste that names the error and the guest OS and carries a connection string with a key and a password. */
export function secretPaste(fillToBytes = 0): string {
  let paste = [
    'Backup failed: UserErrorGuestAgentStatusUnavailable on an Ubuntu 22.04 VM',
    `DefaultEndpointsProtocol=https;AccountName=contosobackup;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
    `admin password: ${PASSWORD}`,
    PASTE_MARKER,
    '',
  ].join('\n');
  const line = `2024-05-01T03:00:00.000000Z INFO ExtHandler ProcessGoalState completed [${PASTE_MARKER}]\n`;
  while (paste.length < fillToBytes) paste += line;
  return paste;
}

/** What a log line must never hold. */
export const FORBIDDEN_IN_LOGS = [STORAGE_KEY, PASSWORD, PASTE_MARKER, 'contosobackup'];

export interface CapturedLog {
  logger: Logger;
  lines: string[];
  entries(): Record<string, unknown>[];
  events(event: string): Record<string, unknown>[];
}

/** The JSON logger of production, writing into an array. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logger: createJsonLogger((line) => void lines.push(line)),
    lines,
    entries,
    events: (event) => entries().filter((entry) => entry['event'] === event),
  };
}

export const MAIN_JS = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'http', 'main.js');

export interface SpawnedBot {
  child: ChildProcessWithoutNullStreams;
  url: URL;
  dataDir: string;
  stderr(): string;
  /** The JSON lines of stderr so far. */
  logEntries(): Record<string, unknown>[];
  /** Resolves with the first log entry of `event` (already written or to come). */
  waitForEvent(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  cleanUp(): void;
}

/** `npm start` as it runs in production: the built main.js, PORT=0, a temp DATA_DIR; resolves once it prints its URL. */
export function spawnBot(): Promise<SpawnedBot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ops-'));
  const child = spawn(process.execPath, ['--no-deprecation', MAIN_JS], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  const watchers: (() => void)[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const watcher of [...watchers]) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const logEntries = (): Record<string, unknown>[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const waitForEvent = (event: string, timeoutMs = 10_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = logEntries().find((entry) => entry['event'] === event);
        if (!found) return false;
        watchers.splice(watchers.indexOf(watcher), 1);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const watcher = (): void => void check();
      const timer = setTimeout(() => {
        watchers.splice(watchers.indexOf(watcher), 1);
        reject(new Error(`no "${event}" log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      watchers.push(watcher);
      check();
    });

  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Bot listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(stdout);
      if (match) resolve({ child, url: new URL(match[1]!), dataDir, stderr: () => stderr, logEntries, waitForEvent, exited, cleanUp: () => rmSync(dataDir, { recursive: true, force: true }) });
    });
    void exited.then(({ code }) => reject(new Error(`the bot exited (${code}) before listening: ${stderr}`)));
  });
}

/** The activity of a message turn with expectReplies. */
export function messageActivity(conversationId: string, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: `${conversationId}-1`,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:1/',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'ops' },
    from: { id: `user-${conversationId}`, name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: 'en-US',
    text,
  };
}

export interface HeldTurn {
  /** Resolves when the server has taken the request (it answered `100 Continue`): the turn is in flight, its body not sent. */
  accepted: Promise<void>;
  /** Sends the body: the turn runs. */
  release(): void;
  response: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>;
}

/**
 * A turn held open by its client, with no test code in the server: the request
 * asks `Expect: 100-continue` and its body is sent only on `release()`.
 */
export function heldTurn(url: URL, activity: Record<string, unknown>): HeldTurn {
  const body = JSON.stringify(activity);
  let onAccepted!: () => void;
  const accepted = new Promise<void>((resolve) => (onAccepted = resolve));
  const request = http.request({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    path: '/api/messages',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  request.once('continue', onAccepted);
  request.flushHeaders();
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.once('error', reject);
    });
  });
  return { accepted, release: () => request.end(body), response };
}

/** Opens a TCP connection: resolves "connected" (then closes it) or the error code. */
export function tryConnect(url: URL): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

export interface IdleKeepAlive {
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
  destroy(): void;
}

/** A keep-alive connection that made one request (GET /healthz) and now sits idle. */
export function idleKeepAlive(url: URL): Promise<IdleKeepAlive> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let received = '';
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('{"status":"ok"}')) resolve({ closed, destroy: () => socket.destroy() });
    });
  });
}

/** Resolves true if `promise` settles within `ms`. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
