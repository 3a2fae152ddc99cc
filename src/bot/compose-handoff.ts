/**
 * Wires the helpdesk handoff from the configuration: the ticket client and its
 * durable outbox and dispatcher (when a helpdesk is configured), the proactive
 * messages that bring the ticket reference back to the user, and the desk the
 * handoff dialog talks to.
 */
import { join } from 'node:path';
import type { CloudAdapter, ConversationReference, Storage } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { HandoffDispatcher, type Notify } from '../domain/handoff/dispatcher';
import type { Outbox } from '../domain/handoff/outbox';
import { HANDOFF_TEXTS } from '../domain/i18n/handoff-texts';
import { createTicketClient } from '../data-access/helpdesk/create-ticket-client';
import { SqliteOutbox } from '../data-access/sqlite-outbox';
import type { HandoffDesk } from '../../dialogs/handoff-desk';
import { HelpdeskDesk } from './helpdesk-desk';
import { adapterMessenger, type ProactiveMessenger } from './proactive';

/** Cases told to the user are kept this long, then pruned: the redacted case is still personal to someone. */
export const OUTBOX_RETENTION_MS = 30 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 24 * 60 * 60_000;

export interface ComposedHandoff {
  desk: HandoffDesk;
  messenger: ProactiveMessenger;
  dispatcher?: HandoffDispatcher;
  /** Stops the dispatcher (waiting for attempts in flight) and closes an outbox it opened. */
  stop(): Promise<void>;
}

/** Tells the user, in the case's language, what became of the ticket. */
function notifier(messenger: ProactiveMessenger): Notify {
  return async (entry, event) => {
    const texts = HANDOFF_TEXTS[entry.handoffCase.language].messages;
    const reference = entry.conversation as Partial<ConversationReference>;
    const text =
      event === 'delivered' && entry.reference
        ? texts.delivered(entry.reference)
        : `${texts.failed}\n\n\`\`\`\n${entry.handoffCase.summary}\n\`\`\``;
    await messenger.send(reference, text);
  };
}

export function composeHandoff(config: Config, adapter: CloudAdapter, storage: Storage, logger: Logger, outbox?: Outbox): ComposedHandoff {
  const messenger = adapterMessenger(adapter, config.auth?.appId);
  const { helpdesk } = config.handoff;
  let dispatcher: HandoffDispatcher | undefined;
  let ownOutbox: SqliteOutbox | undefined;
  if (helpdesk) {
    if (!outbox) ownOutbox = new SqliteOutbox(join(config.dataDir, 'bot.sqlite'));
    dispatcher = new HandoffDispatcher({
      outbox: outbox ?? ownOutbox!,
      client: createTicketClient(helpdesk.settings),
      notify: notifier(messenger),
      logger,
      retry: helpdesk.retry,
    });
    dispatcher.start();
  }
  const prunable = ownOutbox ?? (outbox instanceof SqliteOutbox ? outbox : undefined);
  const pruneTimer = prunable ? setInterval(() => prunable.prune(Date.now() - OUTBOX_RETENTION_MS), PRUNE_EVERY_MS) : undefined;
  pruneTimer?.unref();
  const desk = new HelpdeskDesk({
    ...(dispatcher ? { dispatcher } : {}),
    handoffHub: config.handoff.hub,
    ...(config.handoff.teamsSupportChannelId ? { teamsSupportChannelId: config.handoff.teamsSupportChannelId } : {}),
    ...(config.auth?.appId ? { appId: config.auth.appId } : {}),
    ...(config.handoff.contact ? { contact: config.handoff.contact } : {}),
    storage,
  });
  return {
    desk,
    messenger,
    ...(dispatcher ? { dispatcher } : {}),
    stop: async () => {
      if (pruneTimer) clearInterval(pruneTimer);
      await dispatcher?.stop();
      ownOutbox?.close();
    },
  };
}
