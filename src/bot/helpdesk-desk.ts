/**
 * The configured helpdesk behind the handoff dialog:
 * - a ticket through the delivery store and dispatcher (webhook, ServiceNow or
 *   Zendesk), whose reference reaches the user later in the same conversation;
 * - on Direct Line and Web Chat, the handoff protocol's `handoff.initiate` event
 *   with the case as context and the transcript attached (never in Teams, which
 *   rejects it);
 * - in Teams, the case card posted to the helpdesk's channel with "Take this case".
 */
import { Channels, EventFactory, TurnContext, type Activity, type Storage, type Transcript } from 'botbuilder';
import type { HandoffCase } from '../domain/handoff/handoff-case';
import type { Language } from '../domain/knowledge/schema';
import type { DeliveryDispatcher } from '../domain/delivery/delivery-dispatcher';
import type { HandoffDesk, SubmitResult } from '../../dialogs/handoff-desk';
import { saveSupportCase } from './support-cases';
import { teamsPostId, type TeamsPost } from './teams-post-delivery';

export interface HelpdeskDeskOptions {
  /** Tickets and Teams channel posts are queued here when it has a handler for them. */
  deliveries?: Pick<DeliveryDispatcher, 'enqueue' | 'handles'>;
  /** Send handoff.initiate on Direct Line / Web Chat and say an agent is being asked (a hub listens). */
  handoffHub: boolean;
  /** The helpdesk's Teams channel id (19:…@thread.tacv2), for cases raised in Teams. */
  teamsSupportChannelId?: string;
  contact?: string;
  /** HELPDESK_LANGUAGE: the language of the case card in the helpdesk's channel. */
  language?: Language;
  storage: Storage;
}

const HANDOFF_CHANNELS = new Set<string>([Channels.Directline, Channels.Webchat]);

/** The transcript as Bot Framework activities, for the handoff event's attachment. */
function transcriptOf(handoffCase: HandoffCase, context: TurnContext): Transcript {
  const user = context.activity.from;
  const bot = context.activity.recipient;
  return {
    activities: handoffCase.transcript.map(
      (line) =>
        ({
          type: 'message',
          text: line.text,
          timestamp: new Date(line.at),
          from: line.from === 'user' ? { ...user, role: 'user' } : { ...bot, role: 'bot' },
          recipient: line.from === 'user' ? bot : user,
          conversation: context.activity.conversation,
          channelId: context.activity.channelId,
        }) as Activity,
    ),
  };
}

export class HelpdeskDesk implements HandoffDesk {
  readonly configured: boolean;
  readonly contact?: string;
  readonly language?: Language;

  constructor(private readonly options: HelpdeskDeskOptions) {
    this.configured = Boolean(options.deliveries?.handles('ticket') || options.handoffHub || options.teamsSupportChannelId);
    if (options.contact) this.contact = options.contact;
    if (options.language) this.language = options.language;
  }

  async submit(context: TurnContext, handoffCase: HandoffCase): Promise<SubmitResult> {
    const result: SubmitResult = { queued: false, agentNotified: false };
    const reference = TurnContext.getConversationReference(context.activity);
    const { deliveries } = this.options;
    if (deliveries?.handles('ticket')) {
      // The case id is the delivery id: the helpdesk's idempotency key, the same on every attempt.
      await deliveries.enqueue({ id: handoffCase.caseId, kind: 'ticket', payload: handoffCase, conversation: reference, dueAt: Date.now() });
      result.queued = true;
    }
    const channel = context.activity.channelId;
    if (HANDOFF_CHANNELS.has(channel)) {
      await context.sendActivity(EventFactory.createHandoffInitiation(context, handoffCase, transcriptOf(handoffCase, context)));
      result.agentNotified = this.options.handoffHub;
    }
    if (channel === Channels.Msteams && this.options.teamsSupportChannelId && deliveries?.handles('teams-post')) {
      // Stored first ("Take this case" finds the user through it), then posted by the dispatcher outside this turn:
      // the user hears "the helpdesk has your case" only once the card is in the channel.
      await saveSupportCase(this.options.storage, { handoffCase, userConversation: reference });
      const tenantId = (context.activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
      const post: TeamsPost = {
        handoffCase,
        channelId: this.options.teamsSupportChannelId,
        serviceUrl: context.activity.serviceUrl,
        ...(typeof tenantId === 'string' ? { tenantId } : {}),
      };
      await deliveries.enqueue({ id: teamsPostId(handoffCase.caseId), kind: 'teams-post', payload: post, conversation: reference, dueAt: Date.now() });
      result.channelQueued = true;
    }
    return result;
  }
}
