/**
 * Writes each turn into the conversation's transcript: what the user typed (or
 * which button they pressed) and what the bot answered (its text, or a card's
 * first line). Cards are summarised by their fallback text's first line.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { appendTranscript } from '../domain/conversation/transcript';
import { readCardAction } from '../domain/flow/card-action';
import type { DialogServices } from '../../dialogs/dialog-services';
import { conversationDataOf } from '../../dialogs/dialog-services';

function botLine(activity: Partial<Activity>): string | undefined {
  if (activity.type !== 'message') return undefined;
  if (activity.text) return activity.text;
  const card = activity.attachments?.[0]?.content as { fallbackText?: unknown } | undefined;
  return typeof card?.fallbackText === 'string' ? card.fallbackText.split('\n', 1)[0] : undefined;
}

function userLine(context: TurnContext): string | undefined {
  const { activity } = context;
  if (activity.type !== 'message') return undefined;
  const clicked = readCardAction(activity.value);
  if (clicked) return `[${clicked.action}${clicked.category ? ` ${clicked.category}` : ''}${clicked.causeId ? ` ${clicked.causeId}` : ''}${clicked.os ? ` ${clicked.os}` : ''}]`;
  return activity.text || undefined;
}

export async function recordTranscript(context: TurnContext, services: DialogServices): Promise<void> {
  const data = await conversationDataOf(services, context);
  const said = userLine(context);
  if (said) data.transcript = appendTranscript(data.transcript, { from: 'user', text: said, at: new Date().toISOString() });
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) {
      const line = botLine(activity);
      if (line) data.transcript = appendTranscript(data.transcript, { from: 'bot', text: line, at: new Date().toISOString() });
    }
    return next();
  });
}
