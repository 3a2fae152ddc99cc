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

/** One reason for the answer, readable by a person ("error code ExtensionSnapshotFailedNoNetwork"). */
export interface Evidence {
  kind: EvidenceKind;
  text: string;
  /** The errors this points to; empty when it points away from all five. */
  categories: ErrorId[];
  score: number;
  /** For a description: the words that were found ("vm agent", "not responding"). */
  terms?: string[];
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
