/**
 * "Let no one in": with MicrosoftAppId set, POST /api/messages runs the bot only
 * for a token the Bot Framework Service could have sent. The tokens are made
 * here (RS256, a key pair from node:crypto, the JWT assembled by hand) and the
 * bot fetches the signing keys from a local stand-in for the Bot Framework's
 * OpenID metadata (BOT_OPENID_METADATA_URL). The positive cases prove the
 * refusals are not "everything is refused"; each refusal must be a 401 and must
 * not run a turn (no `turn` log line, nothing in the conversation's state).
 */
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { buttonsOf, lastCard } from '../support/bot-conversation';
import { recordingLogger, type RecordingLogger } from '../support/bad-inputs';
import {
  OpenIdStandIn,
  channelClaims,
  hs256WithPublicKey,
  newSigningKey,
  signRs256,
  unsignedToken,
  base64url,
  type SigningKey,
  type TokenClaims,
} from '../support/openid-stand-in';

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const OTHER_APP_ID = '5f0c2b7e-93a4-4a37-9d8e-2f1d7c6b5a40';
const CHANNEL = 'webchat';
const SERVICE_URL = 'https://webchat.botframework.com/';

let standIn: OpenIdStandIn;
let server: RunningServer;
let storage: SqliteStorage;
let log: RecordingLogger;
/** Published, endorsed for CHANNEL. */
let key: SigningKey;
/** Published, endorsed for another channel only. */
let teamsKey: SigningKey;
/** Never published; same kid as `key`. */
let forger: SigningKey;
let conversations = 0;

function activity(conversationId: string, fields: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: 'message',
    id: `${conversationId}-1`,
    channelId: CHANNEL,
    serviceUrl: SERVICE_URL,
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'auth' },
    from: { id: `user-${conversationId}`, name: 'User' },
    recipient: { id: `28:${APP_ID}`, name: 'Bot' },
    locale: 'en-US',
    text: 'hello',
    ...fields,
  };
}

async function post(body: Partial<Activity>, authorization?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

function nextConversation(): string {
  conversations += 1;
  return `auth-${conversations}`;
}

function claims(overrides: Partial<TokenClaims> = {}): TokenClaims {
  return { ...channelClaims(APP_ID, SERVICE_URL), ...overrides };
}

/** The conversation's state as ConversationState keeps it (`{channel}/conversations/{id}/`). */
async function stateOf(conversationId: string): Promise<unknown> {
  const key = `${CHANNEL}/conversations/${conversationId}/`;
  return (await storage.read([key]))[key];
}

beforeAll(async () => {
  // botbuilder writes every refused token to console.error; the assertions say what matters.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  key = newSigningKey('stand-in-key-1');
  teamsKey = newSigningKey('stand-in-key-teams');
  forger = newSigningKey('stand-in-key-1');
  standIn = await OpenIdStandIn.start();
  standIn.publish(key, [CHANNEL]);
  standIn.publish(teamsKey, ['msteams']);
  storage = new SqliteStorage(':memory:');
  log = recordingLogger();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    BOT_OPENID_METADATA_URL: standIn.metadataUrl,
  });
  server = await startServer(config, storage, log.logger);
});

afterAll(async () => {
  await server?.close();
  await standIn?.close();
  storage?.close();
  jest.restoreAllMocks();
});

