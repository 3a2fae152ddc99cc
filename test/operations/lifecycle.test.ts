/**
 * The shutdown sequence in process (lifecycle.ts): the bound on the drain,
 * the order of the steps, and the signal handling.
 */
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { ServerLifecycle, handleSignals, shutDown } from '../../src/entry-points/http/lifecycle';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { captureLog, heldTurn, messageActivity, tryConnect, within } from './helpers';

describe('ServerLifecycle', () => {
  it('When work begins and ends, Then it is counted in flight until its end, once however often it is ended', async () => {
    const lifecycle = new ServerLifecycle();
    const end = lifecycle.begin();
    expect(lifecycle.inFlight).toBe(1);
    const settled = lifecycle.settled(1_000);
    end();
    end();
    expect(lifecycle.inFlight).toBe(0);
    await expect(settled).resolves.toBe(true);
  });

  it('When work outlasts the bound, Then settled answers false', async () => {
    const lifecycle = new ServerLifecycle();
    lifecycle.begin();
    await expect(lifecycle.settled(20)).resolves.toBe(false);
  });

  it('When a turn throws, Then it is no longer in flight', async () => {
    const lifecycle = new ServerLifecycle();
    await expect(lifecycle.trackTurn(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lifecycle.inFlight).toBe(0);
    expect(lifecycle.turns).toBe(0);
  });
});

describe('shutDown', () => {
  let running: RunningServer;
  let storage: SqliteStorage;

  beforeEach(async () => {
    storage = new SqliteStorage(':memory:');
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), storage, captureLog().logger);
  });

  it('When a turn outlasts the drain timeout, Then its connection is cut, the store is still closed, and the exit code is 1', async () => {
    const log = captureLog();
    const url = new URL(running.url);
    const turn = heldTurn(url, messageActivity('never-sent', 'ExtensionSnapshotFailedNoNetwork'));
    await turn.accepted;
    const closeStore = jest.fn(() => storage.close());

    const report = await shutDown({ running, store: { close: closeStore }, logger: log.logger, reason: 'test', drainTimeoutMs: 100 });

    expect(report).toMatchObject({ exitCode: 1, inFlightAtStart: 1, drained: false, cut: 1 });
    await expect(turn.response).rejects.toThrow();
    expect(closeStore).toHaveBeenCalledTimes(1);
    expect(log.events('shutdown-drain-timeout')).toEqual([expect.objectContaining({ level: 'warn', inFlight: 1, drainTimeoutMs: 100 })]);
    expect(log.events('shutdown')).toEqual([expect.objectContaining({ level: 'warn', reason: 'test', exitCode: 1 })]);
    expect(await tryConnect(url)).toBe('ECONNREFUSED');
  });

  it('When the turn finishes in time, Then the store is closed only after it, and /readyz said "draining" meanwhile', async () => {
    const log = captureLog();
    const url = new URL(running.url);
    const turn = heldTurn(url, messageActivity('in-time', 'ExtensionSnapshotFailedNoNetwork on Ubuntu'));
    await turn.accepted;
    const closedWith: { inFlight: number; saved: boolean }[] = [];
    const close = async (): Promise<void> => {
      const saved = Object.keys(await storage.read(['test/conversations/in-time/'])).length === 1;
      closedWith.push({ inFlight: running.lifecycle.inFlight, saved });
    };
    const stopping = shutDown({ running, store: { close }, logger: log.logger, reason: 'test' });
    expect(running.lifecycle.draining).toBe(true);
    expect(await within(stopping, 100)).toBe(false);
    expect(closedWith).toEqual([]);

    turn.release();
    expect((await turn.response).status).toBe(200);
    const report = await stopping;
    storage.close();

    // The store was closed once, after the turn had saved its state and nothing was in flight.
    expect(closedWith).toEqual([{ inFlight: 0, saved: true }]);
    expect(report).toMatchObject({ exitCode: 0, inFlightAtStart: 1, drained: true, cut: 0 });
    expect(log.events('shutdown-started')).toEqual([expect.objectContaining({ reason: 'test', inFlight: 1, turns: 0 })]);
  });

  it('When the store fails to close, Then it is logged without its secrets and the exit code is 1', async () => {
    const log = captureLog();
    const report = await shutDown({
      running,
      store: {
        close: () => {
          throw new Error('cannot release lease: AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0;');
        },
      },
      logger: log.logger,
      reason: 'test',
    });
    storage.close();
    expect(report.exitCode).toBe(1);
    const [failed] = log.events('shutdown-store-close-failed');
    expect(failed).toMatchObject({ level: 'error', errorClass: 'Error' });
    expect(String(failed!['error'])).toContain('[REDACTED');
    expect(log.lines.join('')).not.toContain('c2VjcmV0c2VjcmV0');
  });
});

describe('handleSignals', () => {
  const signal = 'SIGUSR2' as const;
  afterEach(() => process.removeAllListeners(signal));

  it('When the signal comes twice, Then the shutdown runs once and the process exits with its code', async () => {
    const log = captureLog();
    const exit = jest.fn();
    let finish!: (code: number) => void;
    const stop = jest.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    handleSignals(stop, { logger: log.logger, signals: [signal], exit, hardLimitMs: 5_000 });

    process.emit(signal, signal);
    process.emit(signal, signal);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledWith(signal);
    expect(log.events('shutdown-signal-ignored')).toHaveLength(1);

    finish(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('When the shutdown hangs past the hard limit, Then the process exits 1', async () => {
    const log = captureLog();
    const exit = jest.fn();
    handleSignals(() => new Promise<number>(() => undefined), { logger: log.logger, signals: [signal], exit, hardLimitMs: 20 });
    process.emit(signal, signal);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(exit).toHaveBeenCalledWith(1);
    expect(log.events('shutdown-hard-limit')).toHaveLength(1);
  });
});
