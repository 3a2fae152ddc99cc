/**
 * What the dialogs tell the insights: a session's new state and the texts the bot
 * did not recognise. Kept for the end of the turn (src/bot/insights-recorder.ts
 * writes them once, with the state), so recording costs one write per turn.
 */
import type { TurnContext } from 'botbuilder';
import type { SessionRecord } from '../src/domain/insights/session';

export interface InsightsRecorder {
  /** A session moved from `before` (undefined: it has just started) to `after`. */
  track(context: TurnContext, before: SessionRecord | undefined, after: SessionRecord): void;
  /** A text answered "not one of the five", for the list of what the guide lacks. */
  unrecognisedText(context: TurnContext, text: string): void;
  /** At the end of the turn, after the state is saved: writes what the turn tracked. Never throws. */
  flush(context: TurnContext): Promise<void>;
}

/** Records nothing (the terminal chat). */
export const NO_INSIGHTS: InsightsRecorder = { track: () => undefined, unrecognisedText: () => undefined, flush: async () => undefined };
