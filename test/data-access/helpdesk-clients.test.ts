import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTicketClient } from '../../src/data-access/helpdesk/create-ticket-client';
import { ServiceNowTicketClient } from '../../src/data-access/helpdesk/servicenow-client';
import { CASE_PAYLOAD_SCHEMA, WebhookTicketClient, signPayload, verifySignature } from '../../src/data-access/helpdesk/webhook-client';
import { ZendeskTicketClient, zendeskBaseUrl } from '../../src/data-access/helpdesk/zendesk-client';
import { TicketError, parseRetryAfter } from '../../src/domain/handoff/ticket';
import { FakeHelpdesk, makeCase } from '../support/fake-helpdesk';

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TicketError) return error;
    throw error;
  }
  throw new Error('expected a TicketError');
}

describe('WebhookTicketClient', () => {
  let helpdesk: FakeHelpdesk;
  afterEach(async () => {
    await helpdesk.close();
  });

  it('When the helpdesk is up, Then the case is posted with the documented payload and idempotency key, and the reference comes back', async () => {
    helpdesk = await FakeHelpdesk.start();
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    const receipt = await client.create(makeCase('case-1'), { attempt: 1 });
    expect(receipt).toEqual({ reference: 'HD-0001', status: 201 });
    expect(helpdesk.tickets).toHaveLength(1);
    expect(helpdesk.tickets[0]!.body).toEqual({ schema: CASE_PAYLOAD_SCHEMA, case: makeCase('case-1') });
    const [request] = helpdesk.requests;
    expect(request!.headers['idempotency-key']).toBe('case-1');
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request!.headers['x-signature-256']).toBeUndefined();
  });

  it('When the same case is posted again, Then the helpdesk answers the same reference and makes no second ticket', async () => {
    helpdesk = await FakeHelpdesk.start();
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    const first = await client.create(makeCase('case-1'), { attempt: 1 });
    const second = await client.create(makeCase('case-1'), { attempt: 2 });
    expect(second.reference).toBe(first.reference);
    expect(second.status).toBe(200);
    expect(helpdesk.tickets).toHaveLength(1);
  });

  it.each(['id', 'ticketId'] as const)('When the helpdesk answers with %s instead of reference, Then that is the reference', async (field) => {
    helpdesk = await FakeHelpdesk.start({ referenceField: field });
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    expect((await client.create(makeCase('case-1'), { attempt: 1 })).reference).toBe('HD-0001');
  });

  it('When a secret is set, Then every request is signed over "<timestamp>.<raw body>" and the helpdesk verifies it', async () => {
    helpdesk = await FakeHelpdesk.start({ secret: 'a-long-shared-secret' });
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl, secret: 'a-long-shared-secret' });
    await client.create(makeCase('case-1'), { attempt: 1 });
    const [request] = helpdesk.requests;
    expect(request!.signatureValid).toBe(true);
    expect(request!.headers['x-signature-timestamp']).toMatch(/^\d{10}$/);
    expect(request!.headers['x-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('When the secret is wrong, Then the helpdesk refuses (401) and that is a permanent failure', async () => {
    helpdesk = await FakeHelpdesk.start({ secret: 'the-right-secret' });
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl, secret: 'the-wrong-secret' });
    const error = await failure(client.create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass: 'rejected', retryable: false, status: 401 });
    expect(helpdesk.requests[0]!.signatureValid).toBe(false);
    expect(helpdesk.tickets).toHaveLength(0);
  });

  it.each([
    [500, 'server-error', true],
    [503, 'server-error', true],
    [408, 'request-timeout', true],
    [409, 'conflict', true],
    [429, 'throttled', true],
    [400, 'rejected', false],
    [403, 'rejected', false],
    [404, 'rejected', false],
    [422, 'rejected', false],
  ])('When the helpdesk answers %i, Then the error is %s (retryable: %s)', async (status, errorClass, retryable) => {
    helpdesk = await FakeHelpdesk.start();
    helpdesk.failNext(1, status);
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    const error = await failure(client.create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass, retryable, status });
    expect(error.message).not.toContain('injected');
  });

  it('When the helpdesk answers 429 with Retry-After, Then the error carries the delay', async () => {
    helpdesk = await FakeHelpdesk.start();
    helpdesk.failNext(1, 429, { 'retry-after': '7' });
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    expect(await failure(client.create(makeCase('case-1'), { attempt: 1 }))).toMatchObject({ errorClass: 'throttled', retryAfterMs: 7_000 });
  });

  it('When the helpdesk answers slower than the timeout, Then it is a retryable timeout (and the ticket exists anyway)', async () => {
    helpdesk = await FakeHelpdesk.start();
    helpdesk.delayNext(1, 1_000);
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl, timeoutMs: 100 });
    const started = Date.now();
    const error = await failure(client.create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(800);
    expect(helpdesk.tickets).toHaveLength(1);
  });

  it('When the helpdesk is down, Then it is a retryable network error', async () => {
    helpdesk = await FakeHelpdesk.start();
    await helpdesk.down();
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl });
    expect(await failure(client.create(makeCase('case-1'), { attempt: 1 }))).toMatchObject({ errorClass: 'network', retryable: true });
  });

  it('When the attempt is aborted from outside, Then it is a retryable abort', async () => {
    helpdesk = await FakeHelpdesk.start();
    helpdesk.delayNext(1, 500);
    const client = new WebhookTicketClient({ url: helpdesk.webhookUrl, timeoutMs: 5_000 });
    expect(await failure(client.create(makeCase('case-1'), { attempt: 1, signal: AbortSignal.timeout(50) }))).toMatchObject({ errorClass: 'aborted', retryable: true });
  });
});

