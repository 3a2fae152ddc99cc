/**
 * The local Direct Line stand-in over real HTTP on loopback. First with the
 * whole bot (the real server, SQLite state): start, welcome, paste, replies by
 * watermark, a click. Then on a test server with a scripted bot and a fake
 * clock, for what the real bot does not do on demand: updates in place,
 * failures, expiry and the bounds on what is kept.
 */
import { startTestBotServer, type TestBotServer } from '../../support/test-bot-server';
import restify, { type Server } from 'restify';
import { loadConfig } from '../../../src/config';
import { SqliteStorage } from '../../../src/data-access/sqlite-storage';
import { CARD_TEXTS } from '../../../src/domain/i18n/card-texts';
import { mountLocalDirectLine, type LocalDirectLine } from '../../../src/entry-points/http/direct-line/local-direct-line';
import { startServer, type RunningServer } from '../../../src/entry-points/http/server';
import { silentLogger } from '../../../src/logger';
import { button, buttonsOf } from '../../support/bot-conversation';
import { call, cardsIn, claimsOf, DirectLineTestClient, type DirectLineActivityJson } from '../../support/direct-line-client';

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';

function textOfCards(activities: readonly DirectLineActivityJson[]): string {
  return JSON.stringify(cardsIn(activities));
}

const fromBot = (activity: DirectLineActivityJson) => activity.from.role === 'bot';

