/**
 * Graceful shutdown of the HTTP server.
 *
 * `ServerLifecycle` counts the requests in flight (each from its arrival to the
 * end of its response, and each /api/messages turn to its end even when the
 * caller hung up) and knows whether the server is draining. `shutDown` runs the
 * sequence on SIGTERM or SIGINT (`handleSignals`):
 *
 * 1. draining: /readyz answers 503, responses still to come carry
 *    `Connection: close` so their keep-alive connections end with them;
 * 2. the listener closes (new connections are refused) and idle keep-alive
 *    connections are closed;
 * 3. the requests in flight finish, for at most `drainTimeoutMs` (10 s);
 *    connections still open after that are cut;
 * 4. the handoff dispatcher stops (its delivery attempts in flight finish), bounded too;
 * 5. the store is closed (SQLite: the WAL is checkpointed into bot.sqlite);
 * 6. one `shutdown` log line; the exit code is 0 when everything finished in time, else 1.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'restify';
import { describeError, type Logger } from '../../logger';

/** How long requests in flight get to finish after the signal. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/** How long stopping what runs beside the server (the handoff dispatcher) may take after that. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

export class ServerLifecycle {
  private inFlightCount = 0;
  private turnCount = 0;
  private drainStartedAt: number | undefined;
  private readonly open = new Set<ServerResponse>();
  private readonly idleWaiters = new Set<() => void>();

  /** True from the start of a shutdown: /readyz answers 503. */
  get draining(): boolean {
    return this.drainStartedAt !== undefined;
  }

  /** Requests (any route) and turns in flight. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** /api/messages turns running. */
  get turns(): number {
    return this.turnCount;
  }

  /** Counts one piece of work in flight until the returned function is called (once is enough; more are ignored). */
  begin(): () => void {
    this.inFlightCount += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlightCount -= 1;
      if (this.inFlightCount === 0) for (const wake of [...this.idleWaiters]) wake();
    };
  }

  /** Runs a turn counted in flight: it is waited for even if its caller has gone. */
  async trackTurn<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    this.turnCount += 1;
    try {
      return await work();
    } finally {
      this.turnCount -= 1;
      end();
    }
  }

  /** Called for every request as it arrives (mountLifecycle). */
  requestArrived(response: ServerResponse): void {
    const end = this.begin();
    this.open.add(response);
    if (this.draining && !response.headersSent) response.setHeader('Connection', 'close');
    response.once('close', () => {
      this.open.delete(response);
      end();
    });
  }

  /** Starts draining: responses not yet begun will close their connection. Returns false if it had already started. */
  startDraining(now = Date.now()): boolean {
    if (this.draining) return false;
    this.drainStartedAt = now;
    for (const response of this.open) if (!response.headersSent) response.setHeader('Connection', 'close');
    return true;
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.inFlightCount === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(result);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(wake);
    });
  }
}

/** Counts every request of `server` in `lifecycle`, from its arrival (before its body is read) to the end of its response. */
export function mountLifecycle(server: Server, lifecycle: ServerLifecycle): void {
  server.pre((_req, res, next) => {
    lifecycle.requestArrived(res as unknown as ServerResponse<IncomingMessage>);
    return next();
  });
}

/** What a shutdown needs of the running server (RunningServer in server.ts). */
export interface Stoppable {
  server: Server;
  lifecycle: ServerLifecycle;
  /** Stops listening, waits for the connections to end, then stops the handoff dispatcher. */
  close(): Promise<void>;
}

/** The state store, closed last. */
export interface ClosableStore {
  close?: () => Promise<void> | void;
}

export interface ShutdownOptions {
  running: Stoppable;
  store?: ClosableStore;
  logger: Logger;
  /** What started it, for the log: the signal's name. */
  reason: string;
  drainTimeoutMs?: number;
  closeTimeoutMs?: number;
}

export interface ShutdownReport {
  exitCode: 0 | 1;
  /** Requests in flight when the signal came. */
  inFlightAtStart: number;
  /** True when they all finished within the drain timeout. */
  drained: boolean;
  /** Requests cut when the drain timeout ran out. */
  cut: number;
  durationMs: number;
}