describe('WebhookTicketClient against odd answers', () => {
  let server: Server;
  let url: string;
  let answer: (response: ServerResponse) => void;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => answer(response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('When a 2xx has no reference, Then it is a permanent bad-response', async () => {
    // Not chained: restify (loaded by other test files in the same jest worker) patches
    // http.ServerResponse.prototype.writeHead to return nothing.
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>ok</html>');
    };
    const error = await failure(new WebhookTicketClient({ url }).create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass: 'bad-response', retryable: false, status: 200 });
  });

  it('When the helpdesk redirects, Then the redirect is not followed and it is a permanent failure', async () => {
    answer = (response) => {
      response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      response.end();
    };
    const error = await failure(new WebhookTicketClient({ url }).create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass: 'unexpected-status', retryable: false, status: 302 });
  });

  it('When the helpdesk sends headers then stalls the body, Then the timeout still applies', async () => {
    answer = (response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"refer');
    };
    const error = await failure(new WebhookTicketClient({ url, timeoutMs: 100 }).create(makeCase('case-1'), { attempt: 1 }));
    expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
  });
});

describe('webhook signature helpers', () => {
  it('When a receiver verifies a signature, Then the right secret and a fresh timestamp pass, anything else fails', () => {
    const body = JSON.stringify({ schema: CASE_PAYLOAD_SCHEMA, case: makeCase('case-1') });
    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signature = signPayload('secret', Number(timestamp), body);
    expect(verifySignature('secret', { timestamp, signature }, body, now)).toBe(true);
    expect(verifySignature('other', { timestamp, signature }, body, now)).toBe(false);
    expect(verifySignature('secret', { timestamp, signature }, `${body} `, now)).toBe(false);
    expect(verifySignature('secret', { timestamp, signature }, body, now + 301_000)).toBe(false);
    expect(verifySignature('secret', { timestamp: undefined, signature }, body, now)).toBe(false);
  });

  it('When Retry-After is seconds or a date, Then it is read as milliseconds', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('ServiceNowTicketClient', () => {
  let helpdesk: FakeHelpdesk;
  beforeEach(async () => {
    helpdesk = await FakeHelpdesk.start({ mode: 'servicenow', username: 'bot', password: 'pw' });
  });
  afterEach(async () => {
    await helpdesk.close();
  });
  const client = (timeoutMs = 2_000): ServiceNowTicketClient => new ServiceNowTicketClient({ instanceUrl: helpdesk.url, username: 'bot', password: 'pw', urgency: 2, timeoutMs });

  it('When a case is sent, Then an incident is created with the summary, the case id as correlation id and the urgency, and its number is the reference', async () => {
    const receipt = await client().create(makeCase('case-1'), { attempt: 1 });
    expect(receipt).toEqual({ reference: 'INC0010001', status: 201 });
    expect(helpdesk.tickets[0]!.body).toEqual({
      short_description: 'Azure VM Backup: VM Agent unable to communicate with Azure Backup [case-1]',
      description: makeCase('case-1').summary,
      correlation_id: 'case-1',
      correlation_display: 'azure-backup-troubleshooter',
      urgency: '2',
    });
    expect(helpdesk.requests.map((request) => request.method)).toEqual(['POST']);
  });

  it('When a retry finds the incident the timed-out first attempt created, Then it answers that incident and creates none', async () => {
    helpdesk.delayNext(1, 500);
    expect(await failure(client(100).create(makeCase('case-1'), { attempt: 1 }))).toMatchObject({ errorClass: 'timeout' });
    const receipt = await client().create(makeCase('case-1'), { attempt: 2 });
    expect(receipt).toEqual({ reference: 'INC0010001', status: 200, existing: true });
    expect(helpdesk.tickets).toHaveLength(1);
    expect(helpdesk.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  it('When a retry finds nothing, Then it creates the incident', async () => {
    const receipt = await client().create(makeCase('case-1'), { attempt: 3 });
    expect(receipt.reference).toBe('INC0010001');
    expect(helpdesk.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
  });

  it('When the credentials are wrong, Then it is a permanent rejection', async () => {
    const wrong = new ServiceNowTicketClient({ instanceUrl: helpdesk.url, username: 'bot', password: 'nope' });
    expect(await failure(wrong.create(makeCase('case-1'), { attempt: 1 }))).toMatchObject({ errorClass: 'rejected', retryable: false, status: 401 });
  });
});

describe('ZendeskTicketClient', () => {
  let helpdesk: FakeHelpdesk;
  beforeEach(async () => {
    helpdesk = await FakeHelpdesk.start({ mode: 'zendesk', username: 'agent@example.com', password: 'tok' });
  });
  afterEach(async () => {
    await helpdesk.close();
  });
  const client = (timeoutMs = 2_000): ZendeskTicketClient => new ZendeskTicketClient({ baseUrl: helpdesk.url, email: 'agent@example.com', apiToken: 'tok', timeoutMs });

  it('When a case is sent, Then a ticket is created with subject, comment, external id, tags and the idempotency key, and its id is the reference', async () => {
    const receipt = await client().create(makeCase('case-1'), { attempt: 1 });
    expect(receipt).toEqual({ reference: '1001', status: 201 });
    expect(helpdesk.tickets[0]!.body).toEqual({
      ticket: {
        subject: 'Azure VM Backup: VM Agent unable to communicate with Azure Backup [case-1]',
        comment: { body: makeCase('case-1').summary },
        external_id: 'case-1',
        tags: ['azure-backup-troubleshooter', 'handoff-exhausted', 'error-agent-unreachable'],
      },
    });
    expect(helpdesk.requests[0]!.headers['idempotency-key']).toBe('case-1');
  });

  it('When the first attempt timed out after Zendesk created the ticket, Then the retry gets the same ticket and none is added', async () => {
    helpdesk.delayNext(1, 500);
    expect(await failure(client(100).create(makeCase('case-1'), { attempt: 1 }))).toMatchObject({ errorClass: 'timeout' });
    const receipt = await client().create(makeCase('case-1'), { attempt: 2 });
    expect(receipt).toMatchObject({ reference: '1001', existing: true });
    expect(helpdesk.tickets).toHaveLength(1);
  });

  it('When the subdomain is given, Then the base URL is https://<subdomain>.zendesk.com', () => {
    expect(zendeskBaseUrl('Contoso')).toBe('https://contoso.zendesk.com');
    expect(() => zendeskBaseUrl('evil.com/x')).toThrow('HELPDESK_ZENDESK_SUBDOMAIN');
  });
});

describe('createTicketClient', () => {
  it('When a kind is configured, Then the matching client is made', () => {
    expect(createTicketClient({ kind: 'webhook', url: 'https://helpdesk.example/hook' }).kind).toBe('webhook');
    expect(createTicketClient({ kind: 'servicenow', instanceUrl: 'https://x.service-now.com', username: 'u', password: 'p' }).kind).toBe('servicenow');
    expect(createTicketClient({ kind: 'zendesk', baseUrl: 'https://x.zendesk.com', email: 'e', apiToken: 't' }).kind).toBe('zendesk');
    expect(() => createTicketClient({ kind: 'webhook', url: 'ftp://x' })).toThrow('HELPDESK_WEBHOOK_URL');
  });
});
