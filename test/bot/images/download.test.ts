/**
 * Downloading a picture from a loopback stand-in: the size limit (declared and
 * streamed), redirects checked again, the token sent only where allowed, and a
 * time limit. And the bot's token taken from the turn's connector credentials.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { downloadImage } from '../../../src/bot/images/download';
import { connectorToken } from '../../../src/bot/images/connector-token';

interface Seen {
  path: string;
  authorization: string | undefined;
}

describe('downloadImage', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const picture = Buffer.alloc(50_000, 7);

  beforeAll(async () => {
    // Never `res.writeHead(…).end()`: restify, once another test file loaded it in this process, replaces writeHead with one that returns nothing.
    const answer = (res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void => {
      res.writeHead(status, headers);
      res.end(body);
    };
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/picture.png') return answer(res, 200, { 'content-type': 'image/png' }, picture);
      if (req.url === '/declared-huge') return answer(res, 200, { 'content-length': String(5 * 1024 * 1024) });
      if (req.url === '/streamed-huge') {
        // No length declared: the limit must hold while the bytes come.
        res.writeHead(200, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1024 * 1024));
        return res.end();
      }
      if (req.url === '/to-elsewhere') return answer(res, 302, { location: 'https://images.example.com/x.png' });
      if (req.url === '/to-picture') return answer(res, 302, { location: '/picture.png' });
      if (req.url === '/slow') {
        const timer = setTimeout(() => answer(res, 200, {}, picture), 2_000);
        return req.socket.once('close', () => clearTimeout(timer));
      }
      return answer(res, 404, {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => (seen.length = 0));

  const options = (token?: string) => ({ serviceUrl: `${base}/`, token: async () => token });

  test('When the picture is on the serviceUrl host, Then it is downloaded with the bot token', async () => {
    const outcome = await downloadImage({ url: `${base}/picture.png`, kind: 'image', readable: true }, options('bot-token'));
    expect(outcome).toEqual({ ok: true, bytes: new Uint8Array(picture) });
    expect(seen).toEqual([{ path: '/picture.png', authorization: 'Bearer bot-token' }]);
  });

  test('When there is no app id (no token), Then it is downloaded plainly', async () => {
    await downloadImage({ url: `${base}/picture.png`, kind: 'image', readable: true }, options(undefined));
    expect(seen).toEqual([{ path: '/picture.png', authorization: undefined }]);
  });

  test('When the picture declares or streams more than 4 MB, Then it is too large', async () => {
    expect(await downloadImage({ url: `${base}/declared-huge`, kind: 'image', readable: true }, options())).toEqual({ ok: false, problem: 'too-large' });
    expect(await downloadImage({ url: `${base}/streamed-huge`, kind: 'image', readable: true }, options())).toEqual({ ok: false, problem: 'too-large' });
  });

  test('When a redirect leads to another host, Then it is not followed; one within the allowed host is', async () => {
    expect(await downloadImage({ url: `${base}/to-elsewhere`, kind: 'image', readable: true }, options())).toEqual({ ok: false, problem: 'not-allowed' });
    expect(await downloadImage({ url: `${base}/to-picture`, kind: 'image', readable: true }, options())).toMatchObject({ ok: true });
  });

  test('When the host is not allowed, Then no request is made at all', async () => {
    const elsewhere = base.replace('127.0.0.1', 'localhost');
    expect(await downloadImage({ url: `${elsewhere}/picture.png`, kind: 'image', readable: true }, options('bot-token'))).toEqual({ ok: false, problem: 'not-allowed' });
    expect(seen).toEqual([]);
  });

  test('When the host answers 404 or too slowly, Then the download failed', async () => {
    expect(await downloadImage({ url: `${base}/missing.png`, kind: 'image', readable: true }, options())).toEqual({ ok: false, problem: 'download-failed' });
    expect(await downloadImage({ url: `${base}/slow`, kind: 'image', readable: true }, { ...options(), timeoutMs: 200 })).toEqual({ ok: false, problem: 'download-failed' });
  });
});

describe('connectorToken', () => {
  const key = Symbol('ConnectorClientKey');
  function contextWith(credentials: unknown): TurnContext {
    const turnState = new Map<symbol, unknown>([[key, { credentials }]]);
    return { adapter: { ConnectorClientKey: key }, turnState } as unknown as TurnContext;
  }

  test("When the bot has an app id, Then the token comes from the turn's connector credentials", async () => {
    const calls: string[] = [];
    const token = await connectorToken(contextWith({ appId: 'app-id', getToken: async () => (calls.push('getToken'), 'the-token') }));
    expect(token).toBe('the-token');
    expect(calls).toEqual(['getToken']);
  });

  test('When there is no app id, or no connector (the terminal chat), Then there is no token', async () => {
    expect(await connectorToken(contextWith({ appId: null, getToken: async () => 'never' }))).toBeUndefined();
    expect(await connectorToken({ adapter: { ConnectorClientKey: key }, turnState: new Map() } as unknown as TurnContext)).toBeUndefined();
  });
});
