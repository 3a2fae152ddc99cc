/**
 * The web chat's signed user id: the id and its signature, the key (from
 * WEBCHAT_USER_ID_SECRET or DATA_DIR/webchat-user-id.key), the cookie's
 * attributes, and both token routes over real HTTP on loopback: the local
 * stand-in (with a bot that records what it receives) and the exchange with a
 * stand-in for the Direct Line token service. A returning browser keeps its id
 * in a new conversation; a forged cookie gets a new id; nothing a page sends
 * changes who the bot sees.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify, { type Server } from 'restify';
import { ConfigError, loadConfig } from '../../../src/config';
import { mountWebChat } from '../../../src/entry-points/http/webchat/routes';
import { isPlainLocalHttp, userIdCookieHeader, USER_ID_MAX_AGE_SECONDS } from '../../../src/entry-points/http/webchat/user-id-cookie';
import { isSignedWebChatUserId } from '../../../src/domain/conversation/returning-user';
import {
  loadWebChatUserIdKey,
  newWebChatUserId,
  webChatUserIdKeySetting,
  WebChatUserIdSigner,
} from '../../../src/entry-points/http/webchat/user-id';
import { silentLogger, type Logger } from '../../../src/logger';
import { PROJECT_ROOT } from '../../../src/project-root';
import { call, claimsOf, DirectLineTestClient } from '../../support/direct-line-client';
import { DirectLineTokenStandIn } from '../../support/direct-line-token-service';

const LOCAL_TOKEN_ROUTE = '/v3/directline/tokens/generate';
const SERVICE_TOKEN_ROUTE = '/api/directline/token';
const SECRET = 'dl-secret_9Qx7.Pz3-NOT-A-REAL-SECRET-4u2W';
const USER_ID_SECRET = 'webchat-user-id-secret-NOT-REAL-0123456789abcdef';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webchat-user-id-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface CookieAnswer<T> {
  status: number;
  body: T;
  /** The bt_user Set-Cookie header, if any. */
  setCookie: string | undefined;
}

interface TokenBody {
  token: string;
  conversationId: string;
  userId?: string;
}

/** POST to a token route as the page does, with a Cookie header if given. */
async function askToken(url: string, cookie?: string, headers: Record<string, string> = {}, body: unknown = {}): Promise<CookieAnswer<TokenBody>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as TokenBody, setCookie: response.headers.getSetCookie().find((line) => line.startsWith('bt_user=')) };
}

/** `bt_user=<value>` from a Set-Cookie line, for the next request's Cookie header. */
function cookiePair(setCookie: string | undefined): string {
  if (!setCookie) throw new Error('no bt_user cookie was set');
  return setCookie.split(';')[0]!;
}

function idOfCookie(setCookie: string | undefined): string {
  return cookiePair(setCookie).slice('bt_user='.length).split('.')[0]!;
}

function attributesOf(setCookie: string | undefined): string[] {
  return (setCookie ?? '').split(';').slice(1).map((part) => part.trim()).sort();
}

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { log: (level, event, fields = {}) => lines.push(JSON.stringify({ level, event, ...fields })) } };
}

describe('the signed user id', () => {
  const signer = new WebChatUserIdSigner(randomBytes(32));

  it('When an id is made, Then it is dl_ and 128 random bits in base64url, and has the signed shape', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newWebChatUserId()));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
      expect(isSignedWebChatUserId(id)).toBe(true);
    }
  });

  it.each(['dl_0123456789abcdef0123456789abcdef', 'dl_short', '29:1a2b3c', 'someone-else', `${'dl_'}${'A'.repeat(22)}x`, ` dl_${'A'.repeat(22)}`, ''])(
    'When from.id is %j, Then it does not have the signed shape',
    (id) => {
      expect(isSignedWebChatUserId(id)).toBe(false);
    },
  );

  it('When a value was signed with the key, Then it is read back; when any part of it changed, or another key signed it, Then it is not', () => {
    const id = newWebChatUserId();
    const value = signer.sign(id);
    expect(value).toMatch(/^dl_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(value)).toBe(id);

    const [, mac] = value.split('.') as [string, string];
    const other = newWebChatUserId();
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    for (const forged of [`${other}.${mac}`, `${id}.${flipped}`, `${id}.${'A'.repeat(43)}`, new WebChatUserIdSigner(randomBytes(32)).sign(id), `${id}.${mac}x`, id, '', `${value}.${mac}`]) {
      expect(signer.verify(forged)).toBeUndefined();
    }
    expect(signer.verify(undefined)).toBeUndefined();
  });
});

