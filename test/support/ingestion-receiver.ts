/**
 * A stand-in for Application Insights' ingestion endpoint, on loopback.
 *
 * The Azure Monitor exporter speaks TLS even to an `http://` IngestionEndpoint,
 * so this serves HTTPS with a certificate for 127.0.0.1 made at start by the
 * machine's `openssl` (Node's crypto cannot issue certificates). The bot process
 * trusts it through NODE_EXTRA_CA_CERTS=`caFile`, read only at process start:
 * run the bot in a child process.
 *
 * POST /v2.1/track: the body (gzip'd or not; a JSON array or one envelope per
 * line) is kept as text and as envelopes, and answered as Breeze does
 * (`{"itemsReceived": n, "itemsAccepted": n, "errors": []}`). Every request,
 * to any path and with any method (CONNECT too), is recorded in `requests`, so a
 * test can check nothing else was called.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The parts of an Application Insights envelope the tests read. */
export interface Envelope {
  /** `Microsoft.ApplicationInsights.Event` for a custom event. */
  name: string;
  time?: string;
  iKey?: string;
  tags?: Record<string, string>;
  data?: {
    baseType?: string;
    baseData?: {
      /** The custom event's name. */
      name?: string;
      properties?: Record<string, string>;
      measurements?: Record<string, number>;
    };
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
}

export interface IngestionReceiver {
  /** https://127.0.0.1:<port>/ */
  url: string;
  port: number;
  /** The certificate (self-signed, so also its CA) as PEM, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Every request, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** The envelopes POSTed to /v2.1/track, in arrival order. */
  readonly envelopes: readonly Envelope[];
  /** The decompressed bodies POSTed to /v2.1/track, to search for what must not be there. */
  readonly bodies: readonly string[];
  /** Resolves once `predicate` holds on the envelopes so far; rejects after `timeoutMs`. */
  waitFor(predicate: (envelopes: readonly Envelope[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Stops listening (open connections are cut) and deletes the certificate files. */
  close(): Promise<void>;
}

const TRACK_PATH = '/v2.1/track';

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

/** A JSON array of envelopes, or newline-delimited envelopes. */
export function parseEnvelopes(body: string): Envelope[] {
  const trimmed = body.trim();
  if (trimmed === '') return [];
  const items: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
  const envelopes = items.filter(isEnvelope);
  if (envelopes.length !== items.length) throw new Error(`not an envelope in ${trimmed.slice(0, 200)}`);
  return envelopes;
}

/** A key and a self-signed certificate for 127.0.0.1, valid for a day, written to `dir`. */
function makeCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    throw new Error(`the ingestion receiver needs openssl on PATH to make its certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { keyFile, certFile };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startIngestionReceiver(): Promise<IngestionReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'ingestion-receiver-'));
  const { keyFile, certFile } = makeCertificate(dir);
  const requests: ReceivedRequest[] = [];
  const envelopes: Envelope[] = [];
  const bodies: string[] = [];
  const waiters = new Set<() => void>();

  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (request, response) => {
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    requests.push({ method: request.method ?? '', path });
    readBody(request)
      .then((raw) => {
        if (request.method !== 'POST' || path !== TRACK_PATH) {
          response.writeHead(404).end();
          return;
        }
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const received = parseEnvelopes(text);
        bodies.push(text);
        envelopes.push(...received);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ itemsReceived: received.length, itemsAccepted: received.length, errors: [] }));
        for (const wake of [...waiters]) wake();
      })
      .catch((error: unknown) => {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
      });
  });
  // A proxy request (CONNECT host:port) is recorded too, then refused.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    requests.push({ method: 'CONNECT', path: request.url ?? '' });
    socket.destroy();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}/`,
    port,
    caFile: certFile,
    requests,
    envelopes,
    bodies,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(envelopes)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the envelopes expected did not arrive within ${timeoutMs} ms (${envelopes.length} received)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
