/**
 * The insights store (src/domain/insights/insights-store.ts) in SQLite: tables
 * `insight_sessions` (one row per session, its milestones as columns and its
 * causes as JSON) and `insight_texts` (unrecognised texts per group and day), in
 * the bot's one SQLite file beside the state and the delivery queue. Indexed by start
 * time, error and last activity, so the figures of a period are one range scan,
 * and the table can be queried by hand (README, "Insights").
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InsightsStore, TextCount, TextSighting } from '../domain/insights/insights-store';
import type { CauseStep, SessionRecord } from '../domain/insights/session';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS insight_sessions (
  id           TEXT PRIMARY KEY,
  started_at   INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  via          TEXT NOT NULL,
  language     TEXT NOT NULL,
  channel      TEXT NOT NULL,
  category     TEXT,
  how          TEXT,
  os           TEXT,
  engaged      INTEGER NOT NULL,
  unrecognised INTEGER NOT NULL,
  outcome      TEXT,
  follow_up    TEXT,
  causes       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS insight_sessions_started ON insight_sessions (started_at);
CREATE INDEX IF NOT EXISTS insight_sessions_category ON insight_sessions (category, started_at);
CREATE INDEX IF NOT EXISTS insight_sessions_last ON insight_sessions (last_at);
CREATE TABLE IF NOT EXISTS insight_texts (
  key       TEXT NOT NULL,
  day       TEXT NOT NULL,
  text      TEXT,
  count     INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (key, day)
);
CREATE INDEX IF NOT EXISTS insight_texts_day ON insight_texts (day);
`;

interface SessionRow {
  id: string;
  started_at: number;
  last_at: number;
  via: SessionRecord['via'];
  language: SessionRecord['language'];
  channel: string;
  category: SessionRecord['category'] | null;
  how: SessionRecord['how'] | null;
  os: SessionRecord['os'] | null;
  engaged: number;
  unrecognised: number;
  outcome: SessionRecord['outcome'] | null;
  follow_up: SessionRecord['followUp'] | null;
  causes: string;
}

function toRow(session: SessionRecord): SessionRow {
  return {
    id: session.id,
    started_at: Date.parse(session.startedAt),
    last_at: Date.parse(session.lastAt),
    via: session.via,
    language: session.language,
    channel: session.channel,
    category: session.category ?? null,
    how: session.how ?? null,
    os: session.os ?? null,
    engaged: session.engaged ? 1 : 0,
    unrecognised: session.unrecognised ? 1 : 0,
    outcome: session.outcome ?? null,
    follow_up: session.followUp ?? null,
    causes: JSON.stringify(session.causes),
  };
}

function fromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    startedAt: new Date(row.started_at).toISOString(),
    lastAt: new Date(row.last_at).toISOString(),
    via: row.via,
    language: row.language,
    channel: row.channel,
    ...(row.category ? { category: row.category } : {}),
    ...(row.how ? { how: row.how } : {}),
    ...(row.os ? { os: row.os } : {}),
    engaged: row.engaged === 1,
    unrecognised: row.unrecognised === 1,
    causes: JSON.parse(row.causes) as CauseStep[],
    ...(row.outcome ? { outcome: row.outcome } : {}),
    ...(row.follow_up ? { followUp: row.follow_up } : {}),
  };
}

export class SqliteInsightsStore implements InsightsStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly upsertSession: Database.Statement<[SessionRow]>;
  private readonly selectSessions: Database.Statement<[number, number], SessionRow>;
  private readonly upsertText: Database.Statement<[{ key: string; day: string; text: string | null; at: number }]>;
  private readonly selectTexts: Database.Statement<[string, string], { key: string; text: string | null; count: number; last_seen: number }>;

  /** A file path (its own connection, closed by `close`) or an open database (left open). */
  constructor(fileOrDb: string | Database.Database) {
    if (typeof fileOrDb === 'string') {
      if (fileOrDb !== ':memory:') mkdirSync(dirname(fileOrDb), { recursive: true });
      this.db = new Database(fileOrDb);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.ownsDb = true;
    } else {
      this.db = fileOrDb;
      this.ownsDb = false;
    }
    this.db.exec(SCHEMA);
    this.upsertSession = this.db.prepare(
      `INSERT OR REPLACE INTO insight_sessions (id, started_at, last_at, via, language, channel, category, how, os, engaged, unrecognised, outcome, follow_up, causes)
       VALUES (@id, @started_at, @last_at, @via, @language, @channel, @category, @how, @os, @engaged, @unrecognised, @outcome, @follow_up, @causes)`,
    );
    this.selectSessions = this.db.prepare('SELECT * FROM insight_sessions WHERE started_at >= ? AND started_at < ? ORDER BY started_at');
    this.upsertText = this.db.prepare(
      `INSERT INTO insight_texts (key, day, text, count, last_seen) VALUES (@key, @day, @text, 1, @at)
       ON CONFLICT (key, day) DO UPDATE SET count = count + 1, last_seen = MAX(last_seen, excluded.last_seen), text = COALESCE(excluded.text, text)`,
    );
    this.selectTexts = this.db.prepare(
      `SELECT key, MAX(text) AS text, SUM(count) AS count, MAX(last_seen) AS last_seen FROM insight_texts WHERE day >= ? AND day <= ? GROUP BY key`,
    );
  }

  async saveSessions(sessions: readonly SessionRecord[]): Promise<void> {
    if (sessions.length === 1) this.upsertSession.run(toRow(sessions[0]!));
    else if (sessions.length > 1) this.db.transaction((all: readonly SessionRecord[]) => all.forEach((session) => this.upsertSession.run(toRow(session))))(sessions);
  }

  async countText(sighting: TextSighting): Promise<void> {
    this.upsertText.run({ key: sighting.key, day: sighting.at.slice(0, 10), text: sighting.text, at: Date.parse(sighting.at) });
  }

  async sessionsStartedBetween(since: Date, until: Date): Promise<SessionRecord[]> {
    return this.selectSessions.all(since.getTime(), until.getTime()).map(fromRow);
  }

  async textsSeenBetween(since: Date, until: Date): Promise<TextCount[]> {
    const untilDay = new Date(until.getTime() - 1).toISOString().slice(0, 10);
    return this.selectTexts
      .all(since.toISOString().slice(0, 10), untilDay)
      .map((row) => ({ key: row.key, text: row.text, count: row.count, lastSeen: new Date(row.last_seen).toISOString() }));
  }

  async pruneBefore(before: Date): Promise<void> {
    this.db.prepare('DELETE FROM insight_sessions WHERE last_at < ?').run(before.getTime());
    this.db.prepare('DELETE FROM insight_texts WHERE day < ?').run(before.toISOString().slice(0, 10));
  }

  close(): void {
    if (this.ownsDb) this.db.close();
  }
}
