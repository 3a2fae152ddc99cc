/**
 * The follow-up after "This fixed it" (issue 11): the bot comes back after
 * FOLLOW_UP_AFTER and asks whether the next backup succeeded. Plain data that
 * rides in the delivery store until it is asked, and the rules around it: when,
 * how many times, and where the walk resumes if the backup failed again.
 */
import type { GuestOsChoice } from '../flow/card-action';
import { walkSteps, type TriedCause, type Walk } from '../flow/walk';
import type { CheckId } from '../knowledge/current-schema';
import type { SessionRecord } from '../insights/session';
import type { CauseId, ErrorId, Language } from '../knowledge/schema';

/** Asked once, and once more after "It has not run yet". */
export const MAX_ASKS = 2;
/** No answer within this time: the resolution stays "not confirmed" and the question is no longer offered. */
export const ANSWER_WITHIN_MS = 7 * 24 * 60 * 60_000;

export interface FollowUp {
  /** The session that was resolved (its id names the follow-up). */
  sessionId: string;
  /** Its record when it was resolved: the insights update it with the answer (ids only, no text). */
  session: SessionRecord;
  category: ErrorId;
  os: GuestOsChoice;
  /** The walk's causes for this error and guest OS, in the article's order. */
  causes: CauseId[];
  /** The current article's extra checks after them (issue 12; absent in follow-ups stored before). */
  checks?: CheckId[];
  /** Index in the causes, then the checks, of the step that seemed to fix it. */
  fixedAt: number;
  /** The causes tried and the answers, for the walk that resumes and the helpdesk case. */
  tried: TriedCause[];
  /** The VM the paste named, if any, to ask about it by name. */
  vmName?: string;
  language: Language;
  /** 1 the first time, 2 after "It has not run yet". */
  ask: number;
}

export type FollowUpAnswer = 'succeeded' | 'failed-again' | 'not-run-yet';

export function followUpId(sessionId: string, ask: number): string {
  return `follow-up:${sessionId}:${ask}`;
}

/** The follow-up for a walk that a cause fixed; undefined if the walk was not fixed. */
export function followUpOf(walk: Walk, session: SessionRecord, language: Language, vmName: string | undefined): FollowUp | undefined {
  if (!walk.fixedBy) return undefined;
  return {
    sessionId: session.id,
    session,
    category: walk.category,
    os: walk.os,
    causes: [...walk.causes],
    ...(walk.checks ? { checks: [...walk.checks] } : {}),
    fixedAt: walkSteps(walk).indexOf(walk.fixedBy),
    tried: [...walk.tried],
    ...(vmName ? { vmName } : {}),
    language,
    ask: 1,
  };
}

/**
 * "No, it failed again": the walk goes on at the cause after the one that seemed
 * to fix it (same error, same guest OS, the article's order); that cause counts
 * as still failing. At the end of the causes it is exhausted, as any walk.
 */
export function resumedWalk(followUp: FollowUp, now: Date = new Date()): Walk {
  const tried = followUp.tried.map((entry) => (entry.answer === 'fixed' ? { ...entry, answer: 'still-failing' as const, at: now.toISOString() } : entry));
  return {
    category: followUp.category,
    os: followUp.os,
    causes: [...followUp.causes],
    ...(followUp.checks ? { checks: [...followUp.checks] } : {}),
    position: followUp.fixedAt + 1,
    tried,
  };
}

/** After "It has not run yet": the same question once more, or nothing if it was the last time. */
export function askedAgain(followUp: FollowUp): FollowUp | undefined {
  return followUp.ask < MAX_ASKS ? { ...followUp, ask: followUp.ask + 1 } : undefined;
}

/** FOLLOW_UP_AFTER: "30s", "15m", "2h", "1d" (or a bare number of seconds); "0" turns follow-ups off (null). */
export function parseFollowUpAfter(text: string): number | null | undefined {
  const match = /^(\d{1,6})\s*(s|m|h|d)?$/i.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (amount === 0) return null;
  const unit = (match[2] ?? 's').toLowerCase();
  const ms = amount * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 's' | 'm' | 'h' | 'd'];
  return ms <= 30 * 86_400_000 ? ms : undefined;
}

/** "24 hours", "30 seconds", "1 day" / 「24 時間」: for the fixed card's promise. */
export function describeDelay(ms: number, language: Language): string {
  const units: [number, string, string, string][] = [
    [86_400_000, 'day', 'days', '日'],
    [3_600_000, 'hour', 'hours', '時間'],
    [60_000, 'minute', 'minutes', '分'],
    [1_000, 'second', 'seconds', '秒'],
  ];
  const [size, one, many, ja] = units.find(([unit]) => ms % unit === 0) ?? units[units.length - 1]!;
  const amount = Math.max(1, Math.round(ms / size));
  return language === 'ja' ? `${amount} ${ja}` : `${amount} ${amount === 1 ? one : many}`;
}
