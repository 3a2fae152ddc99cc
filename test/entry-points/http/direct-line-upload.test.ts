/**
 * The local Direct Line's upload route, as Web Chat uses it: the message and
 * its file in one multipart request → the file kept in memory → the bot's turn
 * with an attachment whose contentUrl is a loopback URL that serves the same
 * bytes. The OCR here is a fake port that records what it was given: the real
 * engine is covered elsewhere; this is about the bytes' way to the bot.
 */
import { loadConfig } from '../../../src/config';
import { SqliteStorage } from '../../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../../src/entry-points/http/server';
import { UploadStore } from '../../../src/entry-points/http/direct-line/upload-store';
import { MAX_UPLOAD_BODY_BYTES } from '../../../src/entry-points/http/direct-line/multipart-upload';
import { ImageReadError, type ImageText } from '../../../src/domain/paste/ocr/read-image-text';
import { silentLogger } from '../../../src/logger';
import { cardsIn, DirectLineTestClient, type DirectLineActivityJson } from '../../support/direct-line-client';

/** A 1×1 PNG: only its header matters to the bot before the (fake) OCR. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A picture the fake OCR treats as arriving while every engine is busy. */
const BUSY_PNG = Buffer.concat([PNG, Buffer.from('busy')]);

/** The request botframework-directlinejs makes for a message with one file. */
function uploadForm(text: string, file: Buffer, contentType = 'image/png', thumbnailUrl = 'data:image/jpeg;base64,AAAA'): FormData {
  const form = new FormData();
  const activity = { type: 'message', text, from: { id: 'someone-else', role: 'user' }, attachments: [{ contentType, name: 'portal.png', thumbnailUrl }] };
  form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  form.append('file', new Blob([file], { type: contentType }), 'portal.png');
  return form;
}

describe('Uploading a picture through the local Direct Line', () => {
  let running: RunningServer;
  let storage: SqliteStorage;
  const read: Uint8Array[] = [];

  beforeAll(async () => {
    storage = new SqliteStorage(':memory:');
    const readImageText = async (bytes: Uint8Array): Promise<ImageText> => {
      if (Buffer.from(bytes).equals(BUSY_PNG)) throw new ImageReadError('busy', 'every OCR engine is busy');
      read.push(bytes);
      return { text: 'Error code\nUserErrorGuestAgentStatusUnavailable', languageHint: 'en', ms: 1 };
    };
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), storage, silentLogger, { readImageText });
  });

  afterAll(async () => {
    await running?.close();
    storage?.close();
  });

  async function openClient(): Promise<DirectLineTestClient> {
    const client = new DirectLineTestClient(running.url);
    await client.open('en-US');
    await client.pollUntil((activities) => activities.some((activity) => activity.from.role === 'bot'));
    return client;
  }

  const upload = (client: DirectLineTestClient, body: FormData | string, token = client.token, headers: Record<string, string> = {}) =>
    fetch(`${client.domain}/conversations/${client.conversationId}/upload?userId=someone-else`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });

  test('When Web Chat uploads a screenshot with a message, Then the bot reads those very bytes from a loopback URL and recognises the error', async () => {
    const client = await openClient();
    const answer = await upload(client, uploadForm('see the screenshot', PNG));
    expect(answer.status).toBe(200);
    const turn = await client.pollUntil((activities) => activities.some((activity) => activity.from.role === 'bot' && (activity.attachments?.length ?? 0) > 0));
    const echo = turn.find((activity) => activity.from.role === 'user') as DirectLineActivityJson;
    expect(echo.text).toBe('see the screenshot');
    expect(echo.from.id).not.toBe('someone-else');
    expect(echo.attachments).toEqual([
      { contentType: 'image/png', name: 'portal.png', contentUrl: expect.stringMatching(new RegExp(`^${running.url}/v3/directline/attachments/[A-Za-z0-9_-]{24}$`)), thumbnailUrl: 'data:image/jpeg;base64,AAAA' },
    ]);
    expect(Buffer.from(read.at(-1)!)).toEqual(PNG);
    expect(JSON.stringify(cardsIn(turn))).toContain('Read from the image and your message:');

    const served = await fetch(echo.attachments![0]!.contentUrl!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    expect((await fetch(`${running.url}/v3/directline/attachments/not-a-file`)).status).toBe(404);
  });

  test('When the upload names a thumbnail that is not a picture\'s data: URL, Then the echo leaves it out', async () => {
    const client = await openClient();
    for (const thumbnailUrl of ['https://elsewhere.example/x.png', 'data:text/html;base64,PHNjcmlwdD4=', `data:image/png;base64,${'A'.repeat(300_000)}`]) {
      expect((await upload(client, uploadForm('', PNG, 'image/png', thumbnailUrl))).status).toBe(200);
    }
    const turn = await client.pollUntil((activities) => activities.filter((activity) => activity.from.role === 'user' && (activity.attachments?.length ?? 0) > 0).length >= 3);
    for (const echo of turn.filter((activity) => activity.from.role === 'user' && activity.attachments)) expect(echo.attachments![0]).not.toHaveProperty('thumbnailUrl');
  });

  test('When every OCR engine is busy, Then the user hears "send it again in a moment" (after a typing indicator), and nothing else happens', async () => {
    const client = await openClient();
    expect((await upload(client, uploadForm('', BUSY_PNG))).status).toBe(200);
    const turn = await client.pollUntil((activities) => activities.some((activity) => activity.from.role === 'bot' && activity.type === 'message'));
    const fromBot = turn.filter((activity) => activity.from.role === 'bot');
    expect(fromBot.map((activity) => activity.type)).toEqual(['typing', 'message']);
    expect(fromBot[1]!.text).toBe('I am busy reading other pictures right now: send it again in a moment, or paste the error message.');
  });

  test('When an upload has no valid token, is not multipart, or is too large, Then it is refused and the bot is not called', async () => {
    const client = await openClient();
    const before = read.length;
    expect((await upload(client, uploadForm('x', PNG), 'forged')).status).toBe(403);
    expect((await upload(client, '{"type":"message"}', client.token, { 'content-type': 'application/json' })).status).toBe(415);
    expect((await upload(client, uploadForm('x', Buffer.alloc(MAX_UPLOAD_BODY_BYTES + 1)))).status).toBe(413);
    const noActivity = new FormData();
    noActivity.append('file', new Blob([PNG], { type: 'image/png' }), 'x.png');
    expect((await upload(client, noActivity)).status).toBe(400);
    expect(read.length).toBe(before);
  });
});

describe('UploadStore', () => {
  test('When files outgrow the count or the bytes, Then the oldest go first; when they expire, Then they are gone', () => {
    let now = 0;
    const store = new UploadStore({ maxFiles: 2, maxBytes: 100, ttlMs: 1_000 }, () => now);
    const a = store.put(new Uint8Array(40), 'image/png', 'c1')!;
    const b = store.put(new Uint8Array(40), 'image/png', 'c1')!;
    const c = store.put(new Uint8Array(40), 'image/png', 'c2')!;
    expect([store.get(a), store.get(b) !== undefined, store.get(c) !== undefined]).toEqual([undefined, true, true]);
    const d = store.put(new Uint8Array(70), 'image/png', 'c2')!;
    expect(store.get(b) === undefined && store.get(c) === undefined && store.get(d) !== undefined).toBe(true);
    expect(store.storedBytes).toBe(70);
    expect(store.put(new Uint8Array(101), 'image/png', 'c3')).toBeUndefined();
    now = 1_000;
    expect(store.get(d)).toBeUndefined();
    expect(store.size).toBe(0);
  });
});
