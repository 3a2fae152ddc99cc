/**
 * Wires the helpdesk handoff from the configuration: the ticket handler for the
 * delivery dispatcher (when a helpdesk is configured), which brings the ticket
 * reference back to the user in a proactive message, and the desk the handoff
 * dialog talks to.
 */
import type { CloudAdapter, Storage } from 'botbuilder';
import { teamsPostHandler } from './teams-post-delivery';
import type { Config } from '../config';
import type { DeliveryDispatcher, DeliveryHandlers } from '../domain/delivery/delivery-dispatcher';
import { createTicketClient } from '../data-access/helpdesk/create-ticket-client';
import type { HandoffDesk } from '../../dialogs/handoff-desk';
import { HelpdeskDesk } from './helpdesk-desk';
import type { ProactiveMessenger } from './proactive';
import { ticketHandler } from './ticket-delivery';

/**
 * The handoff's kinds of delivery (registered in compose-deliveries.ts): tickets when a helpdesk is
 * configured, the case card for the helpdesk's Teams channel when TEAMS_SUPPORT_CHANNEL_ID is set.
 */
export function handoffHandlers(config: Config, adapter: CloudAdapter, messenger: ProactiveMessenger): DeliveryHandlers {
  const { helpdesk, teamsSupportChannelId } = config.handoff;
  return {
    ...(helpdesk ? { ticket: ticketHandler(createTicketClient(helpdesk.settings), messenger, { retry: helpdesk.retry }) } : {}),
    ...(teamsSupportChannelId ? { 'teams-post': teamsPostHandler(adapter, config.auth?.appId, messenger, config.handoff.language) } : {}),
  };
}

/** The desk behind the handoff dialog: tickets through `deliveries` when it delivers them, the hub's event, the Teams channel. */
export function composeHandoff(config: Config, storage: Storage, deliveries: Pick<DeliveryDispatcher, 'enqueue' | 'handles'>): HandoffDesk {
  return new HelpdeskDesk({
    deliveries,
    handoffHub: config.handoff.hub,
    language: config.handoff.language,
    ...(config.handoff.teamsSupportChannelId ? { teamsSupportChannelId: config.handoff.teamsSupportChannelId } : {}),
    ...(config.handoff.contact ? { contact: config.handoff.contact } : {}),
    storage,
  });
}
