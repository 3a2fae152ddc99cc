/**
 * Bot Framework Storage in one SQLite file: conversation and user state and
 * outcomes survive a restart of the bot. Writes honour eTags the way the Azure
 * stores do: `*` or none overwrites, any other eTag must match the stored one.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`eTag conflict on ${key}: it was changed by another turn`);
    this.name = 'ETagConflictError';
  }
}

interface Row {
  key: string;
  value: string;
  etag: string;
}

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL lets readers go on while a turn writes; NORMAL sync is durable across a process crash.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, value TEXT NOT NULL, etag TEXT NOT NULL)');
    this.selectOne = this.db.prepare('SELECT key, value, etag FROM items WHERE key = ?');
    this.upsert = this.db.prepare('INSERT INTO items (key, value, etag) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag');
    this.remove = this.db.prepare('DELETE FROM items WHERE key = ?');
  }

  /** The open connection, for the other tables of the same file (insights) to share. */
  get database(): Database.Database {
    return this.db;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    // One transaction: either every change of a turn is kept or none is.
    const writeAll = this.db.transaction((entries: [string, Record<string, unknown>][]) => {
      for (const [key, item] of entries) {
        const expected = item['eTag'];
        if (typeof expected === 'string' && expected !== '*') {
          const current = this.selectOne.get(key);
          if (current && current.etag !== expected) throw new ETagConflictError(key);
        }
        const { eTag: _ignored, ...value } = item;
        this.upsert.run(key, JSON.stringify(value), randomUUID());
      }
    });
    writeAll(Object.entries(changes) as [string, Record<string, unknown>][]);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove.run(key);
  }

  /** True while the database answers: for a readiness probe. */
  ping(): boolean {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  close(): void {
    this.db.close();
  }
}
