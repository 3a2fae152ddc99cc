/**
 * The dialogs' side of the insights: the current session lives in conversation
 * state; each milestone moves it with the core's pure functions and hands the
 * new state to the recorder.
 */
import type { TurnContext } from 'botbuilder';
import type { Classification } from '../src/domain/matching/classification';
import type { ErrorId } from '../src/domain/knowledge/schema';
import { abandoned, startSession, type RecognisedHow, type SessionRecord } from '../src/domain/insights/session';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';

/** Moves the current session, if there is one. */
export async function updateSession(services: DialogServices, context: TurnContext, change: (session: SessionRecord) => SessionRecord): Promise<void> {
  const data = await conversationDataOf(services, context);
  if (!data.session) return;
  const before = data.session;
  const next = change(before);
  if (next === before) return;
  data.session = next;
  services.insights.track(context, before, next);
}

/**
 * A new session for the flow on screen, unless it has one already ("None of these"
 * goes on in the same session). The one before it, engaged and without an outcome,
 * ends abandoned: the user started over or moved to another error.
 */
export async function beginSession(services: DialogServices, context: TurnContext, via: SessionRecord['via']): Promise<void> {
  const data = await conversationDataOf(services, context);
  if (data.session?.id === data.flowId) return;
  if (data.session) {
    const closed = abandoned(data.session);
    if (closed !== data.session) services.insights.track(context, data.session, closed);
  }
  data.session = startSession({ id: data.flowId, via, language: await languageOf(services, context), channel: context.activity.channelId ?? 'unknown' });
  services.insights.track(context, undefined, data.session);
}

/** Which kind of evidence named the error: the strongest that points to it. */
export function recognisedHow(result: Classification, category: ErrorId): RecognisedHow {
  const best = result.evidence.filter((item) => item.categories.includes(category)).sort((a, b) => b.score - a.score)[0];
  if (best?.kind === 'code') return 'code';
  if (best?.kind === 'description') return 'description';
  return 'message';
}
