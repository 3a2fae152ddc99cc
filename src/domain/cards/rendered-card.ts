/**
 * A card ready to send: the Adaptive Card JSON expanded from a template in
 * cards/, and the buttons it carries (the shell keeps them so a typed "1" or
 * "yes" can stand for a click).
 */
import type { CardActionData } from '../flow/card-action';

/** One element of an Adaptive Card body, as JSON. Templates define the shape; tests validate it at schema 1.5. */
export interface CardElement {
  type: string;
  [property: string]: unknown;
}

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema?: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: 'Full' };
  /** Speech and notification text for hosts that show no card. */
  fallbackText?: string;
  [property: string]: unknown;
}

export interface CardButton {
  title: string;
  data: CardActionData;
}

export interface RenderedCard {
  /** Which template in cards/ it came from. */
  template: string;
  card: AdaptiveCardJson;
  /** Every Action.Submit of the card, in display order (numbered 1..n for typed answers). */
  buttons: CardButton[];
  /** A plain-text rendering of the card: for `chat` in a terminal and for transcripts. */
  text: string;
}

/** What every card needs to stamp its buttons. */
export interface CardContext {
  language: 'ja' | 'en';
  flowId: string;
  step: number;
}
