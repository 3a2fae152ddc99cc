/**
 * Bad input over HTTP, data-driven (test/support/bad-inputs.ts): the real server
 * on a loopback port, auth off, SQLite state. For each input the server answers
 * the expected 4xx, or 200 with a sensible reply (never the apology of a failed
 * turn), no turn fails and nothing is logged as an error; then the process is
 * still healthy (/healthz) and a normal paste → card → click flow works in the
 * same conversation (a fresh one where the input had no usable conversation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { buttonsOf, lastCard } from '../support/bot-conversation';
import { BAD_INPUTS, ConnectorSink, DEFAULT_MAX_MS, isApology, recordingLogger, sendRaw, type BadInput, type InputContext, type RecordingLogger } from '../support/bad-inputs';

/** Another error than the inputs paste, with the guest OS: the flow after an input goes straight to a cause card (or offers to switch). */
const FOLLOW_UP_PASTE = 'Snapshot operation failed: ExtensionSnapshotFailedNoNetwork on Windows Server 2019';

let server: RunningServer;
let storage: SqliteStorage;
let sink: ConnectorSink;
let log: RecordingLogger;
let dataDir: string;
let counter = 0;

function contextFor(input: BadInput): InputContext {
  counter += 1;
  const conversationId = `bad-${counter}`;
  const userId = `user-${conversationId}`;
  return {
    conversationId,
    userId,
    serviceUrl: sink.url,
    baseUrl: server.url,
    activity(fields = {}) {
      const activity: Record<string, unknown> = {
        type: 'message',
        id: `${conversationId}-0`,
        channelId: input.channelId ?? 'test',
        serviceUrl: sink.url,
        deliveryMode: 'expectReplies',
        conversation: { id: conversationId },
        from: { id: userId, name: 'User' },
        recipient: { id: 'bot', name: 'Bot' },
        locale: input.locale ?? 'en-US',
        text: 'hello',
      };
      // A field set to undefined is left out.
      return Object.fromEntries(Object.entries({ ...activity, ...fields }).filter(([, value]) => value !== undefined));
    },
  };
}

let sequence = 0;
/** One turn of the normal flow after the input, in the same conversation. */
async function turn(input: BadInput, context: InputContext, fields: Partial<Activity>): Promise<Partial<Activity>[]> {
  sequence += 1;
  const response = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...context.activity({ id: `${context.conversationId}-${sequence}`, locale: input.locale ?? 'en-US' }), ...fields }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the flow after "${input.name}" got ${response.status}: ${text.slice(0, 200)}`);
  const activities = (JSON.parse(text) as { activities: Partial<Activity>[] }).activities;
  const apology = activities.find((activity) => isApology(activity.text));
  if (apology) throw new Error(`the flow after "${input.name}" failed: ${apology.text}`);
  return activities;
}

function readable(activities: Partial<Activity>[]): string {
  return activities.map((activity) => activity.text ?? JSON.stringify(activity.attachments?.[0]?.content ?? activity.value ?? activity.type)).join('\n');
}

beforeAll(async () => {
  // botbuilder's adapter writes refused bodies to console.warn / console.error; the assertions say what matters.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  dataDir = mkdtempSync(join(tmpdir(), 'bad-input-'));
  storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
  sink = await ConnectorSink.start();
  log = recordingLogger();
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), storage, log.logger);
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  storage?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

test('the suite has at least 100 inputs, each named once', () => {
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(100);
  expect(new Set(BAD_INPUTS.map((input) => input.name)).size).toBe(BAD_INPUTS.length);
});

describe.each(BAD_INPUTS.map((input) => [input.name, input] as const))('%s', (_name, input) => {
  test('a 4xx or a sensible answer, in time; then healthy, and paste → card → click works', async () => {
    const context = contextFor(input);
    const startedAt = Date.now();
    const sinkBefore = sink.received.length;
    const failedBefore = log.count('turn-failed');
    const errorsBefore = log.entries.filter((entry) => entry.level === 'error').length;
    const send = input.send(context);

    if (send.kind === 'raw') {
      const answer = await sendRaw(server.url, send.bytes, { halfClose: send.halfClose ?? false });
      if (answer.status !== undefined) {
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
    } else {
      const response = await fetch(`${server.url}${send.path ?? '/api/messages'}`, {
        method: send.method ?? 'POST',
        ...(send.headers ? { headers: send.headers } : {}),
        ...(send.body !== undefined ? { body: send.body } : {}),
        ...(send.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
      const text = await response.text();
      const expectation = input.expect;
      if ('status' in expectation) {
        expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: expectation.status, body: expect.any(String) });
      } else {
        expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: 200, body: expect.any(String) });
        const activities = text === '' ? [] : (JSON.parse(text) as { activities?: Partial<Activity>[] }).activities ?? [];
        expect(activities.filter((activity) => isApology(activity.text))).toEqual([]);
        // Whatever the bot sends is a message with something in it, or an invoke's response.
        const proper = (activity: Partial<Activity>) =>
          activity.type === 'invokeResponse' || (activity.type === 'message' && (Boolean(activity.text) || (activity.attachments?.length ?? 0) > 0));
        expect(activities.filter((activity) => !proper(activity))).toEqual([]);
        if ('reply' in expectation) {
          expect(activities.filter((activity) => activity.type === 'message').length).toBeGreaterThan(0);
          if (expectation.includes) expect(readable(activities)).toMatch(expectation.includes);
        }
        if ('replyViaConnector' in expectation) {
          expect(text).toBe('');
          const posted = sink.received.slice(sinkBefore).filter((entry) => entry.path.includes(`/v3/conversations/${context.conversationId}/activities`));
          expect(posted.length).toBeGreaterThan(0);
        }
      }
    }
    expect(Date.now() - startedAt).toBeLessThan(input.maxMs ?? DEFAULT_MAX_MS);

    expect(log.count('turn-failed')).toBe(failedBefore);
    expect(log.entries.filter((entry) => entry.level === 'error').slice(errorsBefore)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);

    const pasted = await turn(input, context, { text: FOLLOW_UP_PASTE });
    const card = lastCard(pasted);
    const button = buttonsOf(card).find((candidate) => ['next', 'switch-error', 'choose-os'].includes(candidate.data.action));
    expect(button).toBeDefined();
    const clicked = await turn(input, context, { text: '', value: button!.data });
    expect(clicked.length).toBeGreaterThan(0);
    expect(log.count('turn-failed')).toBe(failedBefore);
  });
});
