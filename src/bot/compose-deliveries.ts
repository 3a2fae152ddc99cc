/**
 * The bot's delivery dispatcher: one, started whenever the server runs (tickets
 * need a helpdesk, follow-ups do not), over the delivery store, with one handler
 * per kind of delivery, and the daily prune of what is over.
 *
 * `deliveryHandlers` is THE place where a kind of delivery gets its handler: the
 * server builds the handlers there and nowhere else, and hands them to
 * `composeDeliveries`. To add a kind, add its handler in `deliveryHandlers`.
 */
import type { CloudAdapter, Storage } from 'botbuilder';
import type { Config } from '../config';
import { errorClassOf, type Logger } from '../logger';
import { DeliveryDispatcher, type DeliveryHandlers } from '../domain/delivery/delivery-dispatcher';
import type { DeliveryStore } from '../domain/delivery/delivery-store';
import type { RetryPolicy } from '../domain/delivery/retry-policy';
import { handoffHandlers } from './compose-handoff';
import type { ProactiveMessenger } from './proactive';
import { followUpHandler } from './follow-ups';
import type { TroubleshooterBot } from './troubleshooter-bot';

/** Entries are kept this long after they were settled, failed, cancelled or given up, then pruned: a redacted case is still personal to someone. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 24 * 60 * 60_000;

/** What the handlers are built from. A handler that needs something composed after the dispatcher (the bot) takes it lazily. */
export interface DeliveryHandlerParts {
  config: Config;
  adapter: CloudAdapter;
  /** Proactive messages through the adapter, in the conversation a delivery stored. */
  messenger: ProactiveMessenger;
  storage: Storage;
  logger: Logger;
  /** The bot, composed after the dispatcher: the follow-up's proactive turn runs through it. */
  bot: () => TroubleshooterBot;
}

/**
 * Every kind of delivery this bot makes, with its handler:
 * - `ticket`: when a helpdesk is configured (HELPDESK_*; compose-handoff.ts);
 * - `follow-up`: the question whether the next backup succeeded (follow-ups.ts), unless FOLLOW_UP_AFTER=0;
 * - `teams-post`: the case card in the helpdesk's Teams channel, when TEAMS_SUPPORT_CHANNEL_ID is set (teams-post-delivery.ts).
 * A kind missing here is stored but not delivered by this instance.
 */
export function deliveryHandlers(parts: DeliveryHandlerParts): DeliveryHandlers {
  return {
    ...handoffHandlers(parts.config, parts.adapter, parts.messenger),
    ...(parts.config.followUpAfterMs !== null ? { 'follow-up': followUpHandler(parts.adapter, parts.config.auth?.appId, parts.bot) } : {}),
  };
}

export interface ComposeDeliveriesOptions {
  store: DeliveryStore;
  handlers: DeliveryHandlers;
  logger: Logger;
  /** Defaults for every kind (each handler's own policy goes over them). */
  retry?: Partial<RetryPolicy>;
}

export interface ComposedDeliveries {
  dispatcher: DeliveryDispatcher;
  /** Stops pruning and the dispatcher (attempts in flight finish). The store is the caller's to close. */
  stop(): Promise<void>;
}

export function composeDeliveries(options: ComposeDeliveriesOptions): ComposedDeliveries {
  const { store, handlers, logger, retry } = options;
  const dispatcher = new DeliveryDispatcher({ store, handlers, logger, ...(retry ? { retry } : {}) });
  dispatcher.start();

  let pruning: Promise<void> | undefined;
  const prune = (): void => {
    if (pruning) return;
    pruning = store
      .prune(Date.now() - DELIVERY_RETENTION_MS)
      .then(
        (count) => {
          if (count > 0) logger.log('info', 'delivery.pruned', { count });
        },
        (error: unknown) => logger.log('error', 'delivery.prune-failed', { errorClass: errorClassOf(error) }),
      )
      .finally(() => (pruning = undefined));
  };
  // Once at start as well: a bot restarted more often than daily would otherwise never prune.
  prune();
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref();

  return {
    dispatcher,
    stop: async () => {
      clearInterval(pruneTimer);
      await pruning;
      await dispatcher.stop();
    },
  };
}
