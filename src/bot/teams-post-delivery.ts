/**
 * The case card for the helpdesk's Teams channel, as a delivery (`teams-post`):
 * stored before the user is told anything, then posted with CloudAdapter's
 * createConversationAsync into the channel (with the bot's app id, or an empty
 * one locally — TeamsInfo.sendMessageToTeamsChannel takes a BotFrameworkAdapter
 * path without an app id and fails on CloudAdapter). Retried on 429, 5xx and
 * timeouts; given up on 403 (the bot is not in that team) and 404 (the channel is
 * gone). The user hears the truth once it is known: the helpdesk has the case,
 * or here is the summary to send by hand.
 */
import { Channels, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { supportCaseCard } from '../domain/cards/index';
import type { DeliveryHandler } from '../domain/delivery/delivery-dispatcher';
import type { HandoffCase } from '../domain/handoff/handoff-case';
import { HANDOFF_TEXTS } from '../domain/i18n/handoff-texts';
import { cardActivity } from '../../dialogs/card-activity';
import { deliveryErrorOf } from './channel-delivery-error';
import type { ProactiveMessenger } from './proactive';

/** What the post needs, kept in the delivery store (the case is already redacted). */
export interface TeamsPost {
  handoffCase: HandoffCase;
  /** The helpdesk's channel (TEAMS_SUPPORT_CHANNEL_ID). */
  channelId: string;
  /** The Teams service URL the user's activity came from: the channel is in the same tenant. */
  serviceUrl: string;
  tenantId?: string;
}

export function teamsPostId(caseId: string): string {
  return `teams-post:${caseId}`;
}

export function teamsPostHandler(adapter: CloudAdapter, appId: string | undefined, messenger: ProactiveMessenger): DeliveryHandler {
  return {
    name: 'teams-post',
    // A case the helpdesk never sees is worse than a late one, but a day later the user is better off with the summary.
    retry: { maxAgeMs: 24 * 60 * 60_000 },
    async deliver(entry) {
      const post = entry.payload as TeamsPost;
      const activity = cardActivity(supportCaseCard('en', post.handoffCase), false) as Activity;
      let reference = '';
      try {
        await adapter.createConversationAsync(
          appId ?? '',
          Channels.Msteams,
          post.serviceUrl,
          appId ? AuthenticationConstants.ToChannelFromBotOAuthScope : '',
          {
            isGroup: true,
            channelData: { channel: { id: post.channelId }, ...(post.tenantId ? { tenant: { id: post.tenantId } } : {}) },
            activity,
            bot: { id: appId ?? '', name: '' },
            members: [],
          },
          async (context) => {
            reference = context.activity.conversation?.id ?? '';
          },
        );
      } catch (error) {
        throw deliveryErrorOf(error);
      }
      return { reference: reference || 'posted' };
    },
    async settle(entry, event) {
      const post = entry.payload as TeamsPost;
      const texts = HANDOFF_TEXTS[post.handoffCase.language].messages;
      const text = event === 'delivered' ? texts.channelPosted : `${texts.channelFailed}\n\n\`\`\`\n${post.handoffCase.summary}\n\`\`\``;
      await messenger.send(entry.conversation as Partial<ConversationReference>, text);
    },
  };
}