describe('the key of the user id', () => {
  it('When WEBCHAT_USER_ID_SECRET is unset or empty, Then the key lives in DATA_DIR/webchat-user-id.key', () => {
    expect(webChatUserIdKeySetting({}, '/srv/data')).toEqual({ kind: 'file', path: join('/srv/data', 'webchat-user-id.key') });
    expect(webChatUserIdKeySetting({ WEBCHAT_USER_ID_SECRET: '  ' }, '/srv/data')).toEqual({ kind: 'file', path: join('/srv/data', 'webchat-user-id.key') });
  });

  it.each([['too-short-secret'], ['a'.repeat(31)], [`${'a'.repeat(20)} ${'b'.repeat(20)}`], [`${'ä'.repeat(40)}`]])(
    'When WEBCHAT_USER_ID_SECRET is %j, Then start-up fails naming the variable, without its value',
    (secret) => {
      const attempt = () => webChatUserIdKeySetting({ WEBCHAT_USER_ID_SECRET: secret }, '/srv/data');
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/^Invalid configuration: WEBCHAT_USER_ID_SECRET must be at least 32 /);
      expect(attempt).not.toThrow(secret);
    },
  );

  it('When the secret is set, Then every instance derives the same key from it and no file is made', () => {
    const dataDir = tempDir();
    const first = loadWebChatUserIdKey(webChatUserIdKeySetting({ WEBCHAT_USER_ID_SECRET: USER_ID_SECRET }, dataDir));
    const second = loadWebChatUserIdKey(webChatUserIdKeySetting({ WEBCHAT_USER_ID_SECRET: ` ${USER_ID_SECRET}\n` }, tempDir()));
    expect(first.key.equals(second.key)).toBe(true);
    expect(first.key.toString('latin1')).not.toContain(USER_ID_SECRET);
    expect(first.file).toBeUndefined();
    expect(() => statSync(join(dataDir, 'webchat-user-id.key'))).toThrow();
  });

  it('When there is no secret, Then a key is made once in DATA_DIR (mode 0600, the folder made if need be) and read again after a restart', () => {
    const dataDir = join(tempDir(), 'not-there-yet');
    const setting = webChatUserIdKeySetting({}, dataDir);
    const made = loadWebChatUserIdKey(setting);
    expect(made.file).toEqual({ path: join(dataDir, 'webchat-user-id.key'), created: true, readable: false });
    expect(statSync(join(dataDir, 'webchat-user-id.key')).mode & 0o777).toBe(0o600);
    expect(made.key).toHaveLength(32);

    const again = loadWebChatUserIdKey(setting);
    expect(again.file?.created).toBe(false);
    expect(again.key.equals(made.key)).toBe(true);
    expect(readFileSync(join(dataDir, 'webchat-user-id.key'), 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    // No temporary file is left behind.
    expect(readdirSync(dataDir)).toEqual(['webchat-user-id.key']);
  });

  it('When the key file is not a key, Then start-up fails naming the file and what to do', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'webchat-user-id.key'), 'not a key\n', { mode: 0o600 });
    expect(() => loadWebChatUserIdKey(webChatUserIdKeySetting({}, dataDir))).toThrow(/webchat-user-id\.key is not a web chat user id key.*delete it.*WEBCHAT_USER_ID_SECRET/);
  });

  it('When the key file can be read by other accounts, Then loading says so', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'webchat-user-id.key'), `${randomBytes(32).toString('base64url')}\n`, { mode: 0o644 });
    expect(loadWebChatUserIdKey(webChatUserIdKeySetting({}, dataDir)).file).toMatchObject({ created: false, readable: true });
  });
});

