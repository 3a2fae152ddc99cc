/** SQLite state for a benchmark server: a file in a fresh temporary folder, both gone on `remove()`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';

export interface TemporaryStorage {
  storage: SqliteStorage;
  /** Closes the database and deletes its folder. */
  remove(): void;
}

export function temporarySqliteStorage(prefix: string): TemporaryStorage {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const storage = new SqliteStorage(join(folder, 'bot.sqlite'));
  return {
    storage,
    remove: () => {
      storage.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
