/**
 * The Azure SDKs are loaded only when STORAGE=azure-blob asks for them (create-storage.ts): a bot on SQLite
 * starts without them. The Azure branch itself is tested against Azurite (test/e2e/azure-blob-*.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';
import { loadedModules, REPORT_LOADED_MODULES } from '../support/loaded-modules';

const CREATE_STORAGE = join(PROJECT_ROOT, 'dist', 'src', 'data-access', 'create-storage.js');
const CONFIG = join(PROJECT_ROOT, 'dist', 'src', 'config.js');

function modulesLoadedBy(env: Record<string, string>): string[] {
  const script = `const { loadConfig } = require(${JSON.stringify(CONFIG)});
const { createStorage } = require(${JSON.stringify(CREATE_STORAGE)});
const store = createStorage(loadConfig(process.env));
process.stdout.write(store.kind);
store.close();`;
  const result = spawnSync(process.execPath, [...REPORT_LOADED_MODULES, '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
  expect(result.status).toBe(0);
  return [result.stdout, ...loadedModules(result.stderr)];
}

describe('the state store at start-up', () => {
  it('When STORAGE is sqlite (the default), Then no Azure storage SDK is loaded', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'storage-loading-'));
    try {
      const [kind, ...loaded] = modulesLoadedBy({ DATA_DIR: dataDir });
      expect(kind).toBe('sqlite');
      expect(loaded.some((file) => file.includes('better-sqlite3'))).toBe(true);
      expect(loaded.filter((file) => /@azure\/storage-blob|@azure\/data-tables|botbuilder-azure-blobs|azure-blob-store/.test(file))).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('When STORAGE is azure-blob, Then the Azure store is loaded and made (no request is sent until it is used)', () => {
    const connection = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;';
    const [kind, ...loaded] = modulesLoadedBy({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: connection, AZURE_STORAGE_CONTAINER: 'bot-state' });
    expect(kind).toBe('azure-blob');
    expect(loaded.some((file) => file.includes('azure-blob-store'))).toBe(true);
    expect(loaded.some((file) => file.includes('@azure/storage-blob'))).toBe(true);
  });
});
