/**
 * What Teams does differently, handled before and after the dialogs run:
 * the @mention in channels and group chats, HTML-wrapped text, pastes cut at
 * Teams' message limit, and answered cards updated in place (Teams keeps a
 * card's buttons clickable forever otherwise).
 */
import { Channels, TurnContext, type Activity } from 'botbuilder';
import { answeredCard } from '../domain/cards/index';
import { plainMessageText, probablyCutByTeams } from '../domain/conversation/message-text';
import { readReply } from '../domain/conversation/read-reply';
import { buttonForReply } from '../domain/conversation/typed-answer';
import { readCardAction, type CardActionData } from '../domain/flow/card-action';
import { BOT_TEXTS } from '../domain/i18n/bot-texts';
import { cardActivity } from '../../dialogs/card-activity';
import { conversationDataOf, languageOf, type DialogServices } from '../../dialogs/dialog-services';

export function isTeams(context: TurnContext): boolean {
  return context.activity.channelId === Channels.Msteams;
}

/** Leaves only what the user wrote: no "<at>Bot</at>", no HTML. Returns whether the paste was probably cut. */
export function cleanIncomingText(context: TurnContext): { cutByTeams: boolean } {
  if (!isTeams(context) || typeof context.activity.text !== 'string') return { cutByTeams: false };
  TurnContext.removeRecipientMention(context.activity);
  context.activity.text = plainMessageText(context.activity.text).trim();
  return { cutByTeams: probablyCutByTeams(context.activity.text) };
}

export async function explainCutPaste(context: TurnContext, services: DialogServices): Promise<void> {
  await context.sendActivity(BOT_TEXTS[await languageOf(services, context)].pasteCutByTeams);
}

/**
 * Before the turn: if this message answers the live card (a click on it, or its
 * typed equivalent), the update that shows the choice on that card. Sent after
 * the turn, so a refused answer never changes the card.
 */
export async function answeredCardUpdate(context: TurnContext, services: DialogServices): Promise<Partial<Activity> | undefined> {
  if (!isTeams(context)) return undefined;
  const { live } = await conversationDataOf(services, context);
  if (!live) return undefined;
  const clicked = readCardAction(context.activity.value);
  const chosen: CardActionData | undefined = clicked ?? buttonForReply(readReply(context.activity.text ?? ''), live.buttons);
  if (!chosen || chosen.flowId !== live.flowId || chosen.step !== live.step) return undefined;
  const choice = live.buttons.find((button) => JSON.stringify(button.data) === JSON.stringify(chosen));
  const activityId = (clicked ? context.activity.replyToId : undefined) ?? live.activityId;
  if (!choice || !activityId) return undefined;
  const language = await languageOf(services, context);
  const rendered = answeredCard({ language, flowId: live.flowId, step: live.step }, live.heading, choice.title);
  return { ...cardActivity(rendered, false), id: activityId };
}
