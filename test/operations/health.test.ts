/**
 * GET /healthz (alive) and GET /readyz (the store answers, not draining) over HTTP.
 */
import { MemoryStorage, type Storage } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { readinessCheck } from '../../src/entry-points/http/health';
import { startServer, type RunningServer, type ServerDeps } from '../../src/entry-points/http/server';
import { captureLog, type CapturedLog } from './helpers';

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' });

async function get(running: RunningServer, path: string): Promise<{ status: number; body: unknown; cacheControl: string | null }> {
  const response = await fetch(`${running.url}${path}`);
  return { status: response.status, body: await response.json(), cacheControl: response.headers.get('cache-control') };
}

describe('health routes', () => {
  let running: RunningServer | undefined;
  let log: CapturedLog;

  async function serve(storage: Storage, deps: ServerDeps = {}): Promise<RunningServer> {
    log = captureLog();
    running = await startServer(config, storage, log.logger, deps);
    return running;
  }

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('When the SQLite store answers, Then /healthz is 200 ok and /readyz is 200 ready, neither cached', async () => {
    const storage = new SqliteStorage(':memory:');
    const server = await serve(storage);
    expect(await get(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' }, cacheControl: 'no-store' });
    expect(await get(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', store: 'ok' }, cacheControl: 'no-store' });
    storage.close();
  });

  it('When the SQLite store has been closed, Then /readyz is 503 unavailable and /healthz stays 200', async () => {
    const storage = new SqliteStorage(':memory:');
    const server = await serve(storage);
    storage.close();
    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', reason: 'store ping failed with an error' });
    expect((await get(server, '/healthz')).status).toBe(200);
    expect(log.events('readiness-changed')).toEqual([expect.objectContaining({ level: 'warn', ready: false, errorClass: 'TypeError' })]);
  });

  it('When the store has no ping, Then /readyz is ready with the store unchecked', async () => {
    const server = await serve(new MemoryStorage());
    expect(await get(server, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', store: 'unchecked' } });
  });

  it('When the given ping says false, Then /readyz is 503 until it says true again, and each change is logged once', async () => {
    let up = false;
    const server = await serve(new MemoryStorage(), { ping: async () => up });
    expect(await get(server, '/readyz')).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'store ping failed' } });
    expect((await get(server, '/readyz')).status).toBe(503);
    up = true;
    expect(await get(server, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', store: 'ok' } });
    expect((await get(server, '/readyz')).status).toBe(200);
    expect(log.events('readiness-changed').map((entry) => entry['ready'])).toEqual([false, true]);
  });

  it('When the ping throws with a secret in its message, Then /readyz says only that it failed and the log masks the secret', async () => {
    const server = await serve(new MemoryStorage(), {
      ping: () => {
        throw new Error('403 for https://contoso.blob.core.windows.net/bot-state?sv=2022-11-02&sig=c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D');
      },
    });
    const ready = await get(server, '/readyz');
    expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'store ping failed with an error' } });
    expect(JSON.stringify(ready.body)).not.toContain('403');
    expect(log.lines.join('')).not.toContain('c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ');
    expect(String(log.events('readiness-changed')[0]!['error'])).toContain('[REDACTED');
  });

  it('When the server is draining, Then /readyz is 503 draining and /healthz stays 200', async () => {
    const server = await serve(new SqliteStorage(':memory:'));
    server.lifecycle.startDraining();
    expect(await get(server, '/readyz')).toMatchObject({ status: 503, body: { status: 'draining' } });
    expect(await get(server, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('readinessCheck', () => {
  const lifecycle = { draining: false };

  it('When the ping takes longer than the bound, Then it is not ready, timed out', async () => {
    const check = readinessCheck({ ping: () => new Promise<boolean>(() => undefined), lifecycle, logger: captureLog().logger, pingTimeoutMs: 30 });
    await expect(check()).resolves.toEqual({ ready: false, body: { status: 'unavailable', reason: 'store ping timed out after 30 ms' } });
  });

  it('When probes come together, Then they share one ping', async () => {
    let pings = 0;
    let answer!: (up: boolean) => void;
    const check = readinessCheck({
      ping: () => {
        pings += 1;
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
      lifecycle,
      logger: captureLog().logger,
    });
    const probes = Promise.all([check(), check(), check()]);
    answer(true);
    expect((await probes).every((readiness) => readiness.ready)).toBe(true);
    expect(pings).toBe(1);
    const next = check();
    answer(true);
    await next;
    expect(pings).toBe(2);
  });

  it('When the storage itself has a ping and none is given, Then the storage is asked', async () => {
    const storage = { ping: jest.fn(() => true) };
    const check = readinessCheck({ storage, lifecycle, logger: captureLog().logger });
    await expect(check()).resolves.toMatchObject({ ready: true, body: { store: 'ok' } });
    expect(storage.ping).toHaveBeenCalledTimes(1);
  });
});
