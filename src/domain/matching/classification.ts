/** What the matcher answers about one paste. Plain data: the CLI prints it, the bot reads it. */
import type { ErrorId } from '../knowledge/schema';
import type { OtherErrorCode } from '../knowledge/current-schema';
import type { Hints } from './hints';

export type MatchStatus = 'matched' | 'ambiguous' | 'none';

export interface Candidate {
  category: ErrorId;
  confidence: number;
}

export type EvidenceKind = 'code' | 'phrase' | 'description' | 'other-error' | 'other-service';

/** How a code was found when not written exactly: with a typo ("written"), or cut off at the end of the paste. */
export interface CodeReading {
  written?: string;
  cutShort: boolean;
}

/**
 * What a piece of evidence is about, as data: the cards word it in the user's
 * language (src/domain/i18n/evidence-texts.ts), the CLI in English.
 */
export type EvidenceAbout =
  /** A code of one of the five errors, or (`elsewhere`) a known code of another error. */
  | ({ kind: 'code'; code: string; elsewhere: boolean } & CodeReading)
  /** Something shaped like an error code that no signature knows. */
  | { kind: 'unknown-code'; code: string }
  /** A known message, matched to `percent`; `elsewhere`: it belongs to another error. */
  | { kind: 'message'; message: string; percent: number; cutShort: boolean; elsewhere: boolean }
  /** The user's own words that describe an error ("vm agent", "not responding"). */
  | { kind: 'described'; terms: string[] }
  /** Another service (Site Recovery, a restore job) or another topic is named. */
  | { kind: 'other-service'; name: string }
  | { kind: 'other-topic'; name: string };

/** One reason for the answer: `text` is it in English ("error code ExtensionSnapshotFailedNoNetwork"), `about` the same as data. */
export interface Evidence {
  kind: EvidenceKind;
  about: EvidenceAbout;
  text: string;
  /** The errors this points to; empty when it points away from all five. */
  categories: ErrorId[];
  score: number;
  /** Evidence that points away from the five: the current article's error it names, when it is one (issue 12). */
  otherError?: OtherErrorCode;
}

export interface Classification {
  status: MatchStatus;
  /** Set only when status is `matched`. */
  category: ErrorId | null;
  confidence: number;
  candidates: Candidate[];
  evidence: Evidence[];
  hints: Hints;
}
