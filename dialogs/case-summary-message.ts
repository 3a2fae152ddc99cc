/**
 * Until the helpdesk handoff exists, "talk to the helpdesk" gives the user the
 * case summary to copy and says where to send it: never a dead end.
 */
import type { TurnContext } from 'botbuilder';
import { caseSummaryText } from '../src/domain/handoff/case-summary';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { abandoned, escalated } from '../src/domain/insights/session';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';
import { updateSession } from './session-milestones';

export async function sendCaseSummary(context: TurnContext, services: DialogServices): Promise<void> {
  const language = await languageOf(services, context);
  const data = await conversationDataOf(services, context);
  const summary = caseSummaryText(services.library, { language, ...(data.walk ? { walk: data.walk } : {}), ...(data.paste ? { paste: data.paste } : {}) });
  const texts = BOT_TEXTS[language];
  await context.sendActivity(`${texts.helpdeskIntro}\n\n\`\`\`\n${summary}\n\`\`\`\n\n${texts.helpdeskWhere}`);
  // The summary handed to the user where no helpdesk is connected counts as an escalation.
  await updateSession(services, context, (session) => escalated(session));
}

/** A walk left before its end (cancel, start over, switching errors) counts as abandoned. */
export async function recordAbandoned(context: TurnContext, services: DialogServices): Promise<void> {
  await updateSession(services, context, (session) => abandoned(session));
}
