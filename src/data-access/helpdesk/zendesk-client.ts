/**
 * Zendesk: one ticket per case through the Tickets API.
 *
 *   POST {base}/api/v2/tickets.json        base = https://<subdomain>.zendesk.com
 *   Authorization: Basic base64("<email>/token:<api token>")
 *   Idempotency-Key: <caseId>
 *   {"ticket": {"subject", "comment": {"body": <case summary>}, "external_id": <caseId>, "tags": [...]}}
 *   → 201 {"ticket": {"id": 35436, ...}}   reference = String(ticket.id)
 *
 * Zendesk replays the answer for a repeated Idempotency-Key for a limited time
 * only (about two hours), while we retry for up to a day; so on a retry
 * (attempt > 1) the client first looks the case up by external id
 * (GET {base}/api/v2/tickets.json?external_id=<caseId>) and answers with the
 * ticket it finds.
 */
import type { HandoffCase } from '../../domain/handoff/handoff-case';
import { TicketError, type CreateTicketOptions, type TicketClient, type TicketReceipt } from '../../domain/handoff/ticket';
import { DEFAULT_HELPDESK_TIMEOUT_MS, USER_AGENT, baseUrl, basicAuth, isRecord, referenceFrom, sendJson } from './http';
import { shortDescription } from './servicenow-client';

export interface ZendeskClientOptions {
  /** https://<subdomain>.zendesk.com (any base URL, for tests). */
  baseUrl: string;
  /** The agent's email; the API token authenticates as `<email>/token`. */
  email: string;
  apiToken: string;
  /** Added to the bot's own tags (azure-backup-troubleshooter, the error id, the reason). */
  tags?: string[];
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export function zendeskBaseUrl(subdomain: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(subdomain)) throw new RangeError('HELPDESK_ZENDESK_SUBDOMAIN must be a Zendesk subdomain (letters, digits, -)');
  return `https://${subdomain.toLowerCase()}.zendesk.com`;
}

export function caseTags(handoffCase: HandoffCase, extra: string[] = []): string[] {
  const tags = ['azure-backup-troubleshooter', `handoff-${handoffCase.reason}`];
  if (handoffCase.error) tags.push(`error-${handoffCase.error.category}`);
  return [...new Set([...tags, ...extra])];
}

export class ZendeskTicketClient implements TicketClient {
  readonly kind = 'zendesk';
  private readonly ticketsUrl: string;
  private readonly authorization: string;
  private readonly tags: string[];
  private readonly timeoutMs: number;

  constructor(options: ZendeskClientOptions) {
    this.ticketsUrl = `${baseUrl(options.baseUrl, 'HELPDESK_ZENDESK_BASE_URL')}/api/v2/tickets.json`;
    this.authorization = basicAuth(`${options.email}/token`, options.apiToken);
    this.tags = options.tags ?? [];
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HELPDESK_TIMEOUT_MS;
  }

  async create(handoffCase: HandoffCase, options: CreateTicketOptions): Promise<TicketReceipt> {
    const signal = options.signal ? { signal: options.signal } : {};
    const headers = { authorization: this.authorization, 'user-agent': USER_AGENT };
    if (options.attempt > 1) {
      const query = new URLSearchParams({ external_id: handoffCase.caseId });
      const found = await sendJson({ method: 'GET', url: `${this.ticketsUrl}?${query}`, headers, timeoutMs: this.timeoutMs, ...signal });
      const tickets = isRecord(found.json) && Array.isArray(found.json['tickets']) ? (found.json['tickets'] as unknown[]) : undefined;
      if (tickets === undefined) throw new TicketError('bad-response', false, found.status);
      const first = tickets[0];
      const existing = isRecord(first) ? referenceFrom(first['id']) : undefined;
      if (existing !== undefined) return { reference: existing, status: found.status, existing: true };
    }
    const body = JSON.stringify({
      ticket: {
        subject: shortDescription(handoffCase),
        comment: { body: handoffCase.summary },
        external_id: handoffCase.caseId,
        tags: caseTags(handoffCase, this.tags),
      },
    });
    const created = await sendJson({
      method: 'POST',
      url: this.ticketsUrl,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'idempotency-key': handoffCase.caseId },
      body,
      timeoutMs: this.timeoutMs,
      ...signal,
    });
    const ticket = isRecord(created.json) ? created.json['ticket'] : undefined;
    const reference = isRecord(ticket) ? referenceFrom(ticket['id']) : undefined;
    if (reference === undefined) throw new TicketError('bad-response', false, created.status);
    return { reference, status: created.status };
  }
}
