/**
 * Health routes for probes and load balancers.
 *
 * - `GET /healthz` (liveness): `200 {"status":"ok"}` while the process runs,
 *   draining included: restarting a process that is finishing its turns would
 *   only cut them.
 * - `GET /readyz` (readiness): `200 {"status":"ready","store":"ok"}` when the
 *   store answers its `ping()`; `503 {"status":"draining"}` once a shutdown has
 *   started; `503 {"status":"unavailable","reason":…}` when the ping says false,
 *   throws, or takes longer than 2 s. A store without `ping` (botbuilder's
 *   MemoryStorage) is not checked: `"store":"unchecked"`.
 *
 * The check is the `ping` given to the server (ServerDeps.ping: create-storage.ts's
 * `StateStore.ping`), else the storage's own `ping?: () => Promise<boolean> | boolean`
 * (SqliteStorage has one). Concurrent probes share one ping. Changes of
 * readiness are logged once, not on every probe.
 */
import type { Server } from 'restify';
import { describeError, type Logger } from '../../logger';

/** What /readyz asks of the store: true when it can serve a turn now. */
export interface StorePing {
  ping?: () => Promise<boolean> | boolean;
}

export const READINESS_PING_TIMEOUT_MS = 2_000;

export type Readiness =
  | { ready: true; body: { status: 'ready'; store: 'ok' | 'unchecked' } }
  | { ready: false; body: { status: 'draining' | 'unavailable'; reason: string } };

export interface HealthOptions {
  /** Decides readiness: true when the store can serve a turn (create-storage.ts's `StateStore.ping`). */
  ping?: () => Promise<boolean> | boolean;
  /** Without `ping`: the state store, whose own `ping` is used if it has one. */
  storage?: object;
  lifecycle: { readonly draining: boolean };
  logger: Logger;
  pingTimeoutMs?: number;
}

type PingOutcome = { ok: true } | { ok: false; reason: string; error?: unknown };

/** Asks the store, bounded by a timeout; never throws. */
async function pingStore(ping: () => Promise<boolean> | boolean, timeoutMs: number): Promise<PingOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PingOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `store ping timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const answer = (async (): Promise<PingOutcome> => {
    try {
      return (await ping()) === true ? { ok: true } : { ok: false, reason: 'store ping failed' };
    } catch (error) {
      return { ok: false, reason: 'store ping failed with an error', error };
    }
  })();
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness as the probe sees it; concurrent calls share one ping of the store. */
export function readinessCheck(options: HealthOptions): () => Promise<Readiness> {
  const timeoutMs = options.pingTimeoutMs ?? READINESS_PING_TIMEOUT_MS;
  const candidate = (options.storage as StorePing | undefined)?.ping;
  const ping = options.ping ?? (typeof candidate === 'function' ? candidate.bind(options.storage) : undefined);
  let pending: Promise<PingOutcome> | undefined;
  let lastReady: boolean | undefined;

  const note = (ready: boolean, fields: Record<string, unknown> = {}): void => {
    if (lastReady === ready) return;
    // The first answer is logged only when it is "not ready".
    if (lastReady !== undefined || !ready) options.logger.log(ready ? 'info' : 'warn', 'readiness-changed', { ready, ...fields });
    lastReady = ready;
  };

  return async () => {
    if (options.lifecycle.draining) return { ready: false, body: { status: 'draining', reason: 'the server is shutting down' } };
    if (!ping) return { ready: true, body: { status: 'ready', store: 'unchecked' } };
    pending ??= pingStore(ping, timeoutMs).finally(() => (pending = undefined));
    const outcome = await pending;
    if (options.lifecycle.draining) return { ready: false, body: { status: 'draining', reason: 'the server is shutting down' } };
    if (outcome.ok) {
      note(true);
      return { ready: true, body: { status: 'ready', store: 'ok' } };
    }
    note(false, { reason: outcome.reason, ...(outcome.error !== undefined ? describeError(outcome.error) : {}) });
    return { ready: false, body: { status: 'unavailable', reason: outcome.reason } };
  };
}

/** GET /healthz and GET /readyz. */
export function mountHealth(server: Server, options: HealthOptions): void {
  const readiness = readinessCheck(options);
  server.get('/healthz', async (_req, res) => {
    res.header('Cache-Control', 'no-store');
    res.json(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    const { ready, body } = await readiness();
    res.header('Cache-Control', 'no-store');
    res.json(ready ? 200 : 503, body);
  });
}
