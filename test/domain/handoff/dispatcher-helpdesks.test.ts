/**
 * The dispatcher against each helpdesk shape (ServiceNow, Zendesk, the signed
 * webhook), each played by the fake helpdesk over real HTTP, with the first
 * answer slower than the client's timeout: one ticket, one notification.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTicketClient, type HelpdeskSettings } from '../../../src/data-access/helpdesk/create-ticket-client';
import { SqliteOutbox } from '../../../src/data-access/sqlite-outbox';
import { HandoffDispatcher, type NotifyEvent } from '../../../src/domain/handoff/dispatcher';
import { FakeHelpdesk, eventually, makeCase, type FakeHelpdeskOptions } from '../../support/fake-helpdesk';

describe.each<[string, FakeHelpdeskOptions, (url: string) => HelpdeskSettings, RegExp]>([
  ['ServiceNow', { mode: 'servicenow', username: 'bot', password: 'pw' }, (url) => ({ kind: 'servicenow', instanceUrl: url, username: 'bot', password: 'pw', timeoutMs: 150 }), /^INC\d{7}$/],
  ['Zendesk', { mode: 'zendesk', username: 'agent@example.com', password: 'tok' }, (url) => ({ kind: 'zendesk', baseUrl: url, email: 'agent@example.com', apiToken: 'tok', timeoutMs: 150 }), /^\d+$/],
  ['the signed webhook', { mode: 'webhook', secret: 'shared-secret-of-some-length' }, (url) => ({ kind: 'webhook', url: `${url}/hooks/cases`, secret: 'shared-secret-of-some-length', timeoutMs: 150 }), /^HD-\d{4}$/],
])('HandoffDispatcher with %s', (_name, helpdeskOptions, settings, referenceShape) => {
  let dir: string;
  let helpdesk: FakeHelpdesk;
  let outbox: SqliteOutbox;
  let dispatcher: HandoffDispatcher;
  let told: { caseId: string; event: NotifyEvent; reference?: string }[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesks-'));
    helpdesk = await FakeHelpdesk.start(helpdeskOptions);
    outbox = new SqliteOutbox(join(dir, 'bot.sqlite'));
    told = [];
    dispatcher = new HandoffDispatcher({
      outbox,
      client: createTicketClient(settings(helpdesk.url)),
      notify: async (entry, event) => {
        told.push({ caseId: entry.caseId, event, ...(entry.reference ? { reference: entry.reference } : {}) });
      },
      retry: { baseDelayMs: 20, maxDelayMs: 200, maxAgeMs: 60_000 },
      pollIntervalMs: 10,
      attemptTimeoutMs: 1_000,
    });
    dispatcher.start();
  });

  afterEach(async () => {
    await dispatcher.stop();
    outbox.close();
    await helpdesk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('When the first answer is slower than the timeout and then come 500s, Then there is one ticket and the user is told its reference once', async () => {
    helpdesk.delayNext(1, 500);
    const caseIds = ['hd-1', 'hd-2'];
    await dispatcher.enqueue(makeCase('hd-1'), null);
    await eventually(() => helpdesk.tickets.length === 1, 'first ticket created');
    helpdesk.failNext(2, 500);
    await dispatcher.enqueue(makeCase('hd-2', { error: undefined, reason: 'not-covered' }), null);
    await eventually(() => caseIds.every((id) => told.some((t) => t.caseId === id)), 'both notified');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dispatcher.drain();

    for (const caseId of caseIds) {
      const tickets = helpdesk.ticketsFor(caseId);
      expect(tickets).toHaveLength(1);
      expect(told.filter((t) => t.caseId === caseId)).toEqual([{ caseId, event: 'delivered', reference: tickets[0]!.reference }]);
      expect(tickets[0]!.reference).toMatch(referenceShape);
    }
    expect(helpdesk.tickets).toHaveLength(2);
    expect((await outbox.get('hd-1'))!.attempts).toBeGreaterThanOrEqual(2);
    if (helpdeskOptions.secret !== undefined) {
      // Every attempt (retries too) is signed, and every signature checks out.
      expect(helpdesk.requests.length).toBeGreaterThanOrEqual(4);
      expect(helpdesk.requests.every((request) => request.signatureValid === true)).toBe(true);
    }
  });

  it('When the credentials are refused, Then the case fails at once and the user is told once', async () => {
    helpdesk.failNext(1, 403);
    await dispatcher.enqueue(makeCase('hd-403'), null);
    await eventually(() => told.length === 1, 'notified');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(told).toEqual([{ caseId: 'hd-403', event: 'failed' }]);
    expect(helpdesk.requests).toHaveLength(1);
  });
});