describe('the cookie\'s attributes', () => {
  it.each([
    [{ secure: false, embedded: false }, ['HttpOnly', 'Max-Age=604800', 'Path=/api/directline/token', 'SameSite=Lax']],
    [{ secure: true, embedded: false }, ['HttpOnly', 'Max-Age=604800', 'Path=/api/directline/token', 'SameSite=Lax', 'Secure']],
    [{ secure: true, embedded: true }, ['HttpOnly', 'Max-Age=604800', 'Partitioned', 'Path=/api/directline/token', 'SameSite=None', 'Secure']],
    // SameSite=None needs Secure, which plain http cannot have: Lax there.
    [{ secure: false, embedded: true }, ['HttpOnly', 'Max-Age=604800', 'Path=/api/directline/token', 'SameSite=Lax']],
  ])('When the cookie is %j, Then its attributes are %j', (flags, attributes) => {
    expect(USER_ID_MAX_AGE_SECONDS).toBe(7 * 24 * 60 * 60);
    const header = userIdCookieHeader('value', { path: '/api/directline/token', ...flags });
    expect(header.startsWith('bt_user=value; ')).toBe(true);
    expect(attributesOf(header)).toEqual(attributes);
  });

  it.each([
    ['127.0.0.1', {}, false, true],
    ['::ffff:127.0.0.1', {}, false, true],
    ['127.0.0.1', { 'x-forwarded-proto': 'https' }, false, false],
    ['127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, false, false],
    ['10.1.2.3', {}, false, false],
    ['127.0.0.1', {}, true, false],
  ])('When the request comes from %s with headers %j (TLS: %s), Then plain local http is %s', (remoteAddress, headers, encrypted, plain) => {
    const socket = { remoteAddress, ...(encrypted ? { encrypted: true } : {}) } as never;
    expect(isPlainLocalHttp({ socket, headers })).toBe(plain);
  });
});

/** The web chat's routes on a bare restify server, with a bot that records every activity it is sent. */
interface WebChatServer {
  url: string;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

async function webChatServer(env: Record<string, string>, secrets: NodeJS.ProcessEnv = {}, logger: Logger = silentLogger): Promise<WebChatServer> {
  const server: Server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const received: Record<string, unknown>[] = [];
  server.post('/api/messages', async (req, res) => {
    received.push(req.body as Record<string, unknown>);
    res.send(200);
  });
  mountWebChat(server, loadConfig({ PORT: '0', HOST: '127.0.0.1', ...env }), logger, { env: secrets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts a conversation on a token from the local stand-in and posts one message, claiming to be `claimed`. */
async function chat(url: string, token: string, conversationId: string, claimed: string): Promise<void> {
  const client = new DirectLineTestClient(url);
  client.token = token;
  client.conversationId = conversationId;
  const started = await call<{ token: string }>(`${client.domain}/conversations`, { method: 'POST', token, body: { user: { id: claimed }, locale: 'en-US' } });
  expect(started.status).toBe(201);
  client.token = started.body.token;
  const posted = await client.post({ type: 'message', text: 'hello', from: { id: claimed, name: 'Mallory', role: 'user' } });
  expect(posted.status).toBe(200);
}

describe('the local stand-in\'s token route', () => {
  const capture = capturingLogger();
  let dataDir: string;
  let server: WebChatServer;
  let tokenUrl: string;

  beforeAll(async () => {
    dataDir = tempDir();
    server = await webChatServer({ DATA_DIR: dataDir }, {}, capture.logger);
    tokenUrl = `${server.url}${LOCAL_TOKEN_ROUTE}`;
  });
  afterAll(() => server?.close());

  it('When a browser without the cookie asks for a token, Then it gets a new signed id in an HttpOnly cookie for a week, and the token is bound to it', async () => {
    const answer = await askToken(tokenUrl);
    expect(answer.status).toBe(200);
    expect(answer.setCookie).toMatch(/^bt_user=dl_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; /);
    // Plain http from this machine: not Secure (it would never come back), and Lax.
    expect(attributesOf(answer.setCookie)).toEqual(['HttpOnly', 'Max-Age=604800', `Path=${LOCAL_TOKEN_ROUTE}`, 'SameSite=Lax']);
    const id = idOfCookie(answer.setCookie);
    expect(isSignedWebChatUserId(id)).toBe(true);
    expect(claimsOf(answer.body.token)).toMatchObject({ user: id, conv: answer.body.conversationId });
  });

  it('When the same browser comes back with its cookie, Then it gets a new conversation for the same id, and the cookie is renewed', async () => {
    const first = await askToken(tokenUrl);
    const again = await askToken(tokenUrl, cookiePair(first.setCookie));
    expect(again.body.conversationId).not.toBe(first.body.conversationId);
    expect(claimsOf(again.body.token)['user']).toBe(idOfCookie(first.setCookie));
    expect(cookiePair(again.setCookie)).toBe(cookiePair(first.setCookie));
    expect(again.setCookie).toContain('Max-Age=604800');
    // Another browser is somebody else.
    expect(claimsOf((await askToken(tokenUrl)).body.token)['user']).not.toBe(idOfCookie(first.setCookie));
  });

  it('When the cookie is forged, tampered with or signed with another key, Then it is replaced by a new id', async () => {
    const genuine = await askToken(tokenUrl);
    const id = idOfCookie(genuine.setCookie);
    const [, mac] = cookiePair(genuine.setCookie).split('.') as [string, string];
    const otherKey = new WebChatUserIdSigner(randomBytes(32));
    const forgeries = [
      `bt_user=${newWebChatUserId()}.${mac}`,
      `bt_user=${id}.${'A'.repeat(43)}`,
      `bt_user=${otherKey.sign(id)}`,
      `bt_user=${id}`,
      `bt_user=${id}.${mac}.${mac}`,
      'bt_user=',
    ];
    for (const cookie of forgeries) {
      const answer = await askToken(tokenUrl, cookie);
      const given = claimsOf(answer.body.token)['user'];
      expect(given).not.toBe(id);
      expect(isSignedWebChatUserId(String(given))).toBe(true);
      expect(idOfCookie(answer.setCookie)).toBe(given);
    }
    // A forged cookie beside the genuine one does not hide it.
    expect(claimsOf((await askToken(tokenUrl, `bt_user=${id}.${'A'.repeat(43)}; ${cookiePair(genuine.setCookie)}`)).body.token)['user']).toBe(id);
  });

  it('When the page names a user in the token request or the tokenless start, Then it is ignored', async () => {
    const victim = idOfCookie((await askToken(tokenUrl)).setCookie);
    const asked = await askToken(tokenUrl, undefined, {}, { user: { id: victim } });
    expect(claimsOf(asked.body.token)['user']).not.toBe(victim);
    const started = await call<{ token: string }>(`${server.url}/v3/directline/conversations`, { method: 'POST', body: { user: { id: victim } } });
    expect(started.status).toBe(201);
    expect(claimsOf(started.body.token)['user']).not.toBe(victim);
  });

  it('When a page posts activities claiming another user\'s from.id, Then the bot sees the id the token is bound to', async () => {
    const victim = idOfCookie((await askToken(tokenUrl)).setCookie);
    const mallory = await askToken(tokenUrl);
    const bound = idOfCookie(mallory.setCookie);
    const before = server.received.length;
    await chat(server.url, mallory.body.token, mallory.body.conversationId, victim);

    const seen = server.received.slice(before).filter((activity) => (activity['conversation'] as { id: string }).id === mallory.body.conversationId);
    expect(seen.map((activity) => activity['type'])).toEqual(['conversationUpdate', 'message']);
    for (const activity of seen) expect((activity['from'] as { id: string }).id).toBe(bound);
    expect(seen[1]!['from']).toEqual({ id: bound, name: 'Mallory', role: 'user' });
    expect(JSON.stringify(server.received)).not.toContain(victim);
  });

  it('When a key is made, Then the log says where, and neither the key nor a cookie\'s MAC is in it', async () => {
    const answer = await askToken(tokenUrl);
    const key = readFileSync(join(dataDir, 'webchat-user-id.key'), 'utf8').trim();
    const log = capture.lines.join('\n');
    expect(log).toContain('webchat-user-id-key-created');
    expect(log).not.toContain(key);
    expect(log).not.toContain(cookiePair(answer.setCookie).split('.')[1]!);
  });

  it('When the server restarts on the same DATA_DIR, Then the cookie is still recognised; on another DATA_DIR it is not', async () => {
    const cookie = cookiePair((await askToken(tokenUrl)).setCookie);
    const id = idOfCookie(cookie);
    const restarted = await webChatServer({ DATA_DIR: dataDir });
    const elsewhere = await webChatServer({ DATA_DIR: tempDir() });
    try {
      expect(claimsOf((await askToken(`${restarted.url}${LOCAL_TOKEN_ROUTE}`, cookie)).body.token)['user']).toBe(id);
      expect(claimsOf((await askToken(`${elsewhere.url}${LOCAL_TOKEN_ROUTE}`, cookie)).body.token)['user']).not.toBe(id);
    } finally {
      await restarted.close();
      await elsewhere.close();
    }
  });
});

describe('the cookie on several instances and behind a proxy', () => {
  it('When instances share WEBCHAT_USER_ID_SECRET (each with its own DATA_DIR), Then one recognises the other\'s cookie', async () => {
    const first = await webChatServer({ DATA_DIR: tempDir() }, { WEBCHAT_USER_ID_SECRET: USER_ID_SECRET });
    const second = await webChatServer({ DATA_DIR: tempDir() }, { WEBCHAT_USER_ID_SECRET: USER_ID_SECRET });
    try {
      const answer = await askToken(`${first.url}${LOCAL_TOKEN_ROUTE}`);
      const elsewhere = await askToken(`${second.url}${LOCAL_TOKEN_ROUTE}`, cookiePair(answer.setCookie));
      expect(claimsOf(elsewhere.body.token)['user']).toBe(idOfCookie(answer.setCookie));
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('When the page is embedded in other sites and served over https through a proxy, Then the cookie is SameSite=None; Secure; Partitioned', async () => {
    const server = await webChatServer({ DATA_DIR: tempDir(), WEBCHAT_EMBED_ORIGINS: 'https://helpdesk.example.com' });
    try {
      const proxied = await askToken(`${server.url}${LOCAL_TOKEN_ROUTE}`, undefined, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
      expect(attributesOf(proxied.setCookie)).toEqual(['HttpOnly', 'Max-Age=604800', 'Partitioned', `Path=${LOCAL_TOKEN_ROUTE}`, 'SameSite=None', 'Secure']);
      // Plain http on this machine cannot carry SameSite=None (it needs Secure): Lax.
      expect(attributesOf((await askToken(`${server.url}${LOCAL_TOKEN_ROUTE}`)).setCookie)).toContain('SameSite=Lax');
    } finally {
      await server.close();
    }
  });

  it('When the page is not embedded and the request came through a proxy, Then the cookie is Secure and Lax', async () => {
    const server = await webChatServer({ DATA_DIR: tempDir() });
    try {
      const proxied = await askToken(`${server.url}${LOCAL_TOKEN_ROUTE}`, undefined, { 'x-forwarded-for': '203.0.113.9' });
      expect(attributesOf(proxied.setCookie)).toEqual(['HttpOnly', 'Max-Age=604800', `Path=${LOCAL_TOKEN_ROUTE}`, 'SameSite=Lax', 'Secure']);
    } finally {
      await server.close();
    }
  });

  it('When WEBCHAT_USER_ID_SECRET is too short, Then the web chat does not start, and the error names the variable only', () => {
    const server = restify.createServer();
    const mount = () => mountWebChat(server, loadConfig({ DATA_DIR: tempDir() }), silentLogger, { env: { WEBCHAT_USER_ID_SECRET: 'short-but-not-empty' } });
    expect(mount).toThrow(ConfigError);
    expect(mount).toThrow(/WEBCHAT_USER_ID_SECRET/);
    expect(mount).not.toThrow(/short-but-not-empty/);
  });

  it('When `npm start` runs with a too-short WEBCHAT_USER_ID_SECRET, Then it exits 78 with a message naming the variable', () => {
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'http', 'main.js')], {
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), WEBCHAT_USER_ID_SECRET: 'short-but-not-empty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/Invalid configuration: WEBCHAT_USER_ID_SECRET must be at least 32/);
    expect(run.stderr + run.stdout).not.toContain('short-but-not-empty');
  });

  it('When auth is on and there is no Direct Line secret, Then no key is made (there is no token route)', () => {
    const dataDir = tempDir();
    mountWebChat(restify.createServer(), loadConfig({ DATA_DIR: dataDir, MicrosoftAppId: '0b1f6471-1bf0-4dda-aec3-cb9272f09590', MicrosoftAppPassword: 'x' }), silentLogger, { env: {} });
    expect(() => statSync(join(dataDir, 'webchat-user-id.key'))).toThrow();
  });
});

describe('the token exchange with the Direct Line service', () => {
  const standIn = new DirectLineTokenStandIn();
  let server: WebChatServer;
  let tokenUrl: string;

  beforeAll(async () => {
    await standIn.start();
    // Auth on, as in production: only the exchange, no local stand-in.
    server = await webChatServer({
      DATA_DIR: tempDir(),
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: standIn.url,
      MicrosoftAppId: '0b1f6471-1bf0-4dda-aec3-cb9272f09590',
      MicrosoftAppPassword: 'not-a-real-password',
    });
    tokenUrl = `${server.url}${SERVICE_TOKEN_ROUTE}`;
  });
  afterAll(async () => {
    await server?.close();
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it('When a browser asks for a token, Then the service is asked for one bound to the cookie\'s new id, and the cookie is set for the token route', async () => {
    const answer = await askToken(tokenUrl);
    expect(answer.status).toBe(200);
    const id = idOfCookie(answer.setCookie);
    expect(isSignedWebChatUserId(id)).toBe(true);
    expect(standIn.requestedUserIds()).toEqual([id]);
    expect(answer.body.userId).toBe(id);
    expect(attributesOf(answer.setCookie)).toEqual(['HttpOnly', 'Max-Age=604800', `Path=${SERVICE_TOKEN_ROUTE}`, 'SameSite=Lax']);
  });

  it('When the browser comes back with its cookie, Then the service is asked for the same user; a forged cookie or a user in the body get a new one', async () => {
    const first = await askToken(tokenUrl);
    const id = idOfCookie(first.setCookie);
    const again = await askToken(tokenUrl, cookiePair(first.setCookie));
    const forged = await askToken(tokenUrl, `bt_user=${id}.${'A'.repeat(43)}`);
    const claimed = await askToken(tokenUrl, undefined, {}, { user: { id } });
    const asked = standIn.requestedUserIds();
    expect(asked.slice(0, 2)).toEqual([id, id]);
    expect(again.setCookie).toContain('Max-Age=604800');
    expect(asked[2]).not.toBe(id);
    expect(asked[2]).toBe(idOfCookie(forged.setCookie));
    expect(asked[3]).not.toBe(id);
    expect(claimed.body.userId).toBe(asked[3]);
  });

  it('When the service refuses, Then the page gets 502 and the cookie still stays with its id', async () => {
    const first = await askToken(tokenUrl);
    standIn.behaviour = { kind: 'status', status: 500 };
    try {
      const failed = await askToken(tokenUrl, cookiePair(first.setCookie));
      expect(failed.status).toBe(502);
      expect(idOfCookie(failed.setCookie)).toBe(idOfCookie(first.setCookie));
    } finally {
      standIn.behaviour = { kind: 'token' };
    }
  });
});
