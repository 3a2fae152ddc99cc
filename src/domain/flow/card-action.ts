/**
 * What every card button sends back. Hosts (Teams, Web Chat) never disable a
 * card after a click, so each button carries the flow and the step it was
 * shown at: a click on an old card, or a second click, is recognised and
 * answered with a note instead of moving the conversation.
 */
import { z } from 'zod';
import { CAUSE_IDS, ErrorIdSchema, LanguageSchema } from '../knowledge/schema';
import { CHECK_IDS } from '../knowledge/current-schema';

export const CARD_ACTIONS = [
  /** Pick one of the five errors (browse list, "Did you mean", not-covered list). */
  'choose-category',
  /** None of the offered candidates: show all five. */
  'none-of-these',
  /** Open the list of the five errors instead of pasting. */
  'browse',
  /** Windows / Linux / Not sure. */
  'choose-os',
  /** "This fixed it" on a cause card. */
  'resolved',
  /** "Still failing: next cause". */
  'next',
  /** "Talk to the helpdesk". */
  'helpdesk',
  /** A new error was pasted mid-walk: switch to it, or keep going with the current one. */
  'switch-error',
  'keep-error',
  /** Start again from the paste. */
  'start-over',
  /** Switch the conversation language. */
  'set-language',
  /** On the case preview: send it to the helpdesk (with the note typed on the card), or not. */
  'send-case',
  'cancel-case',
  /** A note typed as a message while the case preview waits (never a button). */
  'add-note',
  /** On the case card in the helpdesk's Teams channel: an agent takes the case (flowId is the case id). */
  'take-case',
  /** On the fixed card: do not ask later whether the next backup succeeded. */
  'no-follow-up',
  /** On the follow-up card: the next backup succeeded / failed again / has not run yet. */
  'follow-up-succeeded',
  'follow-up-failed',
  'follow-up-not-run',
] as const;

export const CardActionNameSchema = z.enum(CARD_ACTIONS);
export const GuestOsChoiceSchema = z.enum(['windows', 'linux', 'unknown']);

export const CardActionDataSchema = z.strictObject({
  action: CardActionNameSchema,
  /** The troubleshooting flow (conversation episode) this button belongs to. */
  flowId: z.string().min(1).max(64),
  /** The step of that flow at which the card was shown. */
  step: z.number().int().nonnegative(),
  category: ErrorIdSchema.optional(),
  /** A cause of the 2017 article, or an extra check of the current article (issue 12). */
  causeId: z.enum([...CAUSE_IDS, ...CHECK_IDS]).optional(),
  os: GuestOsChoiceSchema.optional(),
  language: LanguageSchema.optional(),
  /** The note typed into the case preview's input (Adaptive Cards add input values to the data). */
  note: z.string().max(2000).optional(),
});

export type CardActionName = z.infer<typeof CardActionNameSchema>;
export type GuestOsChoice = z.infer<typeof GuestOsChoiceSchema>;
export type CardActionData = z.infer<typeof CardActionDataSchema>;

/** Reads a card submit's `value`; anything else (a string, unknown action, extra field) is not a button of ours. */
export function readCardAction(value: unknown): CardActionData | null {
  const parsed = CardActionDataSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
