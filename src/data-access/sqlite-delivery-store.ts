/**
 * The delivery store (src/domain/delivery/delivery-store.ts) in SQLite: table
 * `deliveries` in the bot's one SQLite file (DATA_DIR/bot.sqlite, beside
 * SqliteStorage's `items`), shared by every kind of delivery (tickets,
 * follow-ups, Teams posts).
 *
 * Give it the file path (it opens its own connection, in WAL mode like
 * SqliteStorage, and closes it on `close`) or an open better-sqlite3 Database
 * (which it leaves open). Several connections — two dispatchers, or a second
 * process — may share the file: the claim is one conditional UPDATE, atomic in
 * SQLite, and writers wait up to `busy_timeout` for each other.
 *
 * Upgrade: a file written by a bot from before this store has the handoff
 * outbox (table `outbox`, tickets only). On open, its rows are copied into
 * `deliveries` as kind 'ticket' and the old table is dropped, in one
 * transaction, so cases pending at the upgrade are still delivered and told.
 *
 * Times are epoch milliseconds (INTEGER). Payload and conversation are JSON (TEXT).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeliveryEntry, DeliveryKind, DeliveryProblem, DeliveryStatus, DeliveryStore, FailureReason, NewDelivery } from '../domain/delivery/delivery-store';

interface Row {
  id: string;
  kind: DeliveryKind;
  payload: string;
  conversation: string;
  user_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  due_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  reference: string | null;
  last_error_class: string | null;
  last_status: number | null;
  failure_reason: FailureReason | null;
  delivered_at: number | null;
  failed_at: number | null;
  settled_at: number | null;
  settle_attempts: number;
  settle_abandoned_at: number | null;
  cancelled_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  id                  TEXT PRIMARY KEY,
  kind                TEXT NOT NULL,
  payload             TEXT NOT NULL,
  conversation        TEXT NOT NULL,
  user_key            TEXT,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  next_attempt_at     INTEGER NOT NULL,
  due_at              INTEGER NOT NULL,
  claimed_by          TEXT,
  claimed_until       INTEGER,
  reference           TEXT,
  last_error_class    TEXT,
  last_status         INTEGER,
  failure_reason      TEXT,
  delivered_at        INTEGER,
  failed_at           INTEGER,
  settled_at          INTEGER,
  settle_attempts     INTEGER NOT NULL DEFAULT 0,
  settle_abandoned_at INTEGER,
  cancelled_at        INTEGER
);
-- Only entries with work left: settled ones (kept 30 days) do not slow the poll down.
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at) WHERE settled_at IS NULL AND settle_abandoned_at IS NULL;
CREATE INDEX IF NOT EXISTS deliveries_open ON deliveries (user_key, kind, created_at) WHERE user_key IS NOT NULL;
`;

/** The handoff outbox of earlier versions, moved over as tickets (column for column; notified → settled). */
const MIGRATE_OUTBOX = `
INSERT INTO deliveries (id, kind, payload, conversation, user_key, status, attempts, created_at, next_attempt_at, due_at,
  claimed_by, claimed_until, reference, last_error_class, last_status, failure_reason, delivered_at, failed_at,
  settled_at, settle_attempts, settle_abandoned_at, cancelled_at)
SELECT case_id, 'ticket', payload, conversation, NULL, status, attempts, created_at, next_attempt_at, created_at,
  claimed_by, claimed_until, reference, last_error_class, last_status, failure_reason, delivered_at, failed_at,
  notified_at, notify_attempts, notify_abandoned_at, NULL
FROM outbox WHERE true
ON CONFLICT (id) DO NOTHING;
DROP TABLE outbox;
`;

/** Owned by `owner` (the claim may have lapsed, but nobody else has taken it since). */
const OWNED = 'id = @id AND claimed_by = @owner';
/** Free to claim at @now: never claimed, released, or lapsed (a claim until T still holds at T). */
const FREE = '(claimed_until IS NULL OR claimed_until < @now)';
/** Still owed its settling step (telling the user). */
const UNSETTLED = 'settled_at IS NULL AND settle_abandoned_at IS NULL';

function toEntry(row: Row): DeliveryEntry {
  const entry: DeliveryEntry = {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    conversation: JSON.parse(row.conversation) as unknown,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    dueAt: row.due_at,
    settleAttempts: row.settle_attempts,
  };
  if (row.user_key !== null) entry.userKey = row.user_key;
  if (row.reference !== null) entry.reference = row.reference;
  if (row.last_error_class !== null) entry.lastError = row.last_status === null ? { errorClass: row.last_error_class } : { errorClass: row.last_error_class, status: row.last_status };
  if (row.failure_reason !== null) entry.failureReason = row.failure_reason;
  if (row.delivered_at !== null) entry.deliveredAt = row.delivered_at;
  if (row.failed_at !== null) entry.failedAt = row.failed_at;
  if (row.settled_at !== null) entry.settledAt = row.settled_at;
  if (row.settle_abandoned_at !== null) entry.settleAbandonedAt = row.settle_abandoned_at;
  if (row.cancelled_at !== null) entry.cancelledAt = row.cancelled_at;
  return entry;
}

