/**
 * The case handed to the helpdesk: everything the bot learned, as plain data.
 * Built in the core, redacted before it leaves the bot (redact.ts), stored in
 * the outbox before the first delivery attempt, and posted as JSON.
 */
import type { CauseId, ErrorId, GuestOs, Language } from '../knowledge/schema';
import type { Identifiers } from '../matching/hints';
import type { CauseAnswer } from '../flow/walk';

export type HandoffReason = 'exhausted' | 'user-request' | 'not-covered';

export interface CaseCause {
  causeId: CauseId;
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
  guestOs?: GuestOs | 'unknown';
  causes: CaseCause[];
  fixedBy?: CauseId;
  /** The paste as the user sent it, shortened, with secrets and personal data masked. */
  paste?: string;
  identifiers: Identifiers;
  /** What the user added on the summary before sending. */
  note?: string;
  transcript: TranscriptLine[];
  /** The case summary as text, for helpdesks that show only a description. */
  summary: string;
}
