/**
 * What the bot remembers per conversation and per user between turns. Plain
 * data: the shell keeps it in Bot Framework state, the core reads and writes it.
 */
import type { CardButton } from '../cards/rendered-card';
import type { Hints } from '../matching/hints';
import type { ErrorId, Language } from '../knowledge/schema';
import type { OtherErrorCode } from '../knowledge/current-schema';
import type { Walk } from '../flow/walk';
import type { TranscriptLine } from '../handoff/handoff-case';
import type { SessionRecord } from '../insights/session';
import type { FollowUp } from '../follow-up/follow-up';

/** A follow-up and the id of its delivery. */
export interface FollowUpRef {
  id: string;
  followUp: FollowUp;
}

/** The card whose buttons are live now: only its flow and step are accepted. */
export interface LiveCard {
  flowId: string;
  step: number;
  buttons: CardButton[];
  /** The card's first line, kept for the answered version of it. */
  heading: string;
  /** The id the channel gave the sent card, so it can be updated in place once answered. */
  activityId?: string;
  /** The card takes free text too (the case preview takes a typed note). */
  acceptsText?: boolean;
  /** A prompt waiting for its answer (the guest OS, a cause, the case preview), not a card that merely stands. */
  awaitsAnswer?: boolean;
}

/** The live card for a rendered card shown at a flow's step. */
export function liveCardOf(rendered: { buttons: CardButton[]; text: string }, flowId: string, step: number): LiveCard {
  return { flowId, step, buttons: rendered.buttons, heading: rendered.text.split('\n', 1)[0] ?? '' };
}

export interface PasteRecord {
  text: string;
  hints: Hints;
  category?: ErrorId;
  /** The current article's error outside the five that the paste names (issue 12), for the helpdesk case. */
  otherError?: OtherErrorCode;
  at: string;
}

export interface ConversationData {
  flowId: string;
  step: number;
  live?: LiveCard;
  /** 'paste' while the bot waits for the error text rather than for a click. */
  awaiting?: 'paste';
  paste?: PasteRecord;
  walk?: Walk;
  /** Another error pasted mid-walk, until the user says whether to switch to it. */
  pendingSwitch?: { paste: string; category: ErrorId; /** The paste was (partly) read from a screenshot. */ image?: { typed: boolean } };
  /** The last lines of the conversation, for the helpdesk (bounded: see transcript.ts). */
  transcript?: TranscriptLine[];
  /** The troubleshooting session under way, as the insights count it (no text in it). */
  session?: SessionRecord;
  /** The follow-up promised on the fixed card ("Don't check back" cancels it). */
  promisedFollowUp?: FollowUpRef;
  /** The follow-up whose question is on screen, until it is answered. */
  askedFollowUp?: FollowUpRef;
  /** The welcome card was shown in this conversation. */
  welcomed?: boolean;
  /** The note for the helpdesk typed on the case preview, until the case is sent or dropped (it survives a failed turn). */
  handoffNote?: string;
}

export interface UserProfile {
  /** Set when the user chose a language; it then wins over locale and paste. */
  chosenLanguage?: Language;
  /** Last language detected from locale or paste, used until the user chooses. */
  detectedLanguage?: Language;
}
