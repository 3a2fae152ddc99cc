/**
 * SqliteInsightsStore: the shared insights store contract on an in-memory
 * database, on a file of its own and on the bot's open database (as
 * create-storage.ts uses it), and the schema people query by hand.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import { describeInsightsStoreContract } from './insights-store-contract';

/** A temp directory with the store's file in a folder that does not exist yet (the store makes it). */
function tempFile(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'insights-'));
  return { file: join(dir, 'data', 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeInsightsStoreContract('SqliteInsightsStore in memory', async () => {
  const store = new SqliteInsightsStore(':memory:');
  return { store, cleanup: async () => store.close() };
});

describeInsightsStoreContract('SqliteInsightsStore on a file', async () => {
  const { file, remove } = tempFile();
  const store = new SqliteInsightsStore(file);
  return {
    store,
    cleanup: async () => {
      store.close();
      remove();
    },
  };
});

describeInsightsStoreContract("SqliteInsightsStore on the bot's open database", async () => {
  const db = new Database(':memory:');
  const store = new SqliteInsightsStore(db);
  return {
    store,
    cleanup: async () => {
      // The store leaves a database it was given open: its owner closes it.
      store.close();
      expect(db.open).toBe(true);
      db.close();
    },
  };
});

describe('SqliteInsightsStore schema', () => {
  let temp: ReturnType<typeof tempFile>;

  beforeEach(() => {
    temp = tempFile();
  });

  afterEach(() => {
    temp.remove();
  });

  it('When the store opens a file, Then its tables and their indexes are there for queries by hand', () => {
    new SqliteInsightsStore(temp.file).close();
    const db = new Database(temp.file, { readonly: true });
    try {
      const objects = db.prepare("SELECT type, name, tbl_name AS tableName FROM sqlite_master WHERE name LIKE 'insight%' ORDER BY name").all();
      expect(objects).toEqual([
        { type: 'table', name: 'insight_sessions', tableName: 'insight_sessions' },
        { type: 'index', name: 'insight_sessions_category', tableName: 'insight_sessions' },
        { type: 'index', name: 'insight_sessions_last', tableName: 'insight_sessions' },
        { type: 'index', name: 'insight_sessions_started', tableName: 'insight_sessions' },
        { type: 'table', name: 'insight_texts', tableName: 'insight_texts' },
        { type: 'index', name: 'insight_texts_day', tableName: 'insight_texts' },
      ]);
      const columnsOf = (table: string): string[] => db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((column) => column.name);
      expect(columnsOf('insight_sessions')).toEqual(['id', 'started_at', 'last_at', 'via', 'language', 'channel', 'category', 'how', 'os', 'engaged', 'unrecognised', 'outcome', 'follow_up', 'causes']);
      expect(columnsOf('insight_texts')).toEqual(['key', 'day', 'text', 'count', 'last_seen']);
    } finally {
      db.close();
    }
  });

  it('When a period is read by start, Then SQLite uses the start index rather than scanning the table', () => {
    new SqliteInsightsStore(temp.file).close();
    const db = new Database(temp.file, { readonly: true });
    try {
      const plan = db.prepare<[number, number], { detail: string }>('EXPLAIN QUERY PLAN SELECT * FROM insight_sessions WHERE started_at >= ? AND started_at < ? ORDER BY started_at').all(0, 1);
      expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING INDEX insight_sessions_started/);
    } finally {
      db.close();
    }
  });

  it('When the store is opened again on its file, Then the sessions and counts written before are still there', async () => {
    const first = new SqliteInsightsStore(temp.file);
    await first.saveSessions([
      { id: 's-1', startedAt: '2025-03-10T09:00:00.000Z', lastAt: '2025-03-10T09:10:00.000Z', via: 'text', language: 'en', channel: 'msteams', category: 'no-network', how: 'code', engaged: false, unrecognised: false, causes: [] },
    ]);
    await first.countText({ key: 'k', text: 'hello', at: '2025-03-10T09:00:00.000Z' });
    first.close();

    const again = new SqliteInsightsStore(temp.file);
    try {
      expect((await again.sessionsStartedBetween(new Date('2025-03-10T00:00:00Z'), new Date('2025-03-11T00:00:00Z'))).map((session) => session.id)).toEqual(['s-1']);
      expect(await again.textsSeenBetween(new Date('2025-03-10T00:00:00Z'), new Date('2025-03-11T00:00:00Z'))).toEqual([{ key: 'k', text: 'hello', count: 1, lastSeen: '2025-03-10T09:00:00.000Z' }]);
    } finally {
      again.close();
    }
    // What a query by hand sees: times in ms since the epoch, the causes as JSON, the day as text.
    const db = new Database(temp.file, { readonly: true });
    try {
      expect(db.prepare('SELECT category, COUNT(*) AS sessions FROM insight_sessions GROUP BY category').all()).toEqual([{ category: 'no-network', sessions: 1 }]);
      expect(db.prepare('SELECT started_at, causes FROM insight_sessions').get()).toEqual({ started_at: Date.parse('2025-03-10T09:00:00.000Z'), causes: '[]' });
      expect(db.prepare('SELECT key, day, count FROM insight_texts').get()).toEqual({ key: 'k', day: '2025-03-10', count: 1 });
    } finally {
      db.close();
    }
  });
});
