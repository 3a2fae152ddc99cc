/**
 * POST /api/directline/token against a local stand-in for the Direct Line
 * token service (a real HTTP server on loopback started here). The secret must
 * reach the stand-in, and nothing else: not the responses, not the page and its
 * scripts, not the logs.
 */
import { loadConfig, ConfigError } from '../../../src/config';
import { SqliteStorage } from '../../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../../src/entry-points/http/server';
import type { Logger } from '../../../src/logger';
import { closedPortUrl, DirectLineTokenStandIn } from '../../support/direct-line-token-service';

const SECRET = 'dl-secret_9Qx7.Pz3-NOT-A-REAL-SECRET-4u2W';
const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';

interface Capture {
  logger: Logger;
  lines: string[];
}

function capturingLogger(): Capture {
  const lines: string[] = [];
  return { lines, logger: { log: (level, event, fields = {}) => lines.push(JSON.stringify({ level, event, ...fields })) } };
}

interface RawAnswer {
  status: number;
  headers: string;
  text: string;
}

async function raw(url: string, init?: RequestInit): Promise<RawAnswer> {
  const response = await fetch(url, init);
  return { status: response.status, headers: JSON.stringify([...response.headers]), text: await response.text() };
}

function postToken(server: RunningServer): Promise<RawAnswer> {
  return raw(`${server.url}/api/directline/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

async function serverWith(env: Record<string, string>, logger: Logger): Promise<RunningServer> {
  return startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', ...env }), new SqliteStorage(':memory:'), logger);
}

describe('POST /api/directline/token with the service up', () => {
  const standIn = new DirectLineTokenStandIn();
  const capture = capturingLogger();
  let server: RunningServer;

  beforeAll(async () => {
    await standIn.start();
    server = await serverWith({ DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: standIn.url }, capture.logger);
  });
  afterAll(async () => {
    await server?.close();
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
    standIn.behaviour = { kind: 'token' };
  });

  it('When the page asks for a token, Then the server exchanges the secret for one bound to a dl_ user it made up', async () => {
    const answer = await postToken(server);
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(body).toEqual({ token: 'standin-token-1', expires_in: 1800, conversationId: 'standin-conversation-1', userId: expect.stringMatching(/^dl_[A-Za-z0-9_-]{22}$/) });

    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v3/directline/tokens/generate', authorization: `Bearer ${SECRET}`, contentType: 'application/json' });
    expect(JSON.parse(request!.body)).toEqual({ user: { id: body['userId'] } });
    expect(answer.headers).toContain('no-store');
  });

  it('When two pages ask, Then each gets its own user id', async () => {
    const first = JSON.parse((await postToken(server)).text) as { userId: string };
    const second = JSON.parse((await postToken(server)).text) as { userId: string };
    expect(first.userId).not.toBe(second.userId);
  });

  it('When the browser loads the page and its scripts, Then the secret appears nowhere, and the page uses this route and the service', async () => {
    const page = await raw(`${server.url}/?locale=ja-JP`);
    const answers = [
      page,
      await postToken(server),
      await raw(`${server.url}/webchat/page.js`),
      await raw(`${server.url}/embed.js`),
      await raw(`${server.url}/webchat/page.css`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(SECRET);
      expect(answer.headers).not.toContain(SECRET);
    }
    const config = JSON.parse(/<script type="application\/json" id="webchat-config">(.*?)<\/script>/s.exec(page.text)![1]!) as Record<string, unknown>;
    expect(config).toMatchObject({ mode: 'service', tokenUrl: '/api/directline/token', domain: `${standIn.url}/v3/directline`, webSocket: true, locale: 'ja-JP' });
    expect(page.headers).toContain(`connect-src 'self' ${standIn.url} ws://${new URL(standIn.url).host}`);
  });

  it('When the service answers 500, Then the page gets 502 with a message, and neither it nor the log holds the secret', async () => {
    standIn.behaviour = { kind: 'status', status: 500 };
    const answer = await postToken(server);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: 'DirectLineUnavailable', message: expect.stringContaining('try again') } });
    const logged = capture.lines.filter((line) => line.includes('directline-token-failed'));
    expect(logged.at(-1)).toContain('"status":500');
    expect(answer.text + answer.headers).not.toContain(SECRET);
    expect(capture.lines.join('\n')).not.toContain(SECRET);
  });

  it('When the service refuses the secret (403), Then the log says to check DIRECT_LINE_SECRET without showing it', async () => {
    standIn.behaviour = { kind: 'status', status: 403, body: '{"error":{"code":"BadArgument","message":"secret rejected"}}' };
    expect((await postToken(server)).status).toBe(502);
    const logged = capture.lines.filter((line) => line.includes('directline-token-failed')).at(-1)!;
    expect(logged).toContain('"level":"error"');
    expect(logged).toContain('DIRECT_LINE_SECRET');
    expect(capture.lines.join('\n')).not.toContain(SECRET);
  });

  it('When the service answers without a token, Then the page gets 502', async () => {
    standIn.behaviour = { kind: 'no-token' };
    expect((await postToken(server)).status).toBe(502);
  });
});