/** Node's http.Server (restify's `server.server` may be typed as https or spdy). */
interface NodeConnections {
  closeIdleConnections?: () => void;
  closeAllConnections?: () => void;
}

/** After the requests are done, how long their connections get to flush and close before they are cut. */
const RESPONSE_FLUSH_MS = 1_000;

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => (timer = setTimeout(() => resolve({ done: false }), timeoutMs)));
  return Promise.race([work.then((value) => ({ done: true as const, value })), timeout]).finally(() => clearTimeout(timer));
}

/** The shutdown sequence (see the top of this file). Never throws: failures are logged and make the exit code 1. */
export async function shutDown(options: ShutdownOptions): Promise<ShutdownReport> {
  const { running, store, logger, reason } = options;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const started = Date.now();
  const { lifecycle } = running;
  const inFlightAtStart = lifecycle.inFlight;
  let clean = true;

  lifecycle.startDraining(started);
  // The listener closes now (synchronously): new connections are refused; Node also closes idle keep-alive connections.
  const closing = running.close().then(
    () => true,
    (error: unknown) => {
      logger.log('error', 'shutdown-close-failed', describeError(error));
      return false;
    },
  );

  // Written once the listener is closed: whoever reads it can count on refused connections.
  logger.log('info', 'shutdown-started', { reason, inFlight: inFlightAtStart, turns: lifecycle.turns, drainTimeoutMs });

  const connections = running.server.server as unknown as NodeConnections;
  const drained = await lifecycle.settled(drainTimeoutMs);
  const cut = lifecycle.inFlight;
  if (drained) {
    // Keep-alive connections whose last response began before the signal (no `Connection: close`).
    connections.closeIdleConnections?.();
  } else {
    clean = false;
    logger.log('warn', 'shutdown-drain-timeout', { inFlight: cut, turns: lifecycle.turns, drainTimeoutMs });
    connections.closeAllConnections?.();
  }

  // Answers already written flush on their own (destroySoon); anything still open after a second is cut.
  let closed = await withTimeout(closing, Math.min(RESPONSE_FLUSH_MS, closeTimeoutMs));
  if (!closed.done) {
    connections.closeAllConnections?.();
    closed = await withTimeout(closing, closeTimeoutMs);
  }
  if (!closed.done) {
    clean = false;
    logger.log('warn', 'shutdown-close-timeout', { closeTimeoutMs });
  } else if (!closed.value) clean = false;

  try {
    await store?.close?.();
  } catch (error) {
    clean = false;
    logger.log('error', 'shutdown-store-close-failed', describeError(error));
  }

  const report: ShutdownReport = { exitCode: clean ? 0 : 1, inFlightAtStart, drained, cut, durationMs: Date.now() - started };
  logger.log(clean ? 'info' : 'warn', 'shutdown', { reason, ...report });
  return report;
}

export interface SignalOptions {
  logger: Logger;
  signals?: NodeJS.Signals[];
  /** After this long the process exits with 1 whatever is still running (default: drain + close timeouts + 2 s). */
  hardLimitMs?: number;
  exit?: (code: number) => void;
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits with its code. Later
 * signals are logged and ignored (npm forwards Ctrl-C to a process that already
 * got it from the terminal); a timer bounds the whole shutdown.
 */
export function handleSignals(stop: (signal: NodeJS.Signals) => Promise<number>, options: SignalOptions): void {
  const { logger, signals = ['SIGTERM', 'SIGINT'], exit = (code: number) => process.exit(code) } = options;
  const hardLimitMs = options.hardLimitMs ?? DEFAULT_DRAIN_TIMEOUT_MS + DEFAULT_CLOSE_TIMEOUT_MS + 2_000;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.log('info', 'shutdown-signal-ignored', { signal });
      return;
    }
    stopping = true;
    setTimeout(() => {
      logger.log('error', 'shutdown-hard-limit', { hardLimitMs });
      exit(1);
    }, hardLimitMs).unref();
    stop(signal).then(exit, (error: unknown) => {
      logger.log('error', 'shutdown-failed', describeError(error));
      exit(1);
    });
  };
  for (const signal of signals) process.on(signal, onSignal);
}
