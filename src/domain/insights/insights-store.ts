/**
 * Where sessions and unrecognised texts are kept: SQLite by default, Azure Table
 * storage with STORAGE=azure-blob (src/data-access/). The core only knows this port.
 */
import type { SessionRecord } from './session';

/** Texts the bot did not recognise, grouped: the same or near-same text counts once per group and day. */
export interface TextSighting {
  /** The group: a hash of the text with digits, ids and spacing folded (unrecognised-text.ts). */
  key: string;
  /** Redacted and cut; null when INSIGHTS_KEEP_TEXTS=false keeps counts only. */
  text: string | null;
  at: string;
}

export interface TextCount {
  key: string;
  text: string | null;
  count: number;
  lastSeen: string;
}

export interface InsightsStore {
  /** Writes each session whole (insert or replace by id). */
  saveSessions(sessions: readonly SessionRecord[]): Promise<void>;
  /** Counts one sighting of an unrecognised text in its group and day. */
  countText(sighting: TextSighting): Promise<void>;
  /** Sessions whose start is in [since, until). */
  sessionsStartedBetween(since: Date, until: Date): Promise<SessionRecord[]>;
  /** Groups seen in [since, until), their counts summed over the period. */
  textsSeenBetween(since: Date, until: Date): Promise<TextCount[]>;
  /** Forgets sessions last active, and text counts of days, before `before`. */
  pruneBefore(before: Date): Promise<void>;
}
