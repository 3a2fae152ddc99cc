import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteOutbox } from '../../src/data-access/sqlite-outbox';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { makeCase } from '../support/fake-helpdesk';

describe('SqliteOutbox', () => {
  let dir: string;
  let file: string;
  const open: SqliteOutbox[] = [];
  const outbox = (target: string | Database.Database = file): SqliteOutbox => {
    const created = new SqliteOutbox(target);
    open.push(created);
    return created;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    file = join(dir, 'data', 'bot.sqlite');
  });
  afterEach(() => {
    for (const each of open.splice(0)) each.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('When a case is added, Then it is pending, due now, with the case and the conversation as stored JSON', async () => {
    const box = outbox();
    const conversation = { conversation: { id: 'c1' }, serviceUrl: 'https://smba.example' };
    const { entry, created } = await box.add(makeCase('case-1'), conversation, 1_000);
    expect(created).toBe(true);
    expect(entry).toMatchObject({ caseId: 'case-1', status: 'pending', attempts: 0, createdAt: 1_000, nextAttemptAt: 1_000, notifyAttempts: 0, conversation });
    expect(entry.handoffCase).toEqual(makeCase('case-1'));
    expect(await box.due(1_000, 10)).toEqual(['case-1']);
    expect(await box.due(999, 10)).toEqual([]);
  });

  it('When the same case is added twice, Then the first entry is kept unchanged', async () => {
    const box = outbox();
    await box.add(makeCase('case-1'), { first: true }, 1_000);
    const { entry, created } = await box.add(makeCase('case-1', { note: 'changed' }), { first: false }, 2_000);
    expect(created).toBe(false);
    expect(entry.conversation).toEqual({ first: true });
    expect(entry.createdAt).toBe(1_000);
    expect(box.list()).toHaveLength(1);
  });

  it('When two connections to one file claim the same entry, Then only one gets it until it is released or lapses', async () => {
    const a = outbox();
    const b = outbox();
    await a.add(makeCase('case-1'), null, 0);
    expect(await a.claim('case-1', 'owner-a', 10, 1_010)).toBe(true);
    expect(await b.claim('case-1', 'owner-b', 20, 1_020)).toBe(false);
    expect(await b.due(20, 10)).toEqual([]);
    // The holder may extend its own claim.
    expect(await a.claim('case-1', 'owner-a', 30, 1_030)).toBe(true);
    // A lapsed claim can be taken over...
    expect(await b.claim('case-1', 'owner-b', 1_031, 2_000)).toBe(true);
    // ...and the old holder can change nothing any more.
    expect(await a.startAttempt('case-1', 'owner-a', 1_040)).toBeUndefined();
    expect(await a.markDelivered('case-1', 'owner-a', 'HD-1', 1_040)).toBe(false);
    await a.release('case-1', 'owner-a');
    expect(await a.claim('case-1', 'owner-a', 1_050, 2_050)).toBe(false);
    await b.release('case-1', 'owner-b');
    expect(await a.claim('case-1', 'owner-a', 1_060, 2_060)).toBe(true);
  });

  it('When an entry goes pending → retry → delivered → notified, Then each step is kept and it is due only while there is work', async () => {
    const box = outbox();
    await box.add(makeCase('case-1'), null, 0);
    await box.claim('case-1', 'me', 0, 100);
    expect(await box.startAttempt('case-1', 'me', 0)).toBe(1);
    expect(await box.scheduleRetry('case-1', 'me', 500, { errorClass: 'server-error', status: 503 })).toBe(true);
    await box.release('case-1', 'me');
    expect(await box.due(499, 10)).toEqual([]);
    expect(await box.due(500, 10)).toEqual(['case-1']);
    await box.claim('case-1', 'me', 500, 600);
    expect(await box.startAttempt('case-1', 'me', 500)).toBe(2);
    expect(await box.markDelivered('case-1', 'me', 'HD-7', 510)).toBe(true);
    expect(await box.get('case-1')).toMatchObject({ status: 'delivered', reference: 'HD-7', attempts: 2, deliveredAt: 510, nextAttemptAt: 510, lastError: { errorClass: 'server-error', status: 503 } });
    await box.release('case-1', 'me');
    expect(await box.due(510, 10)).toEqual(['case-1']);
    await box.claim('case-1', 'me', 510, 600);
    expect(await box.scheduleNotify('case-1', 'me', 700)).toBe(true);
    expect(await box.markNotified('case-1', 'me', 720)).toBe(true);
    expect(await box.markNotified('case-1', 'me', 730)).toBe(false);
    await box.release('case-1', 'me');
    expect(await box.due(10_000, 10)).toEqual([]);
    expect(await box.get('case-1')).toMatchObject({ notifiedAt: 720, notifyAttempts: 1 });
    expect(box.prune(721)).toBe(1);
    expect(await box.get('case-1')).toBeUndefined();
  });

  it('When an entry fails, Then it keeps the reason and the last error, and cannot be delivered afterwards', async () => {
    const box = outbox();
    await box.add(makeCase('case-1'), null, 0);
    await box.claim('case-1', 'me', 0, 100);
    expect(await box.markFailed('case-1', 'me', 'rejected', { errorClass: 'rejected', status: 400 }, 5)).toBe(true);
    expect(await box.markDelivered('case-1', 'me', 'HD-1', 6)).toBe(false);
    expect(await box.get('case-1')).toMatchObject({ status: 'failed', failureReason: 'rejected', lastError: { errorClass: 'rejected', status: 400 }, failedAt: 5 });
    expect(await box.abandonNotify('case-1', 'me', 9)).toBe(true);
    expect(await box.due(10_000, 10)).toEqual([]);
  });

  it('When the outbox is closed and opened again on the same file, Then the entries are still there', async () => {
    const first = new SqliteOutbox(file);
    await first.add(makeCase('case-1'), { id: 'conv' }, 0);
    first.close();
    const second = outbox();
    expect(await second.get('case-1')).toMatchObject({ caseId: 'case-1', status: 'pending', conversation: { id: 'conv' } });
  });

  it('When the outbox shares the bot state file and its connection, Then both tables live side by side', async () => {
    const storage = new SqliteStorage(file);
    try {
      const box = outbox();
      await storage.write({ 'conv/1': { step: 2 } });
      await box.add(makeCase('case-1'), null, 0);
      const db = new Database(file);
      try {
        const shared = outbox(db);
        expect(await shared.due(0, 10)).toEqual(['case-1']);
        shared.close();
        expect(db.open).toBe(true); // a given connection is left open
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
        expect(tables).toEqual(expect.arrayContaining(['items', 'outbox']));
      } finally {
        db.close();
      }
      expect(await storage.read(['conv/1'])).toMatchObject({ 'conv/1': { step: 2 } });
    } finally {
      storage.close();
    }
  });
});
