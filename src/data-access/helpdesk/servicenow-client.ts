/**
 * ServiceNow: one incident per case through the Table API.
 *
 *   POST {instance}/api/now/table/incident      (basic auth)
 *   {"short_description", "description": <case summary>, "correlation_id": <caseId>,
 *    "correlation_display": "azure-backup-troubleshooter", "urgency": "1".."3"}
 *   → 201 {"result": {"number": "INC0010001", "sys_id": ...}}   reference = result.number
 *
 * ServiceNow has no idempotency key, so on every retry (attempt > 1, after a
 * restart too) the client first looks the case up:
 *
 *   GET {instance}/api/now/table/incident?sysparm_query=correlation_id=<caseId>&sysparm_limit=1
 *
 * and answers with the incident it finds instead of creating a second one
 * (the first attempt may have timed out after ServiceNow created it).
 */
import type { HandoffCase } from '../../domain/handoff/handoff-case';
import { TicketError, type CreateTicketOptions, type TicketClient, type TicketReceipt } from '../../domain/handoff/ticket';
import { DEFAULT_HELPDESK_TIMEOUT_MS, USER_AGENT, baseUrl, basicAuth, isRecord, referenceFrom, sendJson } from './http';

export type ServiceNowUrgency = 1 | 2 | 3;

export interface ServiceNowClientOptions {
  /** https://<instance>.service-now.com */
  instanceUrl: string;
  username: string;
  password: string;
  /** 1 high, 2 medium, 3 low (default). */
  urgency?: ServiceNowUrgency;
  /** Per request; default 10 s (a retry makes two requests). */
  timeoutMs?: number;
}

const SHORT_DESCRIPTION_MAX = 160;
const FIELDS = 'number,sys_id';

export function shortDescription(handoffCase: HandoffCase): string {
  const what = handoffCase.error ? handoffCase.error.title : 'error not recognized';
  const text = `Azure VM Backup: ${what} [${handoffCase.caseId}]`;
  return text.length <= SHORT_DESCRIPTION_MAX ? text : `${text.slice(0, SHORT_DESCRIPTION_MAX - 1)}…`;
}

export class ServiceNowTicketClient implements TicketClient {
  readonly kind = 'servicenow';
  private readonly tableUrl: string;
  private readonly authorization: string;
  private readonly urgency: ServiceNowUrgency;
  private readonly timeoutMs: number;

  constructor(options: ServiceNowClientOptions) {
    this.tableUrl = `${baseUrl(options.instanceUrl, 'HELPDESK_SERVICENOW_INSTANCE_URL')}/api/now/table/incident`;
    this.authorization = basicAuth(options.username, options.password);
    this.urgency = options.urgency ?? 3;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HELPDESK_TIMEOUT_MS;
  }

  async create(handoffCase: HandoffCase, options: CreateTicketOptions): Promise<TicketReceipt> {
    const signal = options.signal ? { signal: options.signal } : {};
    const headers = { authorization: this.authorization, 'user-agent': USER_AGENT };
    if (options.attempt > 1) {
      const query = new URLSearchParams({ sysparm_query: `correlation_id=${handoffCase.caseId}`, sysparm_limit: '1', sysparm_fields: FIELDS });
      const found = await sendJson({ method: 'GET', url: `${this.tableUrl}?${query}`, headers, timeoutMs: this.timeoutMs, ...signal });
      const results = isRecord(found.json) && Array.isArray(found.json['result']) ? (found.json['result'] as unknown[]) : undefined;
      if (results === undefined) throw new TicketError('bad-response', false, found.status);
      const first = results[0];
      const existing = isRecord(first) ? referenceFrom(first['number']) : undefined;
      if (existing !== undefined) return { reference: existing, status: found.status, existing: true };
    }
    const body = JSON.stringify({
      short_description: shortDescription(handoffCase),
      description: handoffCase.summary,
      correlation_id: handoffCase.caseId,
      correlation_display: 'azure-backup-troubleshooter',
      urgency: String(this.urgency),
    });
    const query = new URLSearchParams({ sysparm_fields: FIELDS, sysparm_exclude_reference_link: 'true' });
    const created = await sendJson({
      method: 'POST',
      url: `${this.tableUrl}?${query}`,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body,
      timeoutMs: this.timeoutMs,
      ...signal,
    });
    const result = isRecord(created.json) ? created.json['result'] : undefined;
    const reference = isRecord(result) ? referenceFrom(result['number']) : undefined;
    if (reference === undefined) throw new TicketError('bad-response', false, created.status);
    return { reference, status: created.status };
  }
}
