/**
 * What comes back from the helpdesk side: `handoff.status` events from a
 * Direct Line hub (accepted, failed, completed), and clicks on "Take this
 * case" in the helpdesk's Teams channel.
 */
import type { Storage, TurnContext } from 'botbuilder';
import { readCardAction } from '../domain/flow/card-action';
import { supportCaseCard } from '../domain/cards/index';
import { HANDOFF_TEXTS } from '../domain/i18n/handoff-texts';
import { cardActivity } from '../../dialogs/card-activity';
import { languageOf, type DialogServices } from '../../dialogs/dialog-services';
import type { Language } from '../domain/knowledge/schema';
import type { ProactiveMessenger } from './proactive';
import { takeSupportCase } from './support-cases';

export const HANDOFF_STATUS_EVENT = 'handoff.status';

/** Tells the user what the hub said. Unknown states are ignored. */
export async function onHandoffStatus(context: TurnContext, services: DialogServices): Promise<void> {
  const value = context.activity.value as { state?: unknown } | undefined;
  const texts = HANDOFF_TEXTS[await languageOf(services, context)].messages;
  const messages: Record<string, string> = { accepted: texts.handoffAccepted, failed: texts.handoffFailed, completed: texts.handoffCompleted };
  // Own properties only: "constructor" or "toString" must not find Object.prototype's.
  const state = value?.state;
  const message = typeof state === 'string' && Object.hasOwn(messages, state) ? messages[state] : undefined;
  if (message) await context.sendActivity(message);
}

/** True when this message was a click on "Take this case" (handled here, not by the dialogs). */
/**
 * `helpdeskLanguage` (HELPDESK_LANGUAGE) is what the channel reads: the updated card and "already taken";
 * the user hears who took the case in their own language. An agent without a display name is not named
 * (an id such as 29:1a2b… means nothing to the user).
 */
export async function onTakeCase(context: TurnContext, storage: Storage, messenger: ProactiveMessenger, helpdeskLanguage: Language = 'en'): Promise<boolean> {
  const clicked = readCardAction(context.activity.value);
  if (clicked?.action !== 'take-case') return false;
  const agent = context.activity.from?.name?.trim() || undefined;
  const result = await takeSupportCase(storage, clicked.flowId, agent ?? '');
  if (!result.taken) {
    if (result.by !== undefined) await context.sendActivity(HANDOFF_TEXTS[helpdeskLanguage].messages.alreadyTaken(result.by || undefined));
    return true;
  }
  const { handoffCase, userConversation } = result.record;
  if (context.activity.replyToId) {
    await context.updateActivity({ ...cardActivity(supportCaseCard(helpdeskLanguage, handoffCase, { by: agent }), false), id: context.activity.replyToId });
  }
  await messenger.send(userConversation, HANDOFF_TEXTS[handoffCase.language].messages.takenBy(agent));
  return true;
}