describe('POST /api/directline/token with the service down', () => {
  it('When nothing listens at DIRECT_LINE_ENDPOINT, Then the page gets 502 with a message and the secret stays out of the log', async () => {
    const capture = capturingLogger();
    const server = await serverWith({ DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: await closedPortUrl() }, capture.logger);
    try {
      const answer = await postToken(server);
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.text).error.message).toMatch(/did not issue a token/);
      expect(capture.lines.join('\n')).toContain('unreachable');
      expect(capture.lines.join('\n') + answer.text).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });
});

describe('POST /api/directline/token without a secret', () => {
  it('When DIRECT_LINE_SECRET is unset and auth is off, Then 503 says so and points at the local stand-in', async () => {
    const server = await serverWith({}, capturingLogger().logger);
    try {
      const answer = await postToken(server);
      expect(answer.status).toBe(503);
      const { error } = JSON.parse(answer.text) as { error: { code: string; message: string } };
      expect(error.code).toBe('DirectLineNotConfigured');
      expect(error.message).toContain('DIRECT_LINE_SECRET is not set');
      expect(error.message).toContain('/v3/directline');
    } finally {
      await server.close();
    }
  });

  it('When DIRECT_LINE_SECRET is unset and auth is on, Then 503 says to set it, and the page says the chat is not set up', async () => {
    const server = await serverWith({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password' }, capturingLogger().logger);
    try {
      const answer = await postToken(server);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text).error.message).toMatch(/Set DIRECT_LINE_SECRET/);
      const page = await raw(`${server.url}/`);
      expect(page.text).toContain('"mode":"unavailable"');
    } finally {
      await server.close();
    }
  });
});

describe('Direct Line configuration', () => {
  it('When the secret is set without an endpoint, Then the Bot Framework service is used', () => {
    expect(loadConfig({ DIRECT_LINE_SECRET: SECRET }).directLine).toEqual({ secret: SECRET, endpoint: 'https://directline.botframework.com' });
  });

  it('When the endpoint is a regional service with a trailing slash, Then its origin is kept', () => {
    expect(loadConfig({ DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: 'https://europe.directline.botframework.com/' }).directLine?.endpoint).toBe(
      'https://europe.directline.botframework.com',
    );
  });

  it.each([
    [{ DIRECT_LINE_SECRET: 'has a space in it, so no' }, 'DIRECT_LINE_SECRET'],
    [{ DIRECT_LINE_SECRET: 'short' }, 'DIRECT_LINE_SECRET'],
    [{ DIRECT_LINE_ENDPOINT: 'http://directline.botframework.com' }, 'DIRECT_LINE_ENDPOINT'],
    [{ DIRECT_LINE_ENDPOINT: 'https://directline.botframework.com/v3/directline' }, 'DIRECT_LINE_ENDPOINT'],
    [{ DIRECT_LINE_ENDPOINT: 'not a url' }, 'DIRECT_LINE_ENDPOINT'],
    [{ WEBCHAT_EMBED_ORIGINS: 'https://helpdesk.example.com javascript:alert(1)' }, 'WEBCHAT_EMBED_ORIGINS'],
    [{ WEBCHAT_EMBED_ORIGINS: 'http://helpdesk.example.com' }, 'WEBCHAT_EMBED_ORIGINS'],
  ])('When the environment is %j, Then start-up fails naming %s, without the value', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
    const value = Object.values(env)[0]!;
    expect(() => loadConfig(env)).not.toThrow(value);
  });

  it('When embed origins are given, Then they are kept as origins', () => {
    expect(loadConfig({ WEBCHAT_EMBED_ORIGINS: 'https://helpdesk.example.com, https://intra.example.com:8443/' }).webChatEmbedOrigins).toEqual([
      'https://helpdesk.example.com',
      'https://intra.example.com:8443',
    ]);
  });
});
