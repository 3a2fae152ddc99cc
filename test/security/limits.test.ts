/**
 * The limits of POST /api/messages: the rate per conversation (the sliding
 * window on its own with a fake clock, then over HTTP: 429 with Retry-After and
 * no turn), and the length of a message (answered in the user's language,
 * kept out of state, and the walk goes on after it).
 */
import net from 'node:net';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { MAX_BODY_BYTES, MAX_MESSAGE_TEXT_BYTES, REQUEST_TIMEOUT_MS, SlidingWindowRateLimiter, activityProblem } from '../../src/entry-points/http/request-limits';
import { buttonsOf, lastCard } from '../support/bot-conversation';
import { HttpBotConversation, postActivity } from '../support/http-bot-client';
import { KB, recordingLogger, type RecordingLogger } from '../support/bad-inputs';

describe('SlidingWindowRateLimiter', () => {
  function limiterAt(limit: number, maxKeys = 1000) {
    const clock = { now: 1_000_000 };
    return { clock, limiter: new SlidingWindowRateLimiter(limit, 60_000, maxKeys, () => clock.now) };
  }

  test('counts up to the limit, then refuses with the time until one more fits', () => {
    const { clock, limiter } = limiterAt(3);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    // The full window becomes the previous one after 60 s and slides out: 3 × (1 − 20/60) = 2, room for one at 80 s.
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 80 });
    clock.now += 79_000;
    expect(limiter.take('a').allowed).toBe(false);
    clock.now += 1_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  test('slides: half a minute into the next window, half of the last minute still counts', () => {
    const { clock, limiter } = limiterAt(60);
    for (let i = 0; i < 60; i++) expect(limiter.take('a').allowed).toBe(true);
    clock.now += 90_000;
    let allowed = 0;
    while (limiter.take('a').allowed) allowed += 1;
    expect(allowed).toBe(30);
  });

  test('refused requests are not counted, and each key has its own window', () => {
    const { limiter } = limiterAt(2);
    limiter.take('a');
    limiter.take('a');
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  test('release gives the place back once (a request that turned out to be unauthenticated)', () => {
    const { limiter } = limiterAt(1);
    const first = limiter.take('a');
    expect(first.allowed).toBe(true);
    if (first.allowed) {
      first.release();
      first.release();
    }
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  test('tracks at most maxKeys keys, forgetting the least recently seen', () => {
    const { limiter } = limiterAt(1, 100);
    limiter.take('busy');
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`key-${i}`);
      if (i % 50 === 0) limiter.take('busy');
    }
    expect(limiter.size).toBe(100);
    // Seen recently, so still tracked and still limited.
    expect(limiter.take('busy').allowed).toBe(false);
    // Forgotten: starts afresh.
    expect(limiter.take('key-0').allowed).toBe(true);
  });

  test('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowRateLimiter(0)).toThrow(RangeError);
    expect(() => new SlidingWindowRateLimiter(1.5)).toThrow(RangeError);
  });
});

describe('activityProblem', () => {
  const base = () => ({ type: 'message', channelId: 'test', serviceUrl: 'https://example.com/', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' }, text: 'hi' });

  test('accepts an ordinary activity, and a locale that is a language tag', () => {
    expect(activityProblem({ ...base(), locale: 'ja-JP' }, { requireServiceUrl: true })).toBeUndefined();
  });

  test('drops a locale that is no language tag, and changes nothing else', () => {
    const body: Record<string, unknown> = { ...base(), locale: '../../etc/passwd' };
    expect(activityProblem(body, { requireServiceUrl: false })).toBeUndefined();
    expect(body).toEqual(base());
  });

  test('requires the serviceUrl only with auth on', () => {
    const { serviceUrl: _serviceUrl, ...withoutServiceUrl } = base();
    expect(activityProblem(withoutServiceUrl, { requireServiceUrl: false })).toBeUndefined();
    expect(activityProblem(withoutServiceUrl, { requireServiceUrl: true })).toBe('serviceUrl is required');
  });

  test('walks deep bodies without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = [value];
    expect(activityProblem({ ...base(), value }, { requireServiceUrl: false })).toMatch(/nested deeper/);
  });
});

describe('over HTTP', () => {
  let server: RunningServer;
  let storage: SqliteStorage;
  let log: RecordingLogger;

  beforeAll(async () => {
    storage = new SqliteStorage(':memory:');
    log = recordingLogger();
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '5' }), storage, log.logger);
  });
  afterAll(async () => {
    await server?.close();
    storage?.close();
  });

  test('the body limit leaves room for a 1 MB paste to be answered in chat, and receiving a request is time-bound', () => {
    expect(MAX_BODY_BYTES).toBeGreaterThan(1024 * KB + 64 * KB);
    expect(MAX_MESSAGE_TEXT_BYTES).toBe(64 * KB);
    expect(server.server.server.requestTimeout).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS);
    expect(server.server.server.headersTimeout).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS);
  });

  test('a client that stops in the middle of its body holds up nobody else', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /api/messages HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"type":"mess`);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await new HttpBotConversation(server.url, 'en-US', 'slow-neighbour').say('help')).length).toBeGreaterThan(0);
    } finally {
      socket.destroy();
    }
  });

  test('beyond RATE_LIMIT_PER_MINUTE in a conversation: 429 with Retry-After, the bot does not run; other conversations go on', async () => {
    const conversation = new HttpBotConversation(server.url, 'en-US', 'rate-1');
    for (let i = 0; i < 5; i++) await conversation.say('help');
    const turns = log.count('turn');

    const response = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'rate-1-6',
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:1/',
        deliveryMode: 'expectReplies',
        conversation: { id: 'rate-1' },
        from: { id: 'user-rate-1' },
        recipient: { id: 'bot' },
        text: 'help',
      }),
    });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(await response.json()).toMatchObject({ code: 'TooManyRequests' });
    expect(log.count('turn')).toBe(turns);
    expect(log.entries.some((entry) => entry.event === 'request-refused' && entry.fields['status'] === 429)).toBe(true);

    // The same conversation id on another channel is another conversation.
    expect((await postActivity(server.url, { type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1/', deliveryMode: 'expectReplies', conversation: { id: 'rate-1' } as Activity['conversation'], from: { id: 'u' }, recipient: { id: 'bot' }, text: 'help' } as Partial<Activity>)).status).toBe(200);
    expect((await new HttpBotConversation(server.url, 'en-US', 'rate-2').say('help')).length).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('a message longer than 64 KB is answered in chat, the bot does not read it, and state never holds it', async () => {
    const conversation = new HttpBotConversation(server.url, 'en-US', 'long-1');
    const marker = 'marker-of-the-long-paste-1b7c';
    const replies = await conversation.say(`UserErrorGuestAgentStatusUnavailable ${marker}\n${'x '.repeat(50 * KB)}`);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^Your message is 101 KB, more than I read at once \(64 KB\)\. Please paste only the error/);
    const state = await storage.read(['test/conversations/long-1/']);
    expect(JSON.stringify(state)).not.toContain(marker);
    const logged = log.entries.filter((entry) => entry.event === 'message-too-long').at(-1)?.fields;
    expect(logged).toMatchObject({ bytes: Buffer.byteLength(`UserErrorGuestAgentStatusUnavailable ${marker}\n${'x '.repeat(50 * KB)}`), limit: 64 * KB });
    expect(JSON.stringify(log.entries)).not.toContain(marker);
  });

  test('the answer is in the language the user chose, whatever the locale says', async () => {
    const conversation = new HttpBotConversation(server.url, 'en-US', 'long-2');
    await conversation.say('日本語');
    const replies = await conversation.say('UserErrorGuestAgentStatusUnavailable\n'.repeat(3000));
    expect(replies[0]!.text).toMatch(/^メッセージが \d+ KB あり、一度に読める量 \(64 KB\) を超えています。/);
  });

  test('exactly 64 KB is read; the walk goes on after a message that was too long', async () => {
    const conversation = new HttpBotConversation(server.url, 'en-US', 'long-3');
    const line = 'UserErrorGuestAgentStatusUnavailable: VM agent on the Ubuntu VM is unable to communicate with Azure Backup\n';
    const paste = line.repeat(Math.ceil((64 * KB) / line.length)).slice(0, 64 * KB);
    expect(Buffer.byteLength(paste)).toBe(MAX_MESSAGE_TEXT_BYTES);
    const pasted = await conversation.say(paste);
    const card = lastCard(pasted);
    const next = buttonsOf(card).find((button) => button.data.action === 'next');
    expect(next).toBeDefined();

    const refused = await conversation.say(`${paste}!`);
    expect(refused[0]!.text).toMatch(/^Your message is 65 KB/);

    const clicked = await conversation.click(next!.data);
    expect(buttonsOf(lastCard(clicked)).map((button) => button.data.action)).toContain('next');
  });
});
