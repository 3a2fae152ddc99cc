/**
 * The case handed to the helpdesk: everything the bot learned, as plain data.
 * Built in the core, redacted before it leaves the bot (redact.ts), stored in
 * the durable delivery queue (src/domain/delivery) before the first delivery
 * attempt, and posted as JSON.
 */
import type { ErrorId, GuestOs, Language } from '../knowledge/schema';
import type { OtherErrorCode } from '../knowledge/current-schema';
import type { Identifiers } from '../matching/hints';
import type { CauseAnswer, WalkStepId } from '../flow/walk';

export type HandoffReason = 'exhausted' | 'user-request' | 'not-covered';

export interface CaseCause {
  /** A cause of the 2017 article in `causes`, an extra check (`current-…`) in `checks`. */
  causeId: WalkStepId;
  title: string;
  answer: CauseAnswer | 'not-reached';
  answeredAt?: string;
}

export interface TranscriptLine {
  from: 'user' | 'bot';
  text: string;
  at: string;
}

export interface HandoffCase {
  /** Stable per case: the helpdesk's idempotency key, so a retried delivery makes no second ticket. */
  caseId: string;
  reason: HandoffReason;
  createdAt: string;
  language: Language;
  channelId: string;
  error?: { category: ErrorId; title: string; codes: string[] };
  /** An error of the current article outside the five, named from the paste (issue 12). */
  otherError?: { code: OtherErrorCode; title: string; url: string };
  guestOs?: GuestOs | 'unknown';
  /** The 2017 article's causes, in its order. */
  causes: CaseCause[];
  /** The current article's extra checks of the walk, kept apart from the article's causes (absent when it had none). */
  checks?: CaseCause[];
  fixedBy?: WalkStepId;
  /** The paste as the user sent it, shortened, with secrets and personal data masked. */
  paste?: string;
  identifiers: Identifiers;
  /** What the user added on the summary before sending. */
  note?: string;
  transcript: TranscriptLine[];
  /** The case summary as text, for helpdesks that show only a description. */
  summary: string;
}
