/**
 * The real bot server for a test: restify on 127.0.0.1, a port the OS picks,
 * SQLite state in a temp folder; `stop()` closes all three.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';

export interface TestBotServer {
  server: RunningServer;
  /** DATA_DIR of the server: bot.sqlite (state, delivery queue, insights) is there. */
  dataDir: string;
  storage: SqliteStorage;
  url: string;
  stop(): Promise<void>;
}

export async function startTestBotServer(env: Record<string, string> = {}): Promise<TestBotServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'backup-bot-test-'));
  const storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env }), storage, silentLogger);
  return {
    server,
    dataDir,
    storage,
    url: server.url,
    stop: async () => {
      await server.close();
      storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
