/**
 * Tickets through the delivery dispatcher and the ticket handler against each
 * helpdesk shape (ServiceNow, Zendesk, the signed webhook), each played by the
 * fake helpdesk over real HTTP, with the first answer slower than the client's
 * timeout: one ticket, the user told once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTicketClient, type HelpdeskSettings } from '../../../src/data-access/helpdesk/create-ticket-client';
import { SqliteDeliveryStore } from '../../../src/data-access/sqlite-delivery-store';
import { ticketHandler } from '../../../src/bot/ticket-delivery';
import { DeliveryDispatcher, type SettleEvent } from '../../../src/domain/delivery/delivery-dispatcher';
import { HANDOFF_TEXTS } from '../../../src/domain/i18n/handoff-texts';
import type { NewDelivery } from '../../../src/domain/delivery/delivery-store';
import { FakeHelpdesk, eventually, makeCase, type FakeHelpdeskOptions } from '../../support/fake-helpdesk';

const ticket = (caseId: string): NewDelivery => ({ id: caseId, kind: 'ticket', payload: makeCase(caseId), conversation: null, dueAt: Date.now() });

describe.each<[string, FakeHelpdeskOptions, (url: string) => HelpdeskSettings, RegExp]>([
  ['ServiceNow', { mode: 'servicenow', username: 'bot', password: 'pw' }, (url) => ({ kind: 'servicenow', instanceUrl: url, username: 'bot', password: 'pw', timeoutMs: 150 }), /^INC\d{7}$/],
  ['Zendesk', { mode: 'zendesk', username: 'agent@example.com', password: 'tok' }, (url) => ({ kind: 'zendesk', baseUrl: url, email: 'agent@example.com', apiToken: 'tok', timeoutMs: 150 }), /^\d+$/],
  ['the signed webhook', { mode: 'webhook', secret: 'shared-secret-of-some-length' }, (url) => ({ kind: 'webhook', url: `${url}/hooks/cases`, secret: 'shared-secret-of-some-length', timeoutMs: 150 }), /^HD-\d{4}$/],
])('Tickets to %s', (_name, helpdeskOptions, settings, referenceShape) => {
  let dir: string;
  let helpdesk: FakeHelpdesk;
  let store: SqliteDeliveryStore;
  let dispatcher: DeliveryDispatcher;
  let told: { caseId: string; event: SettleEvent; reference?: string }[];
  let texts: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesks-'));
    helpdesk = await FakeHelpdesk.start(helpdeskOptions);
    store = new SqliteDeliveryStore(join(dir, 'bot.sqlite'));
    told = [];
    texts = [];
    const tickets = ticketHandler(createTicketClient(settings(helpdesk.url)), { send: async (_conversation, text) => void texts.push(text) }, { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAgeMs: 60_000 } });
    dispatcher = new DeliveryDispatcher({
      store,
      handlers: {
        ticket: {
          ...tickets,
          settle: async (entry, event) => {
            await tickets.settle!(entry, event);
            told.push({ caseId: entry.id, event, ...(entry.reference ? { reference: entry.reference } : {}) });
          },
        },
      },
      pollIntervalMs: 10,
      attemptTimeoutMs: 1_000,
    });
    dispatcher.start();
  });

  afterEach(async () => {
    await dispatcher.stop();
    store.close();
    await helpdesk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('When the first answer is slower than the timeout and then come 500s, Then there is one ticket and the user is told its reference once', async () => {
    helpdesk.delayNext(1, 500);
    const caseIds = ['hd-1', 'hd-2'];
    await dispatcher.enqueue(ticket('hd-1'));
    await eventually(() => helpdesk.tickets.length === 1, 'first ticket created');
    helpdesk.failNext(2, 500);
    await dispatcher.enqueue({ ...ticket('hd-2'), payload: makeCase('hd-2', { error: undefined, reason: 'not-covered' }) });
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
    expect((await store.get('hd-1'))!.attempts).toBeGreaterThanOrEqual(2);
    // In either order: the second case may well be delivered before the first one's retry.
    expect([...texts].sort()).toEqual(caseIds.map((caseId) => HANDOFF_TEXTS.en.messages.delivered(helpdesk.ticketsFor(caseId)[0]!.reference)).sort());
    if (helpdeskOptions.secret !== undefined) {
      // Every attempt (retries too) is signed, and every signature checks out.
      expect(helpdesk.requests.length).toBeGreaterThanOrEqual(4);
      expect(helpdesk.requests.every((request) => request.signatureValid === true)).toBe(true);
    }
  });

  it('When the credentials are refused, Then the case fails at once and the user is told once', async () => {
    helpdesk.failNext(1, 403);
    await dispatcher.enqueue(ticket('hd-403'));
    await eventually(() => told.length === 1, 'notified');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(told).toEqual([{ caseId: 'hd-403', event: 'failed' }]);
    expect(helpdesk.requests).toHaveLength(1);
  });
});
