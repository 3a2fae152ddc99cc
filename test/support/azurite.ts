/**
 * Azurite as a child process on loopback, for tests of the Azure Blob state
 * store and lock and of the Azure Table insights store. Its blob and table
 * services (and the queue service, which the `azurite` command always starts)
 * listen on ports the OS picks (it prints them), keep everything in memory, and
 * are killed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Azurite's account and its public, well-known development key (documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq', 'K1SZFPTOtr', 'KBHBeksoGMGw=='].join('/');

// The command of all the services: `azurite-blob` and `azurite-table` are one process each.
const AZURITE_BIN = resolve(__dirname, '../../node_modules/.bin/azurite');
const START_TIMEOUT_MS = 20_000;

export interface Azurite {
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  blobEndpoint: string;
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  tableEndpoint: string;
  /** With BlobEndpoint and TableEndpoint: the state store and the insights store both work on it. */
  connectionString: string;
  /** Kills Azurite and waits for it to exit. */
  stop(): Promise<void>;
}

/** Without a table endpoint the string serves blobs only: @azure/data-tables refuses it (no EndpointSuffix to derive one from). */
export function azuriteConnectionString(blobEndpoint: string, tableEndpoint?: string): string {
  const table = tableEndpoint === undefined ? '' : `TableEndpoint=${tableEndpoint};`;
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};${table}`;
}

/** Starts Azurite's blob, queue and table services and resolves once blob and table answer HTTP. */
export async function startAzurite(): Promise<Azurite> {
  const workspace = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [
      realpathSync(AZURITE_BIN),
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      ...['--tableHost', '127.0.0.1', '--tablePort', '0'],
      // Not used by the tests, but the command has no switch to leave it out: keep it on loopback too.
      ...['--queueHost', '127.0.0.1', '--queuePort', '0'],
      ...['--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry'],
    ],
    // Nothing is written with --inMemoryPersistence; a temp cwd keeps it that way if Azurite changes its mind.
    { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(workspace, { recursive: true, force: true });
  };
  try {
    const ports = await listeningPorts(child);
    const blobEndpoint = `http://127.0.0.1:${ports.Blob}/${AZURITE_ACCOUNT}`;
    const tableEndpoint = `http://127.0.0.1:${ports.Table}/${AZURITE_ACCOUNT}`;
    await Promise.all([answers(`${blobEndpoint}?comp=list`), answers(`${tableEndpoint}/Tables`)]);
    return { blobEndpoint, tableEndpoint, connectionString: azuriteConnectionString(blobEndpoint, tableEndpoint), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Service = 'Blob' | 'Table';

/**
 * The `azurite` command prints "Azurite Blob service is successfully listening at http://127.0.0.1:<port>",
 * and the same for Queue and Table (`azurite-blob` alone says "successfully listens on": both are read).
 */
function listeningPorts(child: ChildProcess): Promise<Record<Service, number>> {
  return new Promise((resolvePorts, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const portOf = (service: Service): number | undefined => {
      const match = new RegExp(`Azurite ${service} service (?:is )?successfully (?:listening at|listens on) http://127\\.0\\.0\\.1:(\\d+)`).exec(output);
      return match ? Number(match[1]) : undefined;
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const [blob, table] = [portOf('Blob'), portOf('Table')];
      if (blob !== undefined && table !== undefined) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolvePorts({ Blob: blob, Table: table });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
}

/** Any HTTP answer will do (an unsigned request gets 403 or 400): the service is up. */
async function answers(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Azurite does not answer at ${url}: ${(error as Error).message}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}
