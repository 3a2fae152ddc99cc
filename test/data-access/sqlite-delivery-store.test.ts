/**
 * SqliteDeliveryStore: the shared delivery store contract on a file of its own,
 * on the bot's open database (as create-storage.ts uses it) and in memory; then
 * what only SQLite has: the upgrade from the handoff outbox, claims raced over two
 * connections to one file, and the table beside the state.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDeliveryStore } from '../../src/data-access/sqlite-delivery-store';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import type { NewDelivery } from '../../src/domain/delivery/delivery-store';
import { makeCase } from '../support/fake-helpdesk';
import { describeDeliveryStoreContract } from './delivery-store-contract';

/** A temp directory with the store's file in a folder that does not exist yet (the store makes it). */
function tempFile(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'deliveries-'));
  return { file: join(dir, 'data', 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeDeliveryStoreContract('SqliteDeliveryStore on a file', async () => {
  const { file, remove } = tempFile();
  const store = new SqliteDeliveryStore(file);
  return {
    store,
    cleanup: async () => {
      store.close();
      remove();
    },
  };
});

describeDeliveryStoreContract("SqliteDeliveryStore on the bot's open database", async () => {
  const { file, remove } = tempFile();
  const storage = new SqliteStorage(file);
  const store = new SqliteDeliveryStore(storage.database);
  return {
    store,
    cleanup: async () => {
      store.close();
      storage.close();
      remove();
    },
  };
});

describeDeliveryStoreContract('SqliteDeliveryStore in memory', async () => {
  const store = new SqliteDeliveryStore(':memory:');
  return { store, cleanup: async () => store.close() };
});

/** The handoff outbox table exactly as the previous version (sqlite-outbox.ts) made it. */
const OLD_OUTBOX_SCHEMA = `
CREATE TABLE outbox (
  case_id             TEXT PRIMARY KEY,
  payload             TEXT NOT NULL,
  conversation        TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  next_attempt_at     INTEGER NOT NULL,
  claimed_by          TEXT,
  claimed_until       INTEGER,
  reference           TEXT,
  last_error_class    TEXT,
  last_status         INTEGER,
  failure_reason      TEXT,
  delivered_at        INTEGER,
  failed_at           INTEGER,
  notified_at         INTEGER,
  notify_attempts     INTEGER NOT NULL DEFAULT 0,
  notify_abandoned_at INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE notified_at IS NULL AND notify_abandoned_at IS NULL;
`;

describe('SqliteDeliveryStore', () => {
  let file: string;
  let remove: () => void;
  const open: { close(): void }[] = [];
  const opened = <T extends { close(): void }>(each: T): T => {
    open.push(each);
    return each;
  };
  const tables = (db: Database.Database): string[] =>
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);

  beforeEach(() => {
    ({ file, remove } = tempFile());
  });
  afterEach(() => {
    for (const each of open.splice(0).reverse()) each.close();
    remove();
  });

  describe('upgrading a file that has the handoff outbox', () => {
    function writeOldOutbox(): void {
      new SqliteStorage(file).close(); // makes the folder and the state table, as the old bot had
      const db = new Database(file);
      db.exec(OLD_OUTBOX_SCHEMA);
      const insert = db.prepare(
        `INSERT INTO outbox (case_id, payload, conversation, status, attempts, created_at, next_attempt_at, claimed_by, claimed_until, reference,
           last_error_class, last_status, failure_reason, delivered_at, failed_at, notified_at, notify_attempts, notify_abandoned_at)
         VALUES (@id, @payload, @conversation, @status, @attempts, @created, @next, @claimedBy, @claimedUntil, @reference,
           @errorClass, @lastStatus, @reason, @deliveredAt, @failedAt, @notifiedAt, @notifyAttempts, @abandonedAt)`,
      );
      const none = { claimedBy: null, claimedUntil: null, reference: null, errorClass: null, lastStatus: null, reason: null, deliveredAt: null, failedAt: null, notifiedAt: null, notifyAttempts: 0, abandonedAt: null };
      const row = (id: string, fields: Record<string, unknown>) => ({ ...none, id, payload: JSON.stringify(makeCase(id)), conversation: JSON.stringify({ conversation: { id: `conv-${id}` } }), ...fields });
      insert.run(row('old-pending', { status: 'pending', attempts: 3, created: 1_000, next: 9_000, claimedBy: 'old-process', claimedUntil: 5_000, errorClass: 'server-error', lastStatus: 503 }));
      insert.run(row('old-delivered-untold', { status: 'delivered', attempts: 1, created: 2_000, next: 2_500, reference: 'HD-9', deliveredAt: 2_500, notifyAttempts: 2 }));
      insert.run(row('old-told', { status: 'delivered', attempts: 1, created: 3_000, next: 3_100, reference: 'HD-10', deliveredAt: 3_100, notifiedAt: 3_200 }));
      insert.run(row('old-failed-abandoned', { status: 'failed', attempts: 1, created: 4_000, next: 4_100, errorClass: 'rejected', lastStatus: 400, reason: 'rejected', failedAt: 4_100, notifyAttempts: 5, abandonedAt: 90_000 }));
      db.close();
    }

    it('When the bot opens an upgraded file, Then every outbox case becomes a ticket delivery with nothing lost, and the outbox is gone', async () => {
      writeOldOutbox();
      const store = opened(new SqliteDeliveryStore(file));

      expect(store.list()).toEqual([
        {
          id: 'old-pending',
          kind: 'ticket',
          payload: makeCase('old-pending'),
          conversation: { conversation: { id: 'conv-old-pending' } },
          status: 'pending',
          attempts: 3,
          createdAt: 1_000,
          nextAttemptAt: 9_000,
          dueAt: 1_000,
          lastError: { errorClass: 'server-error', status: 503 },
          settleAttempts: 0,
        },
        expect.objectContaining({ id: 'old-delivered-untold', kind: 'ticket', status: 'delivered', reference: 'HD-9', deliveredAt: 2_500, settleAttempts: 2, nextAttemptAt: 2_500 }),
        expect.objectContaining({ id: 'old-told', status: 'delivered', reference: 'HD-10', settledAt: 3_200 }),
        expect.objectContaining({ id: 'old-failed-abandoned', status: 'failed', failureReason: 'rejected', lastError: { errorClass: 'rejected', status: 400 }, failedAt: 4_100, settleAttempts: 5, settleAbandonedAt: 90_000 }),
      ]);
      const db = opened(new Database(file));
      expect(tables(db)).toEqual(expect.arrayContaining(['deliveries', 'items']));
      expect(tables(db)).not.toContain('outbox');
      // The old process's claim is kept: it lapses as any claim does, then the case is due as before.
      expect(await store.due(5_000, 10, ['ticket'])).toEqual(['old-delivered-untold']);
      expect(await store.due(9_000, 10, ['ticket'])).toEqual(['old-delivered-untold', 'old-pending']);
      expect(await store.claim('old-pending', 'new-process', 9_000, 10_000)).toBe(true);
      expect(await store.startAttempt('old-pending', 'new-process', 9_000)).toBe(4);
    });

    it('When the upgraded file is opened again, or by two stores at once, Then the cases are there once', async () => {
      writeOldOutbox();
      const a = opened(new SqliteDeliveryStore(file));
      const b = opened(new SqliteDeliveryStore(file));
      a.close();
      const c = opened(new SqliteDeliveryStore(file));
      expect(b.list().map((entry) => entry.id)).toEqual(['old-pending', 'old-delivered-untold', 'old-told', 'old-failed-abandoned']);
      expect(c.list()).toEqual(b.list());
    });

    it('When a delivery with the same id was already stored, Then the upgrade keeps it and drops only the outbox copy', async () => {
      writeOldOutbox();
      const db = opened(new Database(file));
      db.exec(
        `CREATE TABLE deliveries (id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, conversation TEXT NOT NULL, user_key TEXT,
          status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
          claimed_by TEXT, claimed_until INTEGER, reference TEXT, last_error_class TEXT, last_status INTEGER, failure_reason TEXT, delivered_at INTEGER,
          failed_at INTEGER, settled_at INTEGER, settle_attempts INTEGER NOT NULL DEFAULT 0, settle_abandoned_at INTEGER, cancelled_at INTEGER)`,
      );
      db.prepare(`INSERT INTO deliveries (id, kind, payload, conversation, status, created_at, next_attempt_at, due_at) VALUES ('old-pending', 'ticket', '{"kept":true}', 'null', 'pending', 1, 1, 1)`).run();
      const store = opened(new SqliteDeliveryStore(file));
      expect((await store.get('old-pending'))!.payload).toEqual({ kept: true });
      expect(store.list()).toHaveLength(4);
      expect(tables(db)).not.toContain('outbox');
    });
  });

  describe('two connections to one file', () => {
    const newDelivery = (id: string): NewDelivery => ({ id, kind: 'ticket', payload: makeCase(id), conversation: null, dueAt: 0 });

    it('When two stores on separate connections claim the same entries, Then each entry goes to exactly one of them', async () => {
      const a = opened(new SqliteDeliveryStore(file));
      const b = opened(new SqliteDeliveryStore(file));
      const ids = Array.from({ length: 50 }, (_, index) => `race-${index}`);
      for (const id of ids) await a.add(newDelivery(id), 0);
      expect(await b.due(0, 100, ['ticket'])).toHaveLength(50);
      const [takenByA, takenByB] = await Promise.all([Promise.all(ids.map((id) => a.claim(id, 'A', 1, 1_000))), Promise.all(ids.map((id) => b.claim(id, 'B', 1, 1_000)))]);
      ids.forEach((_, index) => expect(Number(takenByA[index]) + Number(takenByB[index])).toBe(1));
      // Whoever lost sees the winner's claim and nothing due.
      expect(await a.due(1, 100, ['ticket'])).toEqual([]);
      expect(await b.due(1, 100, ['ticket'])).toEqual([]);
    });

    it('When one connection stores an entry, Then the other sees it at once, and after a reopen it is still there', async () => {
      const a = new SqliteDeliveryStore(file);
      const b = opened(new SqliteDeliveryStore(file));
      await a.add({ ...newDelivery('d-1'), conversation: { id: 'conv' }, userKey: 'webchat:u' }, 5);
      expect(await b.get('d-1')).toMatchObject({ id: 'd-1', status: 'pending', conversation: { id: 'conv' }, userKey: 'webchat:u' });
      a.close();
      const c = opened(new SqliteDeliveryStore(file));
      expect(await c.get('d-1')).toMatchObject({ id: 'd-1', createdAt: 5 });
    });
  });

  it("When the store shares the bot state's file and connection, Then both tables live side by side and the connection stays open", async () => {
    const storage = opened(new SqliteStorage(file));
    const store = new SqliteDeliveryStore(storage.database);
    await storage.write({ 'conv/1': { step: 2 } });
    await store.add({ id: 'd-1', kind: 'ticket', payload: {}, conversation: null, dueAt: 0 }, 0);
    store.close();
    expect(storage.database.open).toBe(true);
    expect(tables(storage.database)).toEqual(expect.arrayContaining(['items', 'deliveries']));
    expect(await storage.read(['conv/1'])).toMatchObject({ 'conv/1': { step: 2 } });
  });

  it('When a status outside the four is written by hand, Then the table refuses it', () => {
    opened(new SqliteDeliveryStore(file));
    const db = opened(new Database(file));
    expect(() => db.prepare(`INSERT INTO deliveries (id, kind, payload, conversation, status, created_at, next_attempt_at, due_at) VALUES ('x', 'ticket', '{}', 'null', 'notified', 0, 0, 0)`).run()).toThrow(/CHECK/);
  });
});
