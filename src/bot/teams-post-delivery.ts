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
import { DeliveryError } from '../domain/delivery/delivery-error';
import type { DeliveryEntry } from '../domain/delivery/delivery-store';
import type { HandoffCase } from '../domain/handoff/handoff-case';
import type { Language } from '../domain/knowledge/schema';
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

/** The attempt's time is up while its post is still on its way. */
class StillPosting extends DeliveryError {
  constructor() {
    super('timeout', true);
  }
}

/** Resolves with the promise's value, or rejects with StillPosting when the attempt's time is up; the promise itself goes on. */
function within<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StillPosting());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `helpdeskLanguage`: the case card is written for the helpdesk (HELPDESK_LANGUAGE), not in the user's language. */
export function teamsPostHandler(adapter: CloudAdapter, appId: string | undefined, messenger: ProactiveMessenger, helpdeskLanguage: Language = 'en'): DeliveryHandler {
  /**
   * Posts still on their way, by delivery id. The connector client retries a 429 itself after its Retry-After,
   * uncapped, and cannot be aborted: an attempt the dispatcher gave up on may still post its card. The next
   * attempt waits for that one instead of posting a second card.
   */
  const inFlight = new Map<string, Promise<string>>();
  const post = async (entry: DeliveryEntry): Promise<string> => {
    const post = entry.payload as TeamsPost;
    const activity = cardActivity(supportCaseCard(helpdeskLanguage, post.handoffCase), false) as Activity;
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
    return reference || 'posted';
  };
  return {
    name: 'teams-post',
    // A case the helpdesk never sees is worse than a late one, but a day later the user is better off with the summary.
    retry: { maxAgeMs: 24 * 60 * 60_000 },
    async deliver(entry, { signal }) {
      let posting = inFlight.get(entry.id);
      if (!posting) {
        posting = post(entry);
        // Nobody may be waiting when it settles (the attempt timed out): its outcome is the next attempt's to take.
        posting.catch(() => undefined);
        inFlight.set(entry.id, posting);
      }
      try {
        const reference = await within(posting, signal);
        inFlight.delete(entry.id);
        return { reference };
      } catch (error) {
        // Still on its way: kept, so that the next attempt takes its card instead of posting another.
        if (!(error instanceof StillPosting)) inFlight.delete(entry.id);
        throw error;
      }
    },
    async settle(entry, event) {
      const post = entry.payload as TeamsPost;
      const texts = HANDOFF_TEXTS[post.handoffCase.language].messages;
      const text = event === 'delivered' ? texts.channelPosted : `${texts.channelFailed}\n\n\`\`\`\n${post.handoffCase.summary}\n\`\`\``;
      await messenger.send(entry.conversation as Partial<ConversationReference>, text);
    },
  };
}