describe('a token the Bot Framework Service could have sent', () => {
  test('reaches the bot: 200 with the replies (expectReplies), and the keys came from the stand-in', async () => {
    const conversationId = nextConversation();
    const turnsBefore = log.count('turn');
    const { status, text } = await post(activity(conversationId), `Bearer ${signRs256(claims(), key)}`);
    expect(status).toBe(200);
    const body = JSON.parse(text) as { activities: Partial<Activity>[] };
    expect(body.activities.length).toBeGreaterThan(0);
    expect(log.count('turn')).toBe(turnsBefore + 1);
    expect(await stateOf(conversationId)).toBeDefined();
    expect(standIn.hits.get('/.well-known/openidconfiguration')).toBeGreaterThanOrEqual(1);
    expect(standIn.hits.get('/keys')).toBeGreaterThanOrEqual(1);
  });

  test('runs a whole paste → card flow, one token per request', async () => {
    const conversationId = nextConversation();
    const pasted = await post(activity(conversationId, { text: 'UserErrorGuestAgentStatusUnavailable on an Ubuntu 22.04 VM' }), `Bearer ${signRs256(claims(), key)}`);
    expect(pasted.status).toBe(200);
    const card = lastCard((JSON.parse(pasted.text) as { activities: Partial<Activity>[] }).activities);
    const next = buttonsOf(card).find((button) => button.data.action === 'next');
    expect(next).toBeDefined();
    const clicked = await post(activity(conversationId, { id: `${conversationId}-2`, text: '', value: next!.data }), `Bearer ${signRs256(claims(), key)}`);
    expect(clicked.status).toBe(200);
    expect((JSON.parse(clicked.text) as { activities: unknown[] }).activities.length).toBeGreaterThan(0);
  });

  test('expired by less than the 5 minutes of clock tolerance botframework-connector allows: still accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { status } = await post(activity(nextConversation()), `Bearer ${signRs256(claims({ nbf: now - 3600, iat: now - 3600, exp: now - 120 }), key)}`);
    expect(status).toBe(200);
  });
});

const NOW = Math.floor(Date.now() / 1000);

/** Each: what the Authorization header carries (made once the keys exist), and optionally the activity's fields. */
const REFUSED: { name: string; authorization: () => string | undefined; fields?: Partial<Activity> }[] = [
  { name: 'no Authorization header', authorization: () => undefined },
  { name: 'an empty Authorization header', authorization: () => '' },
  { name: '"Bearer" and nothing else', authorization: () => 'Bearer' },
  { name: 'Basic credentials', authorization: () => `Basic ${Buffer.from(`${APP_ID}:not-a-real-secret`).toString('base64')}` },
  { name: 'a bearer value that is not a JWT', authorization: () => 'Bearer not-a-jwt-at-all' },
  { name: 'a JWT whose header is not JSON', authorization: () => `Bearer ${base64url('{"alg":"RS256",')}.${base64url(JSON.stringify(claims()))}.${base64url('x')}` },
  { name: 'a valid token followed by another word', authorization: () => `Bearer ${signRs256(claims(), key)} extra` },
  { name: 'the token in the wrong scheme ("Token")', authorization: () => `Token ${signRs256(claims(), key)}` },
  { name: 'signed by another key with the published kid (forged)', authorization: () => `Bearer ${signRs256(claims(), forger)}` },
  { name: 'signed with a kid nobody published', authorization: () => `Bearer ${signRs256(claims(), { ...key, kid: 'unknown-kid' })}` },
  { name: 'a token with no kid', authorization: () => `Bearer ${signRs256(claims(), key, { kid: undefined })}` },
  { name: 'a published key endorsed for another channel only', authorization: () => `Bearer ${signRs256(claims(), teamsKey)}` },
  { name: 'expired an hour ago', authorization: () => `Bearer ${signRs256(claims({ nbf: NOW - 7200, iat: NOW - 7200, exp: NOW - 3600 }), key)}` },
  { name: 'not valid for another hour (nbf)', authorization: () => `Bearer ${signRs256(claims({ nbf: NOW + 3600, iat: NOW, exp: NOW + 7200 }), key)}` },
  { name: 'for another bot (wrong audience)', authorization: () => `Bearer ${signRs256(claims({ aud: OTHER_APP_ID }), key)}` },
  { name: 'with no audience', authorization: () => `Bearer ${signRs256(claims({ aud: undefined }), key)}` },
  { name: 'from another issuer', authorization: () => `Bearer ${signRs256(claims({ iss: 'https://evil.example.com' }), key)}` },
  { name: 'from no issuer', authorization: () => `Bearer ${signRs256(claims({ iss: undefined }), key)}` },
  { name: 'for another serviceUrl (claim mismatch)', authorization: () => `Bearer ${signRs256(claims({ serviceurl: 'https://evil.example.com/' }), key)}` },
  { name: 'with no serviceurl claim', authorization: () => `Bearer ${signRs256(claims({ serviceurl: undefined }), key)}` },
  { name: 'alg "none", no signature', authorization: () => `Bearer ${unsignedToken(claims(), key.kid)}` },
  { name: 'alg "none" with the signature of a valid token', authorization: () => `Bearer ${unsignedToken(claims(), key.kid)}${signRs256(claims(), key).split('.')[2]}` },
  { name: 'HS256 keyed with the public key (algorithm confusion)', authorization: () => `Bearer ${hs256WithPublicKey(claims(), key)}` },
  { name: 'RS256 header on a body changed after signing', authorization: () => {
      const [head, , signature] = signRs256(claims(), key).split('.');
      return `Bearer ${head}.${base64url(JSON.stringify(claims({ aud: OTHER_APP_ID })))}.${signature}`;
    } },
  { name: 'a valid token with its signature cut off', authorization: () => `Bearer ${signRs256(claims(), key).split('.').slice(0, 2).join('.')}.` },
  { name: 'a valid token for the activity\'s serviceUrl sent with another serviceUrl', authorization: () => `Bearer ${signRs256(claims(), key)}`, fields: { serviceUrl: 'https://evil.example.com/' } },
];

