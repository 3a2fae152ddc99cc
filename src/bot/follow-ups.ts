/**
 * The follow-ups as deliveries (issue 11): the promise after "This fixed it" is a
 * `follow-up` delivery due FOLLOW_UP_AFTER later; when due, the handler opens a
 * proactive turn in the same conversation (continueConversationAsync with the
 * stored reference) and the bot puts the question on screen — or, if the user is
 * in the middle of a walk, the delivery comes back later. Teams' answers map to
 * the delivery's rules: 429 waits for Retry-After, 5xx and timeouts retry, 403
 * (the user blocked or removed the app) and 404 give up with a log line. Sends are
 * paced so that many follow-ups due at once stay under Teams' limits.
 */
import { TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { FollowUpService } from '../../dialogs/follow-up-service';
import type { FollowUpRef } from '../domain/conversation/conversation-data';
import { returningUserKey } from '../domain/conversation/returning-user';
import { DeliveryError, DeliveryLater } from '../domain/delivery/delivery-error';
import { deliveryErrorOf } from './channel-delivery-error';
import type { DeliveryDispatcher, DeliveryHandler } from '../domain/delivery/delivery-dispatcher';
import type { DeliveryStore } from '../domain/delivery/delivery-store';
import { ANSWER_WITHIN_MS, followUpId, type FollowUp } from '../domain/follow-up/follow-up';
import type { TroubleshooterBot } from './troubleshooter-bot';

/** The user was in the middle of a walk: look again after this long. */
export const BUSY_RETRY_MS = 10 * 60_000;
/** At most this many proactive sends a second for the whole bot (Teams: 50 requests/s per app and tenant; 7/s per thread). */
const SENDS_PER_SECOND = 20;

export class DeliveryFollowUps implements FollowUpService {
  constructor(
    readonly afterMs: number | null,
    private readonly store: DeliveryStore,
    /** Lazily: the dispatcher is composed with the bot that uses this service. */
    private readonly dispatcher: () => DeliveryDispatcher,
  ) {}

  async promise(context: TurnContext, followUp: FollowUp): Promise<string> {
    if (this.afterMs === null) throw new Error('follow-ups are off');
    const id = followUpId(followUp.sessionId, followUp.ask);
    const { activity } = context;
    const userKey = returningUserKey(activity.channelId, activity.from?.id);
    await this.dispatcher().enqueue({
      id,
      kind: 'follow-up',
      payload: followUp,
      conversation: TurnContext.getConversationReference(activity),
      ...(userKey ? { userKey } : {}),
      dueAt: Date.now() + this.afterMs,
    });
    return id;
  }

  async cancel(id: string): Promise<void> {
    await this.store.cancel(id, Date.now());
  }

  async settle(id: string): Promise<void> {
    await this.store.settle(id, null, Date.now());
  }

  async openFor(context: TurnContext): Promise<FollowUpRef[]> {
    const userKey = returningUserKey(context.activity.channelId, context.activity.from?.id);
    if (!userKey) return [];
    const now = Date.now();
    const open = await this.store.openFor(userKey, 'follow-up', now - ANSWER_WITHIN_MS, now);
    return open.map((entry) => ({ id: entry.id, followUp: entry.payload as FollowUp }));
  }
}

/** Spaces sends so that a burst of due follow-ups goes out at `perSecond` at most. */
class Pacer {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  async take(signal: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1_000 / this.perSecond;
    if (at > now) await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, at - now);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DeliveryError('aborted', true));
      }, { once: true });
    });
  }
}

export function followUpHandler(adapter: CloudAdapter, appId: string | undefined, bot: () => TroubleshooterBot): DeliveryHandler {
  const pacer = new Pacer(SENDS_PER_SECOND);
  return {
    name: 'follow-up',
    // The question may wait for the user for up to the answer window; retries back off to a quarter of an hour.
    retry: { maxAgeMs: ANSWER_WITHIN_MS, baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 },
    async deliver(entry, { signal }) {
      await pacer.take(signal);
      let shown: string | undefined;
      // Caught inside the turn: the adapter's onTurnError would apologise, reset the conversation and swallow it.
      let failure: { error: unknown } | undefined;
      try {
        await adapter.continueConversationAsync(appId ?? '', entry.conversation as Partial<ConversationReference>, async (context) => {
          try {
            shown = await bot().askFollowUp(context, { id: entry.id, followUp: entry.payload as FollowUp });
          } catch (error) {
            failure = { error };
          }
        });
      } catch (error) {
        throw deliveryErrorOf(error);
      }
      if (failure) throw deliveryErrorOf(failure.error);
      if (shown === 'busy') throw new DeliveryLater(BUSY_RETRY_MS);
      return { reference: 'asked' };
    },
  };
}
