/**
 * What the dialogs ask of the follow-ups: promise one after "This fixed it",
 * cancel it ("Don't check back"), mark an asked one answered, and find the ones
 * a returning web chat user still owes an answer. The delivery behind it lives
 * in src/bot/follow-ups.ts.
 */
import type { TurnContext } from 'botbuilder';
import type { FollowUpRef } from '../src/domain/conversation/conversation-data';
import type { FollowUp } from '../src/domain/follow-up/follow-up';

export interface FollowUpService {
  /** FOLLOW_UP_AFTER in ms; null: follow-ups are off. */
  readonly afterMs: number | null;
  /** Stores the follow-up to be asked `afterMs` from now in this conversation; answers its delivery id. */
  promise(context: TurnContext, followUp: FollowUp): Promise<string>;
  /** "Don't check back": the promised follow-up is not asked. */
  cancel(id: string): Promise<void>;
  /** The question was answered: nothing more is owed. */
  settle(id: string): Promise<void>;
  /** Follow-ups the user of this turn (a signed web chat user) has not answered, newest first. */
  openFor(context: TurnContext): Promise<FollowUpRef[]>;
}

/** Follow-ups off (FOLLOW_UP_AFTER=0, the terminal chat). */
export const NO_FOLLOW_UPS: FollowUpService = {
  afterMs: null,
  promise: async () => {
    throw new Error('follow-ups are off');
  },
  cancel: async () => undefined,
  settle: async () => undefined,
  openFor: async () => [],
};
