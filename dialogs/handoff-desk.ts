/**
 * Where a case goes when the user sends it. The dialog only knows this
 * interface; the bot's composition decides what is behind it: the ticket
 * delivery, the handoff protocol event for Direct Line hubs, the post to the
 * helpdesk's Teams channel — or nothing, when no helpdesk is configured.
 */
import type { TurnContext } from 'botbuilder';
import type { HandoffCase } from '../src/domain/handoff/handoff-case';
import type { Language } from '../src/domain/knowledge/schema';

export interface SubmitResult {
  /** A ticket is on its way: its reference will be posted to the user later. */
  queued: boolean;
  /** The conversation was offered to a live agent (handoff.initiate). */
  agentNotified: boolean;
  /** The case card is on its way to the helpdesk's Teams channel: the user hears when it is there. */
  channelQueued?: boolean;
}

export interface HandoffDesk {
  /** False when nothing is configured: the user gets the summary to copy instead of a preview and a send button. */
  readonly configured: boolean;
  /** Where to send the summary by hand when nothing is configured (HELPDESK_CONTACT). */
  readonly contact?: string;
  /** The language the helpdesk reads (HELPDESK_LANGUAGE); undefined: English. */
  readonly language?: Language;
  submit(context: TurnContext, handoffCase: HandoffCase): Promise<SubmitResult>;
}

export const UNCONFIGURED_DESK: HandoffDesk = {
  configured: false,
  submit: async () => ({ queued: false, agentNotified: false }),
};
