/**
 * The handoff outbox (src/domain/handoff/outbox.ts) in SQLite: table `outbox` in
 * the bot's one SQLite file (DATA_DIR/bot.sqlite, beside SqliteStorage's `items`).
 *
 * Give it the file path (it opens its own connection, in WAL mode like
 * SqliteStorage, and closes it on `close`) or an open better-sqlite3 Database
 * (which it leaves open). Several connections — two dispatchers, or a second
 * process — may share the file: the claim is one conditional UPDATE, atomic in
 * SQLite, and writers wait up to `busy_timeout` for each other.
 *
 * Times are epoch milliseconds (INTEGER). The case and the conversation
 * reference are JSON (TEXT).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HandoffCase } from '../domain/handoff/handoff-case';
import type { DeliveryError, FailureReason, Outbox, OutboxEntry, OutboxStatus } from '../domain/handoff/outbox';

interface Row {
  case_id: string;
  payload: string;
  conversation: string;
  status: OutboxStatus;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  reference: string | null;
  last_error_class: string | null;
  last_status: number | null;
  failure_reason: FailureReason | null;
  delivered_at: number | null;
  failed_at: number | null;
  notified_at: number | null;
  notify_attempts: number;
  notify_abandoned_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
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
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE notified_at IS NULL AND notify_abandoned_at IS NULL;
`;

/** Owned by `owner` (the claim may have lapsed, but nobody else has taken it since). */
const OWNED = 'case_id = @caseId AND claimed_by = @owner';

function toEntry(row: Row): OutboxEntry {
  const entry: OutboxEntry = {
    caseId: row.case_id,
    handoffCase: JSON.parse(row.payload) as HandoffCase,
    conversation: JSON.parse(row.conversation) as unknown,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    notifyAttempts: row.notify_attempts,
  };
  if (row.reference !== null) entry.reference = row.reference;
  if (row.last_error_class !== null) entry.lastError = row.last_status === null ? { errorClass: row.last_error_class } : { errorClass: row.last_error_class, status: row.last_status };
  if (row.failure_reason !== null) entry.failureReason = row.failure_reason;
  if (row.delivered_at !== null) entry.deliveredAt = row.delivered_at;
  if (row.failed_at !== null) entry.failedAt = row.failed_at;
  if (row.notified_at !== null) entry.notifiedAt = row.notified_at;
  if (row.notify_abandoned_at !== null) entry.notifyAbandonedAt = row.notify_abandoned_at;
  return entry;
}

export class SqliteOutbox implements Outbox {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly statements: {
    insert: Database.Statement<[{ caseId: string; payload: string; conversation: string; now: number }]>;
    select: Database.Statement<[string], Row>;
    due: Database.Statement<[{ now: number; limit: number }], { case_id: string }>;
    claim: Database.Statement<[{ caseId: string; owner: string; now: number; until: number }]>;
    release: Database.Statement<[{ caseId: string; owner: string }]>;
    startAttempt: Database.Statement<[{ caseId: string; owner: string }]>;
    attempts: Database.Statement<[string], { attempts: number }>;
    scheduleRetry: Database.Statement<[{ caseId: string; owner: string; next: number; errorClass: string; status: number | null }]>;
    delivered: Database.Statement<[{ caseId: string; owner: string; reference: string; now: number }]>;
    failed: Database.Statement<[{ caseId: string; owner: string; reason: FailureReason; errorClass: string | null; status: number | null; now: number }]>;
    notified: Database.Statement<[{ caseId: string; owner: string; now: number }]>;
    scheduleNotify: Database.Statement<[{ caseId: string; owner: string; next: number }]>;
    abandonNotify: Database.Statement<[{ caseId: string; owner: string; now: number }]>;
    prune: Database.Statement<[{ before: number }]>;
  };