type Owned = { id: string; owner: string };

export class SqliteDeliveryStore implements DeliveryStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly statements: {
    insert: Database.Statement<[{ id: string; kind: DeliveryKind; payload: string; conversation: string; userKey: string | null; now: number; dueAt: number }]>;
    select: Database.Statement<[string], Row>;
    due: Database.Statement<[{ now: number; limit: number; kinds: string }], { id: string }>;
    claim: Database.Statement<[Owned & { now: number; until: number }]>;
    release: Database.Statement<[Owned]>;
    startAttempt: Database.Statement<[Owned], { attempts: number }>;
    scheduleRetry: Database.Statement<[Owned & { next: number; errorClass: string; status: number | null }]>;
    reschedule: Database.Statement<[Owned & { next: number; payload: string | null }]>;
    delivered: Database.Statement<[Owned & { reference: string; now: number }]>;
    failed: Database.Statement<[Owned & { reason: FailureReason; errorClass: string | null; status: number | null; now: number }]>;
    settle: Database.Statement<[{ id: string; owner: string | null; now: number }]>;
    scheduleSettle: Database.Statement<[Owned & { next: number }]>;
    abandonSettle: Database.Statement<[Owned & { now: number }]>;
    cancel: Database.Statement<[{ id: string; now: number }]>;
    openFor: Database.Statement<[{ userKey: string; kind: DeliveryKind; since: number; now: number }], Row>;
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
    this.migrate();
    const db = this.db;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO deliveries (id, kind, payload, conversation, user_key, status, created_at, next_attempt_at, due_at)
         VALUES (@id, @kind, @payload, @conversation, @userKey, 'pending', @now, @dueAt, @dueAt) ON CONFLICT (id) DO NOTHING`,
      ),
      select: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
      // Two halves so that each is one range of the partial index (status, next_attempt_at).
      due: db.prepare(
        `SELECT id, next_attempt_at, created_at FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= @now AND ${UNSETTLED} AND ${FREE}
         UNION ALL
         SELECT id, next_attempt_at, created_at FROM deliveries
           WHERE status IN ('delivered', 'failed') AND next_attempt_at <= @now AND ${UNSETTLED} AND ${FREE}
             AND kind IN (SELECT value FROM json_each(@kinds))
         ORDER BY next_attempt_at, created_at, id LIMIT @limit`,
      ),
      // The atomic claim: only one connection's UPDATE can match a free (or lapsed, or own) claim.
      claim: db.prepare(`UPDATE deliveries SET claimed_by = @owner, claimed_until = @until WHERE id = @id AND (${FREE} OR claimed_by = @owner)`),
      release: db.prepare(`UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE ${OWNED}`),
      startAttempt: db.prepare(`UPDATE deliveries SET attempts = attempts + 1 WHERE ${OWNED} AND status = 'pending' RETURNING attempts`),
      scheduleRetry: db.prepare(
        `UPDATE deliveries SET next_attempt_at = @next, last_error_class = @errorClass, last_status = @status
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      reschedule: db.prepare(
        `UPDATE deliveries SET next_attempt_at = @next, due_at = @next, payload = COALESCE(@payload, payload)
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      delivered: db.prepare(
        `UPDATE deliveries SET status = 'delivered', reference = @reference, delivered_at = @now, next_attempt_at = @now
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      failed: db.prepare(
        `UPDATE deliveries SET status = 'failed', failure_reason = @reason, last_error_class = COALESCE(@errorClass, last_error_class),
           last_status = CASE WHEN @errorClass IS NULL THEN last_status ELSE @status END, failed_at = @now, next_attempt_at = @now
         WHERE ${OWNED} AND status = 'pending'`,
      ),
      // Owner null: the user's own turn (an answer), whoever holds the claim.
      settle: db.prepare(`UPDATE deliveries SET settled_at = @now WHERE id = @id AND (@owner IS NULL OR claimed_by = @owner) AND settled_at IS NULL`),
      scheduleSettle: db.prepare(
        `UPDATE deliveries SET settle_attempts = settle_attempts + 1, next_attempt_at = @next
         WHERE ${OWNED} AND status IN ('delivered', 'failed') AND ${UNSETTLED}`,
      ),
      abandonSettle: db.prepare(
        `UPDATE deliveries SET settle_attempts = settle_attempts + 1, settle_abandoned_at = @now
         WHERE ${OWNED} AND status IN ('delivered', 'failed') AND ${UNSETTLED}`,
      ),
      cancel: db.prepare(`UPDATE deliveries SET status = 'cancelled', cancelled_at = @now WHERE id = @id AND status = 'pending'`),
      openFor: db.prepare(
        `SELECT * FROM deliveries
         WHERE user_key = @userKey AND kind = @kind AND created_at > @since AND settled_at IS NULL
           AND (status = 'delivered' OR (status = 'pending' AND next_attempt_at <= @now))
         ORDER BY created_at DESC, id DESC`,
      ),
      prune: db.prepare(
        `DELETE FROM deliveries
         WHERE settled_at < @before OR failed_at < @before OR cancelled_at < @before OR settle_abandoned_at < @before
            OR (delivered_at < @before AND settled_at IS NULL)`,
      ),
    };
  }

  /** Makes the table, and moves a previous version's outbox into it (once: the outbox is dropped). */
  private migrate(): void {
    // IMMEDIATE: two processes opening an old file together must not both copy it.
    this.db
      .transaction(() => {
        this.db.exec(SCHEMA);
        const outbox = this.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get();
        if (outbox) this.db.exec(MIGRATE_OUTBOX);
      })
      .immediate();
  }

  async add(delivery: NewDelivery, now: number): Promise<{ entry: DeliveryEntry; created: boolean }> {
    const { changes } = this.statements.insert.run({
      id: delivery.id,
      kind: delivery.kind,
      payload: JSON.stringify(delivery.payload ?? null),
      conversation: JSON.stringify(delivery.conversation ?? null),
      userKey: delivery.userKey ?? null,
      now,
      dueAt: delivery.dueAt,
    });
    const row = this.statements.select.get(delivery.id)!;
    return { entry: toEntry(row), created: changes === 1 };
  }

  async get(id: string): Promise<DeliveryEntry | undefined> {
    const row = this.statements.select.get(id);
    return row === undefined ? undefined : toEntry(row);
  }

  async due(now: number, limit: number, settlingKinds: readonly DeliveryKind[]): Promise<string[]> {
    return this.statements.due.all({ now, limit, kinds: JSON.stringify(settlingKinds) }).map((row) => row.id);
  }

  async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.statements.claim.run({ id, owner, now, until }).changes === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    this.statements.release.run({ id, owner });
  }

  async startAttempt(id: string, owner: string, _now: number): Promise<number | undefined> {
    return this.statements.startAttempt.get({ id, owner })?.attempts;
  }

  async scheduleRetry(id: string, owner: string, nextAttemptAt: number, problem: DeliveryProblem): Promise<boolean> {
    return this.statements.scheduleRetry.run({ id, owner, next: nextAttemptAt, errorClass: problem.errorClass, status: problem.status ?? null }).changes === 1;
  }

  async reschedule(id: string, owner: string, nextAttemptAt: number, payload?: unknown): Promise<boolean> {
    const json = payload === undefined ? null : JSON.stringify(payload);
    return this.statements.reschedule.run({ id, owner, next: nextAttemptAt, payload: json }).changes === 1;
  }

  async markDelivered(id: string, owner: string, reference: string, now: number): Promise<boolean> {
    return this.statements.delivered.run({ id, owner, reference, now }).changes === 1;
  }

  async markFailed(id: string, owner: string, reason: FailureReason, problem: DeliveryProblem | undefined, now: number): Promise<boolean> {
    return this.statements.failed.run({ id, owner, reason, errorClass: problem?.errorClass ?? null, status: problem?.status ?? null, now }).changes === 1;
  }

  async settle(id: string, owner: string | null, now: number): Promise<boolean> {
    return this.statements.settle.run({ id, owner, now }).changes === 1;
  }

  async scheduleSettle(id: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    return this.statements.scheduleSettle.run({ id, owner, next: nextAttemptAt }).changes === 1;
  }

  async abandonSettle(id: string, owner: string, now: number): Promise<boolean> {
    return this.statements.abandonSettle.run({ id, owner, now }).changes === 1;
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.statements.cancel.run({ id, now }).changes === 1;
  }

  async openFor(userKey: string, kind: DeliveryKind, since: number, now: number): Promise<DeliveryEntry[]> {
    return this.statements.openFor.all({ userKey, kind, since, now }).map(toEntry);
  }

  async prune(before: number): Promise<number> {
    return this.statements.prune.run({ before }).changes;
  }

  /** Every entry, oldest first: for tests and an admin view. */
  list(): DeliveryEntry[] {
    return this.db.prepare<[], Row>('SELECT * FROM deliveries ORDER BY created_at, id').all().map(toEntry);
  }

  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
