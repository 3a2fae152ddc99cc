/**
 * What the bot remembers per conversation and per user between turns. Plain
 * data: the shell keeps it in Bot Framework state, the core reads and writes it.
 */
import type { CardButton } from '../cards/rendered-card';
import type { Hints } from '../matching/hints';
import type { ErrorId, Language } from '../knowledge/schema';
import type { Walk } from '../flow/walk';

/** The card whose buttons are live now: only its flow and step are accepted. */
export interface LiveCard {
  flowId: string;
  step: number;
  buttons: CardButton[];
}

export interface PasteRecord {
  text: string;
  hints: Hints;
  category?: ErrorId;
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
  pendingSwitch?: { paste: string; category: ErrorId };
}

export interface UserProfile {
  /** Set when the user chose a language; it then wins over locale and paste. */
  chosenLanguage?: Language;
  /** Last language detected from locale or paste, used until the user chooses. */
  detectedLanguage?: Language;
  welcomed?: boolean;
}
