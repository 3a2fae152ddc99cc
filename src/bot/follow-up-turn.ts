/**
 * Putting a follow-up question on screen: in the proactive turn when it is due,
 * or at the start of a new web chat conversation of a user who comes back. Never
 * inside a walk: the caller postpones it until the walk is over.
 */
import type { TurnContext } from 'botbuilder';
import { followUpCard } from '../domain/cards/index';
import type { FollowUpRef } from '../domain/conversation/conversation-data';
import { walkState } from '../domain/flow/walk';
import { sendStandingCard } from '../../dialogs/card-activity';
import { conversationDataOf, type DialogServices } from '../../dialogs/dialog-services';

export type FollowUpShown = 'asked' | 'busy';

export async function showFollowUp(context: TurnContext, services: DialogServices, ref: FollowUpRef): Promise<FollowUpShown> {
  const data = await conversationDataOf(services, context);
  // Not inside a walk, nor while a prompt waits for its answer (the guest OS of a new paste, the case preview).
  if ((data.walk && walkState(data.walk) === 'in-progress') || data.live?.awaitsAnswer) return 'busy';
  const profile = await services.userProfile.get(context, {});
  // A proactive turn carries no locale: the user's choice, else the language of the walk that was fixed.
  const language = profile.chosenLanguage ?? ref.followUp.language;
  data.step += 1;
  data.askedFollowUp = ref;
  await sendStandingCard(context, services, followUpCard({ language, flowId: data.flowId, step: data.step }, ref.followUp));
  return 'asked';
}
