/** Sending cards as Bot Framework messages. */
import { CardFactory, InputHints, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { RenderedCard } from '../src/domain/cards/rendered-card';
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
  if (rendered.buttons.length > 0) data.live = { flowId: data.flowId, step: data.step, buttons: rendered.buttons };
  await context.sendActivity(cardActivity(rendered, false));
}
