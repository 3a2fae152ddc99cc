/**
 * Builds the Action.Submit buttons. Every button's data is exactly a
 * CardActionData stamped with the flow and step the card was shown at, so the
 * dialog can tell a click on an old card from a click on the current one.
 */
import type { CardActionData } from '../flow/card-action';
import type { CardContext } from './rendered-card';
import type { ButtonView } from './template-data';

/** What a button adds to the stamp: the action and, where relevant, category/causeId/os/language. */
export type ButtonPayload = Omit<CardActionData, 'flowId' | 'step'>;

export function button(ctx: CardContext, title: string, payload: ButtonPayload): ButtonView {
  const data: CardActionData = { action: payload.action, flowId: ctx.flowId, step: ctx.step };
  // Copy only the fields that are set: an `undefined` key would vanish from the
  // JSON anyway, and tests compare the data with what the host sends back.
  if (payload.category !== undefined) data.category = payload.category;
  if (payload.causeId !== undefined) data.causeId = payload.causeId;
  if (payload.os !== undefined) data.os = payload.os;
  if (payload.language !== undefined) data.language = payload.language;
  return { title, data };
}