describe('the local Direct Line with the whole bot', () => {
  let server: TestBotServer;

  beforeAll(async () => {
    server = await startTestBotServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('When a token is generated, Then it is bound to a new conversation and a dl_ user id', async () => {
    const answer = await call<{ token: string; conversationId: string; expires_in: number }>(`${server.url}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.body.expires_in).toBe(1800);
    const claims = claimsOf(answer.body.token);
    expect(claims['conv']).toBe(answer.body.conversationId);
    expect(claims['user']).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
  });

  it('When a conversation starts, Then the bot greets the user with its welcome card in the page\'s language', async () => {
    const client = new DirectLineTestClient(server.url);
    expect(await client.open('ja-JP')).toBe(201);

    const welcome = await client.pollUntil((activities) => activities.some(fromBot));
    expect(textOfCards(welcome)).toContain(CARD_TEXTS.ja.welcome.title);
    const [card] = welcome;
    expect(card).toMatchObject({ type: 'message', channelId: 'webchat', conversation: { id: client.conversationId }, from: { role: 'bot' }, locale: 'ja-JP' });
    expect(card!.id).toMatch(new RegExp(`^${client.conversationId}\\|\\d{7}$`));
    expect(Number.isNaN(Date.parse(card!.timestamp))).toBe(false);
    expect(card!.recipient).toMatchObject({ id: claimsOf(client.token)['user'], role: 'user' });
  });

  it('When the conversation is started again, Then it is the same one and the bot does not greet twice', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open('en-US');
    await client.pollUntil((activities) => activities.some(fromBot));
    const again = await call<{ conversationId: string }>(`${client.domain}/conversations`, { method: 'POST', token: client.token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.conversationId).toBe(client.conversationId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await client.fetch()).body.activities).toEqual([]);
  });

  it('When the user posts a paste, Then the echo and the bot\'s replies come after the watermark, each in order, each once', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open('en-US');
    await client.pollUntil((activities) => activities.some(fromBot));
    const before = client.watermark;

    const posted = await client.say('UserErrorGuestAgentStatusUnavailable');
    expect(posted.status).toBe(200);
    const turn = await client.pollUntil((activities) => activities.filter(fromBot).length >= 2);

    const [echo, ...replies] = turn;
    expect(echo).toMatchObject({ id: posted.body.id, type: 'message', text: 'UserErrorGuestAgentStatusUnavailable', channelId: 'webchat', locale: 'en-US' });
    // The token says who the user is, whatever the activity claimed.
    expect(echo!.from).toEqual({ id: claimsOf(client.token)['user'], role: 'user' });
    expect(replies.every((reply) => reply.replyToId === posted.body.id && fromBot(reply))).toBe(true);
    expect(textOfCards(replies)).toContain(CARD_TEXTS.en.recognised.title);
    expect(textOfCards(replies)).toContain(CARD_TEXTS.en.chooseOs.title);

    const ids = turn.map((activity) => Number(activity.id.split('|')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Number(client.watermark)).toBeGreaterThan(Number(before));
    expect((await client.fetch()).body).toEqual({ activities: [], watermark: client.watermark });
    const everything = await client.fetchFrom(undefined);
    expect(everything.body.activities.map((activity) => activity.id)).toEqual(expect.arrayContaining(turn.map((activity) => activity.id)));
  });

  it('When the user clicks a card\'s button, Then its value reaches the bot and the walk goes on', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open('en-US');
    await client.say('ExtensionSnapshotFailedNoNetwork');
    const replies = await client.pollUntil((activities) => activities.filter(fromBot).length >= 3);
    const osCard = cardsIn(replies).find((card) => buttonsOf(card).some((candidate) => candidate.data.action === 'choose-os'))!;

    expect((await client.click({ ...button(osCard, 'choose-os', { os: 'linux' }) })).status).toBe(200);
    const cause = await client.pollUntil((activities) => activities.some(fromBot));
    expect(textOfCards(cause)).toMatch(/Cause 1 of \d/);
  });

  it('When the conversation is unknown, Then polling, posting and the bot\'s replies get 404', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open();
    const unknown = `${server.url}/v3/directline/conversations/no-such-conversation/activities`;
    expect((await call(unknown, { token: client.token })).status).toBe(404);
    expect((await call(unknown, { method: 'POST', token: client.token, body: { type: 'message', text: 'hi' } })).status).toBe(404);
    expect((await call(`${server.url}/v3/conversations/no-such-conversation/activities`, { method: 'POST', body: { type: 'message', text: 'x' } })).status).toBe(404);
  });

  it('When the token is missing, forged or for another conversation, Then the request is refused with 403', async () => {
    const mine = new DirectLineTestClient(server.url);
    const theirs = new DirectLineTestClient(server.url);
    await mine.open();
    await theirs.open();
    const url = `${mine.domain}/conversations/${mine.conversationId}/activities`;
    expect((await call(url)).status).toBe(403);
    expect((await call(url, { token: theirs.token })).status).toBe(403);
    const [header, payload] = mine.token.split('.');
    expect((await call(url, { token: `${header}.${payload}.forged` })).status).toBe(403);
    expect((await call(url, { token: mine.token })).status).toBe(200);
  });

  it('When an activity is not one a client may send, Then it is refused with 400 and never reaches the bot', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open();
    expect((await client.post({ type: 'invoke', name: 'x' })).status).toBe(400);
    expect((await call(`${client.domain}/conversations/${client.conversationId}/activities?watermark=abc`, { token: client.token })).status).toBe(400);
  });

  it('When the token is refreshed, Then the new one works for the same conversation', async () => {
    const client = new DirectLineTestClient(server.url);
    await client.open();
    const refreshed = await call<{ token: string; conversationId: string }>(`${client.domain}/tokens/refresh`, { method: 'POST', token: client.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(client.conversationId);
    expect(refreshed.body.token).not.toBe(client.token);
    expect((await call(`${client.domain}/conversations/${client.conversationId}/activities`, { token: refreshed.body.token })).status).toBe(200);
  });
});

describe('the local Direct Line with auth on', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' }), new SqliteStorage(':memory:'), silentLogger);
  });
  afterAll(() => server.close());

  it('When the bot has an app id, Then the stand-in and its connector routes are not there', async () => {
    expect((await call(`${server.url}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(404);
    expect((await call(`${server.url}/v3/directline/conversations`, { method: 'POST', body: {} })).status).toBe(404);
    expect((await call(`${server.url}/v3/conversations/x/activities`, { method: 'POST', body: { type: 'message' } })).status).toBe(404);
  });
});

/** A bot scripted by the test: it answers through the connector routes over HTTP, as CloudAdapter does. */
interface ScriptedBot {
  received: Record<string, unknown>[];
  status: number;
  /** How many turns ran at once, at most. */
  maxConcurrent: number;
  reply: (activity: Record<string, unknown>) => Promise<void>;
}

function replyUrl(activity: Record<string, unknown>, path = ''): string {
  const conversation = (activity['conversation'] as { id: string }).id;
  return `${String(activity['serviceUrl']).replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(conversation)}/activities${path}`;
}

async function sendReply(activity: Record<string, unknown>, text: string): Promise<string> {
  const answer = await call<{ id: string }>(replyUrl(activity, `/${encodeURIComponent(String(activity['id']))}`), {
    method: 'POST',
    body: { type: 'message', text, from: activity['recipient'], recipient: activity['from'], conversation: activity['conversation'], serviceUrl: activity['serviceUrl'] },
  });
  if (answer.status !== 200) throw new Error(`reply answered ${answer.status}`);
  return answer.body.id;
}

describe('the local Direct Line with a scripted bot and a fake clock', () => {
  let server: Server;
  let url: string;
  let clock: number;
  let bot: ScriptedBot;
  let directLine: LocalDirectLine;

  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    bot = {
      received: [],
      status: 200,
      maxConcurrent: 0,
      reply: async (activity) => {
        if (activity['type'] === 'message') await sendReply(activity, `echo: ${String(activity['text'])}`);
      },
    };
    server = restify.createServer();
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    let running = 0;
    server.post('/api/messages', async (req, res) => {
      running += 1;
      bot.maxConcurrent = Math.max(bot.maxConcurrent, running);
      try {
        bot.received.push(req.body as Record<string, unknown>);
        if (bot.status === 200) await bot.reply(req.body as Record<string, unknown>);
      } finally {
        running -= 1;
      }
      res.send(bot.status);
    });
    directLine = mountLocalDirectLine(server, {
      logger: silentLogger,
      now: () => clock,
      tokenLifetimeSeconds: 60,
      limits: { maxActivitiesPerConversation: 5, maxConversations: 3, maxStoredChars: 20_000, idleMs: 10 * 60_000 },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function opened(): Promise<DirectLineTestClient> {
    const client = new DirectLineTestClient(url);
    await client.open('en-US');
    return client;
  }

  it('When the conversation starts, Then the bot gets a conversationUpdate with the bot and the user added, and a serviceUrl back here', async () => {
    const client = await opened();
    await client.pollUntil(() => bot.received.length > 0);
    const [update] = bot.received;
    expect(update).toMatchObject({ type: 'conversationUpdate', channelId: 'webchat', conversation: { id: client.conversationId }, locale: 'en-US', serviceUrl: url });
    expect(update!['membersAdded']).toEqual([expect.objectContaining({ role: 'bot' }), { id: claimsOf(client.token)['user'], role: 'user' }]);
  });

  it('When the bot replies, proactively sends, then updates its reply, Then the update replaces it in place and reaches a client polling on', async () => {
    const client = await opened();
    let replyId = '';
    bot.reply = async (activity) => {
      if (activity['type'] !== 'message') return;
      replyId = await sendReply(activity, 'a card with buttons');
      await call(replyUrl(activity), { method: 'POST', body: { type: 'message', text: 'proactive', from: activity['recipient'] } });
    };
    await client.say('hello');
    const first = await client.pollUntil((activities) => activities.some((activity) => activity.text === 'proactive'));
    expect(first.map((activity) => activity.text)).toEqual(['hello', 'a card with buttons', 'proactive']);

    const updated = await call<{ id: string }>(`${url}/v3/conversations/${client.conversationId}/activities/${encodeURIComponent(replyId)}`, {
      method: 'PUT',
      body: { type: 'message', id: replyId, text: 'You chose: Linux', from: { id: 'bot' } },
    });
    expect(updated).toEqual({ status: 200, body: { id: replyId } });

    const later = await client.pollUntil((activities) => activities.length > 0);
    expect(later).toEqual([expect.objectContaining({ id: replyId, text: 'You chose: Linux', timestamp: first[1]!.timestamp })]);
    const fromScratch = (await client.fetchFrom(undefined)).body.activities;
    expect(fromScratch.filter((activity) => activity.id === replyId).map((activity) => activity.text)).toEqual(['You chose: Linux']);
    expect(fromScratch).toHaveLength(3);

    expect((await call(`${url}/v3/conversations/${client.conversationId}/activities/${encodeURIComponent(`${client.conversationId}|9999999`)}`, { method: 'PUT', body: { type: 'message' } })).status).toBe(404);
    expect((await call(`${url}/v3/conversations/${client.conversationId}/activities/${encodeURIComponent(replyId)}`, { method: 'DELETE' })).status).toBe(200);
    expect((await client.fetchFrom(undefined)).body.activities.map((activity) => activity.id)).not.toContain(replyId);
  });

  it('When the bot fails the turn, Then the client\'s post gets 502', async () => {
    const client = await opened();
    bot.status = 500;
    const posted = await client.say('hello');
    expect(posted.status).toBe(502);
    expect(posted.body.error?.code).toBe('BotError');
  });

  it('When the user posts several activities at once, Then the bot takes them one at a time, in order', async () => {
    const client = await opened();
    bot.reply = async () => new Promise((resolve) => setTimeout(resolve, 30));
    await Promise.all(['one', 'two', 'three'].map((text) => client.say(text)));
    expect(bot.maxConcurrent).toBe(1);
    expect(bot.received.filter((activity) => activity['type'] === 'message')).toHaveLength(3);
  });

  it('When more activities arrive than a conversation keeps, Then only the newest are kept', async () => {
    const client = await opened();
    for (const text of ['1', '2', '3', '4']) await client.say(text);
    const kept = (await client.fetchFrom(undefined)).body.activities;
    expect(kept).toHaveLength(5);
    expect(kept.map((activity) => activity.text)).toEqual(['echo: 2', '3', 'echo: 3', '4', 'echo: 4']);
  });

  it('When more conversations start than are kept, Then the least recently used one is dropped', async () => {
    const first = await opened();
    const second = await opened();
    await first.fetch();
    await opened();
    await opened();
    expect(directLine.store.size).toBe(3);
    expect((await second.fetch()).status).toBe(404);
    expect((await first.fetch()).status).toBe(200);
  });

  it('When the activities grow past the characters kept overall, Then other conversations go first, then this one\'s oldest', async () => {
    const other = await opened();
    const client = await opened();
    await client.say('x'.repeat(6_000));
    await client.say('y'.repeat(6_000));
    expect((await other.fetch()).status).toBe(404);
    expect(directLine.store.storedChars).toBeLessThanOrEqual(20_000);
    const kept = (await client.fetchFrom(undefined)).body.activities.map((activity) => String(activity.text).slice(0, 7));
    expect(kept[kept.length - 1]).toBe('echo: y');
    expect(kept).not.toContain('xxxxxxx');
  });

  it('When a conversation stays idle past the limit, Then it is dropped and polling it gets 404; one in use stays', async () => {
    const active = await opened();
    const idle = await opened();
    // Ten minutes of a page that refreshes its token and polls; the other page is gone.
    for (let minute = 0; minute < 12; minute++) {
      clock += 50_000;
      const refreshed = await call<{ token: string }>(`${active.domain}/tokens/refresh`, { method: 'POST', token: active.token });
      expect(refreshed.status).toBe(200);
      active.token = refreshed.body.token;
    }
    expect((await active.fetch()).status).toBe(200);
    expect((await idle.fetch()).status).toBe(404);
    clock += 11 * 60_000;
    expect((await active.fetch()).status).toBe(404);
  });

  it('When the token has expired, Then polling and refreshing get 403 (a new token is needed)', async () => {
    const client = await opened();
    clock += 61_000;
    const polled = await client.fetch();
    expect(polled.status).toBe(403);
    expect((polled.body as unknown as { error: { code: string } }).error.code).toBe('TokenExpired');
    expect((await call(`${client.domain}/tokens/refresh`, { method: 'POST', token: client.token })).status).toBe(403);
  });

  it('When a client starts without a token, Then it gets a new conversation and a token of its own', async () => {
    const started = await call<{ conversationId: string; token: string }>(`${url}/v3/directline/conversations`, { method: 'POST', body: { locale: 'ja-JP' } });
    expect(started.status).toBe(201);
    expect(claimsOf(started.body.token)).toMatchObject({ conv: started.body.conversationId, user: expect.stringMatching(/^dl_/) });
  });
});
