/**
 * The answers to the follow-up, whenever they come (a click or "yes" / 「はい」,
 * "no" / 「いいえ」, "not yet" / 「まだ」), and "Don't check back" on the fixed card.
 * They act on the follow-up in conversation state and on the resolved session
 * it belongs to; "No, it failed again" hands back the follow-up for the walk to
 * resume (main-dialog.ts).
 */
import type { TurnContext } from 'botbuilder';
import type { CardActionName } from '../src/domain/flow/card-action';
import type { FollowUpRef } from '../src/domain/conversation/conversation-data';
import { askedAgain, describeDelay, type FollowUp } from '../src/domain/follow-up/follow-up';
import { followUpMoved, type FollowUpState } from '../src/domain/insights/session';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';
import { updateSession } from './session-milestones';

export const FOLLOW_UP_ACTIONS: ReadonlySet<CardActionName> = new Set(['no-follow-up', 'follow-up-succeeded', 'follow-up-failed', 'follow-up-not-run']);

/** The resolved session moves (confirmed, reopened …): the current one in state, or the stored one it was then. */
async function moveResolvedSession(services: DialogServices, context: TurnContext, followUp: FollowUp, state: FollowUpState): Promise<void> {
  const data = await conversationDataOf(services, context);
  if (data.session?.id === followUp.sessionId) return updateSession(services, context, (session) => followUpMoved(session, state));
  const moved = followUpMoved(followUp.session, state);
  if (moved !== followUp.session) services.insights.track(context, followUp.session, moved);
}

/**
 * Acts on one answer. Returns the follow-up to resume the walk from when the backup
 * failed again; undefined otherwise (the bot has said what it did).
 */
export async function answerFollowUp(services: DialogServices, context: TurnContext, action: CardActionName): Promise<FollowUp | undefined> {
  const data = await conversationDataOf(services, context);
  const texts = BOT_TEXTS[await languageOf(services, context)];
  if (action === 'no-follow-up') {
    const promised = data.promisedFollowUp;
    data.promisedFollowUp = undefined;
    if (promised) {
      await services.followUps.cancel(promised.id);
      await moveResolvedSession(services, context, promised.followUp, 'declined');
    }
    await context.sendActivity(texts.followUpDeclined);
    return undefined;
  }
  const asked: FollowUpRef | undefined = data.askedFollowUp;
  data.askedFollowUp = undefined;
  if (!asked) {
    await context.sendActivity(texts.staleClick);
    return undefined;
  }
  await services.followUps.settle(asked.id);
  switch (action) {
    case 'follow-up-succeeded':
      await moveResolvedSession(services, context, asked.followUp, 'confirmed');
      await context.sendActivity(texts.followUpConfirmed);
      return undefined;
    case 'follow-up-not-run': {
      const again = askedAgain(asked.followUp);
      const { afterMs } = services.followUps;
      if (again && afterMs !== null) {
        await services.followUps.promise(context, again);
        await context.sendActivity(texts.followUpAskAgain(describeDelay(afterMs, asked.followUp.language)));
      } else {
        await moveResolvedSession(services, context, asked.followUp, 'unanswered');
        await context.sendActivity(texts.followUpNoMore);
      }
      return undefined;
    }
    default:
      await moveResolvedSession(services, context, asked.followUp, 'reopened');
      return asked.followUp;
  }
}
