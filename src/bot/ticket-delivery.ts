/**
 * Tickets as a kind of delivery: the handler the delivery dispatcher uses for
 * entries of kind 'ticket', whose payload is the (redacted) HandoffCase and whose
 * conversation is where the user handed it over.
 *
 * - deliver: one `create` on the helpdesk client, which sends the case id as the
 *   idempotency key on every attempt (a retry after a timeout makes no second
 *   ticket) and throws TicketErrors, which are DeliveryErrors.
 * - settle: tells the user, in the case's language and in the same conversation,
 *   the ticket's reference, or that it could not be made, with the summary to
 *   send by hand.
 */
import type { ConversationReference } from 'botbuilder';
import { DeliveryError } from '../domain/delivery/delivery-error';
import type { DeliveryHandler } from '../domain/delivery/delivery-handler';
import type { RetryPolicy } from '../domain/delivery/retry-policy';
import type { HandoffCase } from '../domain/handoff/handoff-case';
import { isValidCaseId, type TicketClient } from '../domain/handoff/ticket';
import { HANDOFF_TEXTS } from '../domain/i18n/handoff-texts';
import type { ProactiveMessenger } from './proactive';

export interface TicketHandlerOptions {
  /** HELPDESK_RETRY_BASE_MS, HELPDESK_RETRY_MAX_MS, HELPDESK_MAX_AGE_MS. */
  retry?: Partial<RetryPolicy>;
}

export function ticketHandler(client: TicketClient, messenger: ProactiveMessenger, options: TicketHandlerOptions = {}): DeliveryHandler {
  return {
    name: client.kind,
    ...(options.retry ? { retry: options.retry } : {}),
    deliver: async (entry, { attempt, signal }) => {
      const handoffCase = entry.payload as HandoffCase;
      // The case id is the Idempotency-Key header and a ServiceNow query term: one that cannot travel never will.
      if (!isValidCaseId(handoffCase.caseId)) throw new DeliveryError('invalid-case-id', false);
      const receipt = await client.create(handoffCase, { attempt, signal });
      return { reference: receipt.reference, status: receipt.status, ...(receipt.existing === undefined ? {} : { existing: receipt.existing }) };
    },
    settle: async (entry, event) => {
      const handoffCase = entry.payload as HandoffCase;
      const texts = HANDOFF_TEXTS[handoffCase.language].messages;
      const text =
        event === 'delivered' && entry.reference
          ? texts.delivered(entry.reference)
          : `${texts.failed}\n\n\`\`\`\n${handoffCase.summary}\n\`\`\``;
      await messenger.send(entry.conversation as Partial<ConversationReference>, text);
    },
  };
}