describe('a request the Bot Framework Service did not send', () => {
  test.each(REFUSED)('$name: 401, and the bot does not run', async ({ authorization, fields }) => {
    const conversationId = nextConversation();
    const turnsBefore = log.count('turn');
    const { status, text } = await post(activity(conversationId, fields), authorization());
    expect(status).toBe(401);
    expect(log.count('turn')).toBe(turnsBefore);
    expect(await stateOf(conversationId)).toBeUndefined();
    // One answer whatever failed; the reason is in the log only.
    expect(JSON.parse(text)).toBe('Unauthorized Access. Request is not authorized');
    const logged = log.entries.filter((entry) => entry.event === 'request-refused' && entry.fields['status'] === 401).at(-1);
    expect(logged?.fields).toMatchObject({ detail: expect.any(String), channel: CHANNEL });
  });

  test('the log says why a token was refused; the caller does not hear it', async () => {
    const { text } = await post(activity(nextConversation()), `Bearer ${signRs256(claims(), forger)}`);
    expect(text).not.toMatch(/signature/i);
    const logged = log.entries.filter((entry) => entry.event === 'request-refused' && entry.fields['status'] === 401).at(-1);
    expect(logged?.fields['detail']).toBe('JsonWebTokenError: invalid signature');
    expect(JSON.stringify(logged)).not.toContain(signRs256(claims(), forger).split('.')[2]);
  });

  test('a valid token on an activity without a serviceUrl: 400 (the serviceurl claim could not be checked), no turn', async () => {
    const conversationId = nextConversation();
    const turnsBefore = log.count('turn');
    const { status } = await post(activity(conversationId, { serviceUrl: undefined }), `Bearer ${signRs256(claims(), key)}`);
    expect(status).toBe(400);
    expect(log.count('turn')).toBe(turnsBefore);
    expect(await stateOf(conversationId)).toBeUndefined();
  });

  test('refused requests do not use up the conversation\'s rate: after 70 forged ones, a real one still runs', async () => {
    const conversationId = nextConversation();
    for (let attempt = 0; attempt < 70; attempt++) {
      expect((await post(activity(conversationId), `Bearer ${signRs256(claims(), forger)}`)).status).toBe(401);
    }
    expect((await post(activity(conversationId), `Bearer ${signRs256(claims(), key)}`)).status).toBe(200);
  });
});