  constructor(fileOrDatabase: string | Database.Database) {
    if (typeof fileOrDatabase === 'string') {
      if (fileOrDatabase !== ':memory:') mkdirSync(dirname(fileOrDatabase), { recursive: true });
      this.db = new Database(fileOrDatabase);
      this.ownsDb = true;
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } else {
      this.db = fileOrDatabase;
      this.ownsDb = false;
    }
    // Another connection (the state store, another dispatcher) may be writing: wait for it rather than fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO outbox (case_id, payload, conversation, status, created_at, next_attempt_at)
         VALUES (@caseId, @payload, @conversation, 'pending', @now, @now) ON CONFLICT(case_id) DO NOTHING`,
      ),
      select: db.prepare('SELECT * FROM outbox WHERE case_id = ?'),
      due: db.prepare(
        `SELECT case_id FROM outbox
         WHERE notified_at IS NULL AND notify_abandoned_at IS NULL AND next_attempt_at <= @now
           AND (claimed_until IS NULL OR claimed_until < @now)
         ORDER BY next_attempt_at, created_at LIMIT @limit`,
      ),
      // The atomic claim: only one connection's UPDATE can match a free (or lapsed, or own) claim.
      claim: db.prepare(
        `UPDATE outbox SET claimed_by = @owner, claimed_until = @until
         WHERE case_id = @caseId AND (claimed_until IS NULL OR claimed_until < @now OR claimed_by = @owner)`,
      ),
      release: db.prepare(`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE ${OWNED}`),
      startAttempt: db.prepare(`UPDATE outbox SET attempts = attempts + 1 WHERE ${OWNED} AND status = 'pending'`),
      attempts: db.prepare('SELECT attempts FROM outbox WHERE case_id = ?'),
      scheduleRetry: db.prepare(
        `UPDATE outbox SET next_attempt_at = @next, last_error_class = @errorClass, last_status = @status
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      delivered: db.prepare(
        `UPDATE outbox SET status = 'delivered', reference = @reference, delivered_at = @now, next_attempt_at = @now
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      failed: db.prepare(
        `UPDATE outbox SET status = 'failed', failure_reason = @reason, last_error_class = COALESCE(@errorClass, last_error_class),
           last_status = CASE WHEN @errorClass IS NULL THEN last_status ELSE @status END, failed_at = @now, next_attempt_at = @now
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      notified: db.prepare(`UPDATE outbox SET notified_at = @now WHERE ${OWNED} AND status <> 'pending' AND notified_at IS NULL`),
      scheduleNotify: db.prepare(
        `UPDATE outbox SET notify_attempts = notify_attempts + 1, next_attempt_at = @next
         WHERE ${OWNED} AND status <> 'pending' AND notified_at IS NULL`,
      ),
      abandonNotify: db.prepare(
        `UPDATE outbox SET notify_attempts = notify_attempts + 1, notify_abandoned_at = @now
         WHERE ${OWNED} AND status <> 'pending' AND notified_at IS NULL`,
      ),
      prune: db.prepare('DELETE FROM outbox WHERE (notified_at IS NOT NULL AND notified_at < @before) OR (notify_abandoned_at IS NOT NULL AND notify_abandoned_at < @before)'),
    };
  }

  async add(handoffCase: HandoffCase, conversation: unknown, now: number): Promise<{ entry: OutboxEntry; created: boolean }> {
    const payload = JSON.stringify(handoffCase);
    const conversationJson = JSON.stringify(conversation ?? null);
    const { changes } = this.statements.insert.run({ caseId: handoffCase.caseId, payload, conversation: conversationJson, now });
    const row = this.statements.select.get(handoffCase.caseId)!;
    return { entry: toEntry(row), created: changes === 1 };
  }

  async get(caseId: string): Promise<OutboxEntry | undefined> {
    const row = this.statements.select.get(caseId);
    return row === undefined ? undefined : toEntry(row);
  }

  async due(now: number, limit: number): Promise<string[]> {
    return this.statements.due.all({ now, limit }).map((row) => row.case_id);
  }

  async claim(caseId: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.statements.claim.run({ caseId, owner, now, until }).changes === 1;
  }

  async release(caseId: string, owner: string): Promise<void> {
    this.statements.release.run({ caseId, owner });
  }

  async startAttempt(caseId: string, owner: string, _now: number): Promise<number | undefined> {
    const count = this.db.transaction(() => {
      if (this.statements.startAttempt.run({ caseId, owner }).changes !== 1) return undefined;
      return this.statements.attempts.get(caseId)?.attempts;
    });
    return count();
  }

  async scheduleRetry(caseId: string, owner: string, nextAttemptAt: number, error: DeliveryError): Promise<boolean> {
    return this.statements.scheduleRetry.run({ caseId, owner, next: nextAttemptAt, errorClass: error.errorClass, status: error.status ?? null }).changes === 1;
  }

  async markDelivered(caseId: string, owner: string, reference: string, now: number): Promise<boolean> {
    return this.statements.delivered.run({ caseId, owner, reference, now }).changes === 1;
  }

  async markFailed(caseId: string, owner: string, reason: FailureReason, error: DeliveryError | undefined, now: number): Promise<boolean> {
    return this.statements.failed.run({ caseId, owner, reason, errorClass: error?.errorClass ?? null, status: error?.status ?? null, now }).changes === 1;
  }

  async markNotified(caseId: string, owner: string, now: number): Promise<boolean> {
    return this.statements.notified.run({ caseId, owner, now }).changes === 1;
  }

  async scheduleNotify(caseId: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    return this.statements.scheduleNotify.run({ caseId, owner, next: nextAttemptAt }).changes === 1;
  }

  async abandonNotify(caseId: string, owner: string, now: number): Promise<boolean> {
    return this.statements.abandonNotify.run({ caseId, owner, now }).changes === 1;
  }

  /** Deletes entries told (or given up telling) before `before`: the case text need not be kept once the helpdesk has it. Returns how many. */
  prune(before: number): number {
    return this.statements.prune.run({ before }).changes;
  }

  /** Every entry, oldest first: for tests and an admin view. */
  list(): OutboxEntry[] {
    return this.db.prepare<[], Row>('SELECT * FROM outbox ORDER BY created_at, case_id').all().map(toEntry);
  }

  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
