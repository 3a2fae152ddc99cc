/** The helpdesk client for the configured kind (HELPDESK_KIND). */
import type { TicketClient } from '../../domain/handoff/ticket';
import { ServiceNowTicketClient, type ServiceNowUrgency } from './servicenow-client';
import { WebhookTicketClient } from './webhook-client';
import { ZendeskTicketClient } from './zendesk-client';

export type HelpdeskSettings =
  | { kind: 'webhook'; url: string; secret?: string; timeoutMs?: number }
  | { kind: 'servicenow'; instanceUrl: string; username: string; password: string; urgency?: ServiceNowUrgency; timeoutMs?: number }
  | { kind: 'zendesk'; baseUrl: string; email: string; apiToken: string; tags?: string[]; timeoutMs?: number };

export function createTicketClient(settings: HelpdeskSettings): TicketClient {
  switch (settings.kind) {
    case 'webhook':
      return new WebhookTicketClient(settings);
    case 'servicenow':
      return new ServiceNowTicketClient(settings);
    case 'zendesk':
      return new ZendeskTicketClient(settings);
  }
}
