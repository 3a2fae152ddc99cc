/**
 * Wires the helpdesk handoff from the configuration: the ticket handler for the
 * delivery dispatcher (when a helpdesk is configured), which brings the ticket
 * reference back to the user in a proactive message, and the desk the handoff
 * dialog talks to.
 */
import type { Storage } from 'botbuilder';
import type { Config } from '../config';
import type { DeliveryDispatcher, DeliveryHandlers } from '../domain/delivery/delivery-dispatcher';
import { createTicketClient } from '../data-access/helpdesk/create-ticket-client';
import type { HandoffDesk } from '../../dialogs/handoff-desk';
import { HelpdeskDesk } from './helpdesk-desk';
import type { ProactiveMessenger } from './proactive';
import { ticketHandler } from './ticket-delivery';

/** The handoff's kinds of delivery: tickets, when a helpdesk is configured (registered in compose-deliveries.ts). */
export function handoffHandlers(config: Config, messenger: ProactiveMessenger): DeliveryHandlers {
  const { helpdesk } = config.handoff;
  if (!helpdesk) return {};
  return { ticket: ticketHandler(createTicketClient(helpdesk.settings), messenger, { retry: helpdesk.retry }) };
}

/** The desk behind the handoff dialog: tickets through `deliveries` when it delivers them, the hub's event, the Teams channel. */
export function composeHandoff(config: Config, storage: Storage, deliveries: Pick<DeliveryDispatcher, 'enqueue' | 'handles'>): HandoffDesk {
  return new HelpdeskDesk({
    deliveries,
    handoffHub: config.handoff.hub,
    ...(config.handoff.teamsSupportChannelId ? { teamsSupportChannelId: config.handoff.teamsSupportChannelId } : {}),
    ...(config.auth?.appId ? { appId: config.auth.appId } : {}),
    ...(config.handoff.contact ? { contact: config.handoff.contact } : {}),
    storage,
  });
}
