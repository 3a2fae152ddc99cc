/**
 * Until the helpdesk handoff exists, "talk to the helpdesk" gives the user the
 * case summary to copy and says where to send it: never a dead end.
 */
import type { TurnContext } from 'botbuilder';
import { caseSummaryText } from '../src/domain/handoff/case-summary';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { outcomeOf, walkState } from '../src/domain/flow/walk';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';

export async function sendCaseSummary(context: TurnContext, services: DialogServices): Promise<void> {
  const language = await languageOf(services, context);
  const data = await conversationDataOf(services, context);
  const summary = caseSummaryText(services.library, { language, ...(data.walk ? { walk: data.walk } : {}), ...(data.paste ? { paste: data.paste } : {}) });
  const texts = BOT_TEXTS[language];
  await context.sendActivity(`${texts.helpdeskIntro}\n\n\`\`\`\n${summary}\n\`\`\`\n\n${texts.helpdeskWhere}`);
  if (data.walk && walkState(data.walk) === 'in-progress') {
    await services.outcomes.record(data.flowId, outcomeOf(data.walk, 'handed-off', language));
  }
}

/** A walk left before its end (cancel, start over, switching errors) still counts for the statistics. */
export async function recordAbandoned(context: TurnContext, services: DialogServices): Promise<void> {
  const data = await conversationDataOf(services, context);
  if (data.walk && walkState(data.walk) === 'in-progress') {
    await services.outcomes.record(data.flowId, outcomeOf(data.walk, 'abandoned', await languageOf(services, context)));
  }
}
