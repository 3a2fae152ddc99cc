/** Sending cards as Bot Framework messages. */
import { CardFactory, InputHints, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { RenderedCard } from '../src/domain/cards/rendered-card';
import { liveCardOf } from '../src/domain/conversation/conversation-data';
import { conversationDataOf, type DialogServices } from './dialog-services';

export function cardActivity(rendered: RenderedCard, expectingInput: boolean): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(rendered.card));
  activity.inputHint = expectingInput ? InputHints.ExpectingInput : InputHints.AcceptingInput;
  return activity;
}

/**
 * A card that waits for no answer but has buttons (welcome, fixed, exhausted):
 * its buttons become the live ones, so a typed "1" means its first button.
 */
export async function sendStandingCard(context: TurnContext, services: DialogServices, rendered: RenderedCard): Promise<void> {
  const data = await conversationDataOf(services, context);
  const live = rendered.buttons.length > 0 ? liveCardOf(rendered, data.flowId, data.step) : undefined;
  if (live) data.live = live;
  const sent = await context.sendActivity(cardActivity(rendered, false));
  if (live && sent?.id) live.activityId = sent.id;
}
