/**
 * What the dialogs share: the state they read and write, the core services
 * (article, matcher, insights recorder) and small helpers for the per-turn language
 * and the stamp that every card's buttons carry.
 */
import { randomUUID } from 'node:crypto';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { ConversationData, UserProfile } from '../src/domain/conversation/conversation-data';
import type { Library } from '../src/domain/knowledge/load-articles';
import type { Language } from '../src/domain/knowledge/schema';
import type { Matcher } from '../src/domain/matching/matcher';
import type { CardContext } from '../src/domain/cards/rendered-card';
import { languageOfLocale } from '../src/domain/i18n/localized';
import type { HandoffDesk } from './handoff-desk';
import type { InsightsRecorder } from './insights-recorder';
import type { FollowUpService } from './follow-up-service';

export interface DialogServices {
  conversationData: StatePropertyAccessor<ConversationData>;
  userProfile: StatePropertyAccessor<UserProfile>;
  library: Library;
  matcher: Matcher;
  insights: InsightsRecorder;
  followUps: FollowUpService;
  handoff: HandoffDesk;
}

export function newFlowId(): string {
  return randomUUID().slice(0, 8);
}

export async function conversationDataOf(services: DialogServices, context: TurnContext): Promise<ConversationData> {
  return services.conversationData.get(context, { flowId: newFlowId(), step: 0 });
}

/** The user's choice wins; then the channel's locale; then what the last paste was written in. */
export async function languageOf(services: DialogServices, context: TurnContext): Promise<Language> {
  const profile = await services.userProfile.get(context, {});
  return profile.chosenLanguage ?? languageOfLocale(context.activity.locale) ?? profile.detectedLanguage ?? 'en';
}

/** The stamp for cards that are not waiting for an answer: they share the live card's flow and step. */
export async function currentCardContext(services: DialogServices, context: TurnContext): Promise<CardContext> {
  const data = await conversationDataOf(services, context);
  return { language: await languageOf(services, context), flowId: data.flowId, step: data.step };
}
