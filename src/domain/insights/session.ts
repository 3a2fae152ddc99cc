/**
 * One troubleshooting session as the insights count it (issue 10): from a text
 * or "browse" to its end, with the milestones on the way. Plain immutable data:
 * the dialogs keep the current session in conversation state and move it with
 * these functions; the bot writes it to the insights store at the end of the turn.
 *
 * No paste text, names or identifiers: only ids of errors and causes, the guest
 * OS, the language and the channel.
 */
import type { ErrorId, Language } from '../knowledge/schema';
import type { WalkStepId } from '../flow/walk';
import type { GuestOsChoice } from '../flow/card-action';

/** How the error was found: a code, a known message, the user's own words, or a click on the list. */
export type RecognisedHow = 'code' | 'message' | 'description' | 'chosen';
export type SessionOutcome = 'resolved' | 'escalated' | 'abandoned';
export type CauseAnswer = 'fixed' | 'still-failing';
/**
 * What became of a resolution once the bot asked about the next backup: pending
 * (asked later), confirmed (it succeeded), reopened (it failed again: the walk
 * went on), declined ("Don't check back"), unanswered (asked twice, not run yet).
 * A pending one with no answer within 7 days counts as not confirmed.
 */
export type FollowUpState = 'pending' | 'confirmed' | 'reopened' | 'declined' | 'unanswered';

export interface CauseStep {
  /** A cause of the 2017 article, or an extra check of the current article (`current-…`, issue 12). */
  causeId: WalkStepId;
  answer?: CauseAnswer;
}

export interface SessionRecord {
  id: string;
  startedAt: string;
  /** The last milestone: an engaged session idle past the abandon time counts as abandoned. */
  lastAt: string;
  /** A paste or description, a screenshot (its text read, with or without words typed beside it), the list of errors, or a walk resumed by the follow-up ("it failed again"). */
  via: 'text' | 'image' | 'browse' | 'follow-up';
  language: Language;
  channel: string;
  category?: ErrorId;
  how?: RecognisedHow;
  os?: GuestOsChoice;
  /** An error was recognised or chosen and its walk started. */
  engaged: boolean;
  /** The bot answered none, or the user chose "None of these", before any walk started. */
  unrecognised: boolean;
  /** The causes shown, in order, with the user's answer once given. */
  causes: CauseStep[];
  outcome?: SessionOutcome;
  followUp?: FollowUpState;
}

export interface SessionStart {
  id: string;
  via: SessionRecord['via'];
  language: Language;
  channel: string;
}

export function startSession(start: SessionStart, now: Date = new Date()): SessionRecord {
  const at = now.toISOString();
  return { ...start, startedAt: at, lastAt: at, engaged: false, unrecognised: false, causes: [] };
}

const touched = (session: SessionRecord, now: Date): SessionRecord => ({ ...session, lastAt: now.toISOString() });

export function recognised(session: SessionRecord, category: ErrorId, how: RecognisedHow, now: Date = new Date()): SessionRecord {
  return { ...touched(session, now), category, how };
}

/** "Not one of the five", or "None of these": counts only while no walk has started. */
export function unrecognised(session: SessionRecord, now: Date = new Date()): SessionRecord {
  return session.engaged ? session : { ...touched(session, now), unrecognised: true };
}

export function engaged(session: SessionRecord, os: GuestOsChoice, now: Date = new Date()): SessionRecord {
  return { ...touched(session, now), os, engaged: true, unrecognised: false };
}

/** A cause card on screen; shown again (a language switch, a reprompt) it is not counted twice. */
export function causeShown(session: SessionRecord, causeId: WalkStepId, now: Date = new Date()): SessionRecord {
  const last = session.causes[session.causes.length - 1];
  if (last && last.causeId === causeId && last.answer === undefined) return touched(session, now);
  return { ...touched(session, now), causes: [...session.causes, { causeId }] };
}

export function causeAnswered(session: SessionRecord, causeId: WalkStepId, answer: CauseAnswer, now: Date = new Date()): SessionRecord {
  const causes = session.causes.map((step, index) => (index === session.causes.length - 1 && step.causeId === causeId ? { ...step, answer } : step));
  const next = { ...touched(session, now), causes };
  return answer === 'fixed' && !session.outcome ? { ...next, outcome: 'resolved' } : next;
}

/** A case sent to the helpdesk, or its summary handed to the user: from any point, once. */
export function escalated(session: SessionRecord, now: Date = new Date()): SessionRecord {
  return session.outcome ? session : { ...touched(session, now), outcome: 'escalated' };
}

/** Started over, cancelled or switched to another error: an engaged session with no outcome ends abandoned. */
export function abandoned(session: SessionRecord, now: Date = new Date()): SessionRecord {
  return session.engaged && !session.outcome ? { ...touched(session, now), outcome: 'abandoned' } : session;
}

/**
 * The outcome as counted at `now`: an open engaged session idle for `abandonAfterMs`
 * is abandoned; a resolution the follow-up reopened is no outcome of its own (the
 * walk went on in a new session).
 */
export function outcomeAt(session: SessionRecord, now: Date, abandonAfterMs: number): SessionOutcome | undefined {
  if (session.outcome === 'resolved' && session.followUp === 'reopened') return undefined;
  if (session.outcome) return session.outcome;
  if (session.engaged && now.getTime() - Date.parse(session.lastAt) >= abandonAfterMs) return 'abandoned';
  return undefined;
}

/** The resolution's follow-up moved (scheduled, answered, declined). Only a resolved session has one. */
export function followUpMoved(session: SessionRecord, state: FollowUpState, now: Date = new Date()): SessionRecord {
  if (session.outcome !== 'resolved' || session.followUp === state) return session;
  return { ...touched(session, now), followUp: state };
}
