/**
 * "Handoff in Teams" end to end: the real server with TEAMS_SUPPORT_CHANNEL_ID,
 * a Teams user's turns POSTed to /api/messages as Teams sends them (channelId
 * msteams, a personal conversation, the tenant in channelData, the serviceUrl of
 * a connector stand-in on loopback), and everything the bot sends outside the
 * turn's HTTP response — the case card created in the helpdesk's channel
 * (POST /v3/conversations), the proactive "posted" / "failed" message in the
 * user's conversation, the card updated when an agent takes the case — received
 * by the stand-in as Teams would receive it. Nothing in the SDK is mocked.
 *
 * With an app id, the incoming activities carry tokens signed here against the
 * local OpenID stand-in (as test/security/auth.test.ts does). The bot's OUTGOING
 * calls need an Azure AD token for its app id, which nothing offline can issue:
 * one case shows what the bot does without it, another puts a token in
 * botframework-connector's own token cache (as if Azure AD had answered before)
 * to see the app-id path reach the connector.
 *
 * Each case has its own server and stand-in; the cases run at once
 * (test.concurrent): most of the time is spent waiting for the dispatcher.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity, ConversationParameters } from 'botbuilder';
import { AppCredentials, AuthenticationConstants } from 'botframework-connector';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';
import type { CardActionData } from '../../src/domain/flow/card-action';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import { button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';
import { ConnectorStandIn, cardsOfActivity, type ConnectorRequest } from '../support/connector-stand-in';
import { OpenIdStandIn, channelClaims, newSigningKey, signRs256, type SigningKey } from '../support/openid-stand-in';
import { captureLog, type CapturedLog } from '../operations/helpers';

jest.setTimeout(60_000);

const SUPPORT_CHANNEL_ID = '19:support@thread.tacv2';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** A VMSnapshot error naming its VM: the VM is one of the case's facts on the card. */
const VM_NAME = 'vm-sql02';
const PASTE = `VMSnapshot extension operation failed on VM ${VM_NAME}`;
const CATEGORY = 'vmsnapshot-extension-failed';
const APOLOGY = 'Sorry, something went wrong';
const MESSAGES = HANDOFF_TEXTS.en.messages;

/** The dispatcher starts the post as the case is stored, then polls every second: the card is there within this. */
const POSTED_WITHIN_MS = 10_000;
/** How long "nothing more comes" is watched for (the dispatcher polls every second, retries start at 1 s). */
const QUIET_MS = 4_000;
/** A timer may fire a few milliseconds early against Date.now(). */
const CLOCK_SLACK_MS = 50;

type Replies = Partial<Activity>[];

// ---------------------------------------------------------------------------
// Resources of one case, released when it ends, pass or fail
// ---------------------------------------------------------------------------

class Scope {
  private readonly cleanUps: (() => Promise<void> | void)[] = [];

  add(cleanUp: () => Promise<void> | void): void {
    this.cleanUps.push(cleanUp);
  }

  async close(): Promise<void> {
    for (const cleanUp of this.cleanUps.splice(0).reverse()) {
      try {
        await cleanUp();
      } catch {
        // Keep releasing the rest.
      }
    }
  }
}

async function inScope(body: (scope: Scope) => Promise<void>): Promise<void> {
  const scope = new Scope();
  try {
    await body(scope);
  } finally {
    await scope.close();
  }
}

async function connectorStandIn(scope: Scope): Promise<ConnectorStandIn> {
  const standIn = await ConnectorStandIn.start();
  scope.add(() => standIn.close());
  return standIn;
}

interface Bot {
  url: string;
  log: CapturedLog;
  running: RunningServer;
}

/** The real server (startServer, as test/support/test-bot-server.ts starts it) with the support channel configured and its log captured. */
async function startBot(scope: Scope, env: Record<string, string> = {}): Promise<Bot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'teams-channel-post-'));
  scope.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
  scope.add(() => storage.close());
  const log = captureLog();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TEAMS_SUPPORT_CHANNEL_ID: SUPPORT_CHANNEL_ID, ...env });
  const running = await startServer(config, storage, log.logger);
  scope.add(() => running.close());
  return { url: running.url, log, running };
}

/** Log entries of one event and delivery kind. */
function events(log: CapturedLog, event: string, kind = 'teams-post'): Record<string, unknown>[] {
  return log.events(event).filter((entry) => entry['kind'] === kind);
}

// ---------------------------------------------------------------------------
// Teams' side: a user in a personal chat, an agent in the support channel
// ---------------------------------------------------------------------------

let conversations = 0;

interface TeamsUserOptions {
  /** The bot's id as Teams addresses it (28:<app id>). */
  botId?: string;
  /** The Authorization header of each request (a fresh token each time), when the bot has an app id. */
  authorization?: () => string;
}

class TeamsUser {
  readonly conversationId: string;
  readonly userId: string;
  private sequence = 0;

  constructor(
    private readonly bot: Bot,
    readonly standIn: ConnectorStandIn,
    private readonly options: TeamsUserOptions = {},
  ) {
    conversations += 1;
    const tag = `${conversations}-${Date.now().toString(36)}`;
    // Teams' shapes: a personal chat "a:…", a user "29:…".
    this.conversationId = `a:1teams-post-${tag}`;
    this.userId = `29:1user-${tag}`;
  }

  say(text: string): Promise<Replies> {
    return this.turn({ text });
  }

  /** A click on an Action.Submit: the data as the value, empty text. */
  click(data: CardActionData): Promise<Replies> {
    return this.turn({ text: '', value: data });
  }

  /** Paste → Windows → "Talk to the helpdesk" on the cause card: the preview's turn. */
  async toPreview(): Promise<Replies> {
    const recognised = await this.say(PASTE);
    const cause = await this.click(button(lastCard(recognised), 'choose-os', { os: 'windows' }));
    expect(textOf(cause)).not.toContain(APOLOGY);
    const preview = await this.click(button(lastCard(cause), 'helpdesk'));
    expect(textOf(preview)).toContain(HANDOFF_TEXTS.en.preview.title);
    return preview;
  }

  /** …and "Send to the helpdesk": that turn's replies. */
  async sendCase(): Promise<Replies> {
    const preview = await this.toPreview();
    return this.click(button(lastCard(preview), 'send-case'));
  }

  /** What the bot said in this conversation outside the turns' responses (proactive messages the stand-in accepted). */
  told(): string[] {
    return this.standIn.delivered(this.conversationId).map((activity) => activity.text ?? '');
  }

  async waitToBeTold(predicate: (text: string) => boolean, what: string, timeoutMs = POSTED_WITHIN_MS): Promise<string> {
    await this.standIn.waitFor(() => this.told().some(predicate), timeoutMs, `${what} in ${this.conversationId}`);
    return this.told().find(predicate)!;
  }

  /** A message activity as Teams sends it in a personal chat; `expectReplies` unless told otherwise. */
  async turn(fields: Partial<Activity>, expectReplies = true): Promise<Replies> {
    const { status, activities } = await postActivity(this.bot.url, this.activity(fields, expectReplies), this.options.authorization?.());
    if (status !== 200) throw new Error(`POST /api/messages answered ${status} to ${JSON.stringify(fields)}`);
    return activities;
  }

  /** The next activity of this conversation (no Authorization: that goes with the request). */
  activity(fields: Partial<Activity>, expectReplies = true): Partial<Activity> {
    this.sequence += 1;
    return {
      type: 'message',
      id: `${this.conversationId}-turn-${this.sequence}`,
      channelId: 'msteams',
      serviceUrl: this.standIn.serviceUrl,
      ...(expectReplies ? { deliveryMode: 'expectReplies' } : {}),
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', tenantId: TENANT_ID, name: '' },
      from: { id: this.userId, name: 'User', aadObjectId: '00000000-0000-0000-0000-00000000a11e' },
      recipient: { id: this.options.botId ?? '28:bot', name: 'Backup troubleshooter' },
      channelData: { tenant: { id: TENANT_ID } },
      locale: 'en-US',
      timestamp: new Date(),
      ...fields,
    };
  }
}

async function postActivity(baseUrl: string, activity: Partial<Activity>, authorization?: string): Promise<{ status: number; activities: Replies }> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(20_000),
  });
  const raw = await response.text();
  if (raw === '') return { status: response.status, activities: [] };
  const body = JSON.parse(raw) as { activities?: Replies };
  return { status: response.status, activities: body.activities ?? [] };
}

/** An agent's click on the posted card, as Teams sends it: a message in the channel's thread, replying to the card. */
async function agentClicks(bot: Bot, standIn: ConnectorStandIn, post: PostedCard, agent: { id: string; name: string }): Promise<number> {
  const activity: Partial<Activity> = {
    type: 'message',
    id: `agent-click-${agent.id}-${Date.now()}`,
    channelId: 'msteams',
    serviceUrl: standIn.serviceUrl,
    conversation: { id: post.conversationId, isGroup: true, conversationType: 'channel', tenantId: TENANT_ID, name: '' },
    from: { id: agent.id, name: agent.name, aadObjectId: '00000000-0000-0000-0000-0000000a9e07' },
    recipient: { id: '28:bot', name: 'Backup troubleshooter' },
    replyToId: post.activityId,
    text: '',
    value: post.takeCase,
    channelData: { channel: { id: SUPPORT_CHANNEL_ID }, team: { id: SUPPORT_CHANNEL_ID }, tenant: { id: TENANT_ID } },
    locale: 'en-US',
    timestamp: new Date(),
  };
  return (await postActivity(bot.url, activity)).status;
}

// ---------------------------------------------------------------------------
// What the stand-in received
// ---------------------------------------------------------------------------

interface PostedCard {
  request: ConnectorRequest;
  parameters: ConversationParameters;
  card: AdaptiveCardJson;
  /** The channel thread the create answered with, and the card's activity id in it. */
  conversationId: string;
  activityId: string;
  takeCase: CardActionData;
}

function creates(standIn: ConnectorStandIn): ConnectorRequest[] {
  return standIn.requests.filter((request) => request.kind === 'create');
}

function acceptedCreates(standIn: ConnectorStandIn): ConnectorRequest[] {
  return creates(standIn).filter((request) => request.status === 201);
}

async function postedCard(standIn: ConnectorStandIn): Promise<PostedCard> {
  await standIn.waitFor((seen) => acceptedCreates(seen).length > 0, POSTED_WITHIN_MS, 'the case card to be created in the support channel');
  const request = acceptedCreates(standIn)[0]!;
  const cards = cardsOfActivity(request.activity ?? {});
  expect(cards).toHaveLength(1);
  const card = cards[0]!;
  return {
    request,
    parameters: request.body as ConversationParameters,
    card,
    conversationId: request.conversationId!,
    activityId: request.answeredId!,
    takeCase: button(card, 'take-case'),
  };
}

/** The create Teams needs for a post in a channel: a group conversation in the channel, the card as its first activity. */
function expectChannelPost(post: PostedCard): void {
  expect(post.request.path).toBe('/v3/conversations');
  expect(post.parameters).toMatchObject({ isGroup: true, channelData: { channel: { id: SUPPORT_CHANNEL_ID }, tenant: { id: TENANT_ID } } });
  expect(post.request.activity).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
  expect(post.card).toMatchObject({ type: 'AdaptiveCard' });
  // The case's facts: the error and the VM the paste named, the guest OS the user chose.
  const cardJson = JSON.stringify(post.card);
  expect(cardJson).toContain(VM_NAME);
  expect(cardJson).toContain(CATEGORY);
  expect(cardJson).toContain('Windows');
  expect(buttonsOf(post.card).map((entry) => entry.title)).toEqual([HANDOFF_TEXTS.en.support.take]);
}

// ---------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------

describe('a Teams user\'s case posted to the helpdesk\'s Teams channel (TEAMS_SUPPORT_CHANNEL_ID), through a connector stand-in', () => {
  test.concurrent('When a Teams user sends their case without an app id, Then one POST /v3/conversations creates the case card in the support channel and the user hears it is there', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);
      expect(textOf(sent)).not.toContain(APOLOGY);

      const post = await postedCard(standIn);
      expectChannelPost(post);
      // Without an app id: no token, and the bot's account as the parameters carry it (empty id).
      expect(post.request.headers.authorization).toBeUndefined();
      expect(post.parameters.bot).toMatchObject({ id: '' });

      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');
      // One card, one message: nothing more comes.
      expect(await standIn.happensWithin((seen) => creates(seen).length > 1 || user.told().length > 1, QUIET_MS)).toBe(false);
      expect(creates(standIn)).toHaveLength(1);
      expect(user.told()).toEqual([MESSAGES.channelPosted]);
      expect(events(bot.log, 'delivery.delivered')).toHaveLength(1);
      // (The dispatcher's "delivery.settled" line is not checked: its `event` field overwrites the line's event name — reported.)
      expect(bot.log.events('turn-failed')).toEqual([]);
    }),
  );

  test.concurrent('When the send is clicked as Teams sends it (replies through the connector, not expectReplies), Then the user reads "posting…" before "the helpdesk has your case"', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      const preview = await user.toPreview();
      expect(await user.turn({ text: '', value: button(lastCard(preview), 'send-case') }, false)).toEqual([]);
      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');
      const told = user.told();
      expect(told).toContain(MESSAGES.channelQueued);
      expect(told.indexOf(MESSAGES.channelQueued)).toBeLessThan(told.indexOf(MESSAGES.channelPosted));
      expect(told.join('\n')).not.toContain(APOLOGY);
    }),
  );

  test.concurrent('When the support channel answers the first create with 429 and Retry-After: 1, Then the card is posted once, at least a second later, and the user hears it once', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      standIn.failNext(1, { status: 429, retryAfterSeconds: 1, kinds: ['create'] });
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);
      expect(textOf(sent)).not.toContain(APOLOGY);

      const post = await postedCard(standIn);
      expectChannelPost(post);
      const [throttled, accepted] = creates(standIn);
      expect(throttled!.status).toBe(429);
      expect(accepted).toBe(post.request);
      expect(accepted!.at - throttled!.at).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
      expect(post.request.body).toEqual(throttled!.body);

      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');
      expect(await standIn.happensWithin((seen) => creates(seen).length > 2 || user.told().length > 1, QUIET_MS)).toBe(false);
      expect(acceptedCreates(standIn)).toHaveLength(1);
      expect(user.told()).toEqual([MESSAGES.channelPosted]);
      // The connector client's own pipeline (core-rest-pipeline's throttling retry) waited for Retry-After and sent the
      // create again inside the dispatcher's first attempt: one delivered attempt, no delivery.retry line, no failure.
      expect(events(bot.log, 'delivery.delivered')).toHaveLength(1);
      expect(events(bot.log, 'delivery.failed')).toEqual([]);
    }),
  );

  test.concurrent('When the support channel answers the first two creates with 500, Then the create is sent again until it is accepted, one card is posted and the user hears it once', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      standIn.failNext(2, { status: 500, kinds: ['create'] });
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);

      const post = await postedCard(standIn);
      expectChannelPost(post);
      expect(creates(standIn).map((request) => request.status)).toEqual([500, 500, 201]);
      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');
      expect(await standIn.happensWithin((seen) => creates(seen).length > 3 || user.told().length > 1, QUIET_MS)).toBe(false);
      expect(user.told()).toEqual([MESSAGES.channelPosted]);
      expect(events(bot.log, 'delivery.failed')).toEqual([]);
    }),
  );

  /**
   * The connector client retries a 429 itself after Retry-After, uncapped, inside the dispatcher's attempt; the
   * dispatcher gives the attempt up after 30 s and tries again while the first create is still pending in the
   * client. The handler must take that create's card, not post a second one (seen before the fix: two cards).
   */
  test.concurrent('When the first create is throttled with a Retry-After longer than the dispatcher\'s 30 s attempt, Then still only one card is posted', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      standIn.failNext(1, { status: 429, retryAfterSeconds: 31, kinds: ['create'] });
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      await user.sendCase();
      expect(await standIn.happensWithin(() => user.told().includes(MESSAGES.channelPosted), 40_000)).toBe(true);
      await standIn.happensWithin((seen) => acceptedCreates(seen).length > 1, QUIET_MS);
      expect(acceptedCreates(standIn)).toHaveLength(1);
    }),
    60_000,
  );

  test.concurrent('When the support channel answers 403, Then the user gets "could not post" with the summary, delivery.failed is logged with status 403, nothing is retried, and "start over" still works', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      standIn.failAll({ status: 403, kinds: ['create'] });
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);
      expect(textOf(sent)).not.toContain(APOLOGY);

      const failed = await user.waitToBeTold((text) => text.startsWith(MESSAGES.channelFailed), 'channelFailed');
      // The summary to send by hand follows, in a code block: the error and the VM are in it.
      const summary = failed.slice(MESSAGES.channelFailed.length);
      expect(summary).toMatch(/^\n\n```\n[\s\S]+\n```$/);
      expect(summary).toContain(VM_NAME);
      expect(summary).toContain('VMSnapshot');

      expect(await standIn.happensWithin((seen) => creates(seen).length > 1 || user.told().length > 1, QUIET_MS)).toBe(false);
      expect(creates(standIn)).toHaveLength(1);
      expect(creates(standIn)[0]!.status).toBe(403);
      expect(events(bot.log, 'delivery.failed')).toMatchObject([{ level: 'error', kind: 'teams-post', status: 403, errorClass: 'blocked', reason: 'rejected', attempt: 1 }]);
      expect(events(bot.log, 'delivery.retry')).toEqual([]);
      // The log line says what happened, never what the case says.
      expect(JSON.stringify(events(bot.log, 'delivery.failed'))).not.toContain(VM_NAME);

      // The conversation was not reset by the failure: the user goes on.
      const next = await user.say('start over');
      expect(textOf(next)).toContain(BOT_TEXTS.en.startOver);
      expect(textOf(next)).not.toContain(APOLOGY);
      expect(bot.log.events('turn-failed')).toEqual([]);
    }),
  );

  test.concurrent('When the user\'s conversation refuses the "posted" message (403), Then no turn fails, no apology is attempted (the conversation is not reset), and telling is tried again until it goes through', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);
      standIn.failAll({ status: 403, kinds: ['send', 'reply'] });

      await user.sendCase();
      await postedCard(standIn);
      await standIn.waitFor((seen) => seen.postsTo(user.conversationId).length >= 2, POSTED_WITHIN_MS, 'the bot to try telling the user twice');
      const tried = standIn.postsTo(user.conversationId);
      expect(tried.map((request) => [request.status, request.activity?.text])).toEqual([
        [403, MESSAGES.channelPosted],
        [403, MESSAGES.channelPosted],
      ]);
      // A failed proactive send is not a failed turn: nothing apologises into the conversation or resets its state.
      expect(bot.log.events('turn-failed')).toEqual([]);

      standIn.recover();
      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted once the conversation accepts it');
      expect(user.told()).toEqual([MESSAGES.channelPosted]);
      expect(standIn.postsTo(user.conversationId).map((request) => request.activity?.text ?? '').join('\n')).not.toContain(APOLOGY);
      expect(acceptedCreates(standIn)).toHaveLength(1);
      expect(bot.log.events('turn-failed')).toEqual([]);
    }),
  );

  test.concurrent('When an agent clicks "Take this case" on the posted card, Then the card is updated in place to say who took it and the user is told; a second agent hears it is taken', () =>
    inScope(async (scope) => {
      const standIn = await connectorStandIn(scope);
      const bot = await startBot(scope);
      const user = new TeamsUser(bot, standIn);

      await user.sendCase();
      const post = await postedCard(standIn);
      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');

      expect(await agentClicks(bot, standIn, post, { id: '29:1agent-aiko', name: 'Aiko' })).toBe(200);
      await standIn.waitFor((seen) => seen.updatesTo(post.conversationId).length > 0, POSTED_WITHIN_MS, 'the card to be updated');
      const [update] = standIn.updatesTo(post.conversationId);
      expect(update!.method).toBe('PUT');
      expect(update!.path).toBe(`/v3/conversations/${encodeURIComponent(post.conversationId)}/activities/${encodeURIComponent(post.activityId)}`);
      expect(update!.activityId).toBe(post.activityId);
      expect(update!.activity).toMatchObject({ id: post.activityId, type: 'message' });
      const updated = cardsOfActivity(update!.activity!);
      expect(updated).toHaveLength(1);
      expect(textOf([update!.activity!])).toContain(HANDOFF_TEXTS.en.support.takenBy('Aiko'));
      expect(buttonsOf(updated[0]!)).toEqual([]);
      expect(JSON.stringify(updated[0])).toContain(VM_NAME);

      await user.waitToBeTold((text) => text === MESSAGES.takenBy('Aiko'), 'takenBy(Aiko)');
      // Nothing was posted in the channel's thread for the click itself.
      expect(standIn.postsTo(post.conversationId)).toEqual([]);

      // A second agent clicks the old card: they hear who took it; the user is not told again, the card not changed again.
      expect(await agentClicks(bot, standIn, post, { id: '29:1agent-ben', name: 'Ben' })).toBe(200);
      await standIn.waitFor((seen) => seen.delivered(post.conversationId).length > 0, POSTED_WITHIN_MS, 'the second agent to hear the case is taken');
      expect(standIn.delivered(post.conversationId).map((activity) => activity.text)).toEqual([MESSAGES.alreadyTaken('Aiko')]);
      expect(user.told()).toEqual([MESSAGES.channelPosted, MESSAGES.takenBy('Aiko')]);
      expect(standIn.updatesTo(post.conversationId)).toHaveLength(1);
    }),
  );
});

// ---------------------------------------------------------------------------
// With an app id
// ---------------------------------------------------------------------------

/** botframework-connector's process-wide cache of the tokens Azure AD issued to the bot (private in its typings). */
type TokenCache = Map<string, { accessToken: string; expiresOn: Date }>;
const tokenCache = (AppCredentials as unknown as { cache: TokenCache }).cache;
/** Its key for the bot's token to the Bot Framework channels (AppCredentials.tokenCacheKey). */
const tokenCacheKey = (appId: string): string => `${appId}${AuthenticationConstants.ToChannelFromBotOAuthScope}-cache`;

describe('with an app id (incoming tokens signed against the local OpenID stand-in)', () => {
  let openId: OpenIdStandIn;
  let key: SigningKey;

  beforeAll(async () => {
    // botbuilder writes every refused token to console.error; the assertions say what matters.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    key = newSigningKey('teams-post-key');
    openId = await OpenIdStandIn.start();
    openId.publish(key, ['msteams']);
  });

  afterAll(async () => {
    await openId?.close();
    jest.restoreAllMocks();
  });

  async function appIdBot(scope: Scope, appId: string): Promise<Bot> {
    return startBot(scope, { MicrosoftAppId: appId, MicrosoftAppPassword: 'not-a-real-secret', BOT_OPENID_METADATA_URL: openId.metadataUrl });
  }

  function appIdUser(bot: Bot, standIn: ConnectorStandIn, appId: string): TeamsUser {
    return new TeamsUser(bot, standIn, { botId: `28:${appId}`, authorization: () => `Bearer ${signRs256(channelClaims(appId, standIn.serviceUrl), key)}` });
  }

  test.concurrent('When Azure AD cannot be reached (offline), Then the turns still work, no create goes out without a token, the post is retried as a network failure, and the user hears neither an apology nor a false "posted"', () =>
    inScope(async (scope) => {
      const appId = 'd3a6b7c1-5e2f-4a8b-9c0d-1e2f3a4b5c6d';
      const standIn = await connectorStandIn(scope);
      const bot = await appIdBot(scope, appId);
      const user = appIdUser(bot, standIn, appId);

      // A request without a token is still refused: the app id is on.
      expect((await postActivity(bot.url, user.activity({ text: 'hello' }))).status).toBe(401);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);
      expect(textOf(sent)).not.toContain(APOLOGY);

      // The bot asks Azure AD (login.microsoftonline.com) for a token before each create: offline it fails before any request.
      await waitForLog(bot.log, (log) => events(log, 'delivery.retry').length >= 2, POSTED_WITHIN_MS, 'two retries of the post');
      expect(events(bot.log, 'delivery.retry')[0]).toMatchObject({ kind: 'teams-post', errorClass: 'network', attempt: 1 });
      expect(standIn.requests).toEqual([]);
      expect(events(bot.log, 'delivery.failed')).toEqual([]);
      expect(user.told()).toEqual([]);

      const next = await user.say('start over');
      expect(textOf(next)).toContain(BOT_TEXTS.en.startOver);
      expect(bot.log.events('turn-failed')).toEqual([]);
    }),
  );

  test.concurrent('When the bot holds a token for its app id (in botframework-connector\'s token cache, as if Azure AD had issued it), Then the create carries it and the app id, and the user hears the card is posted', () =>
    inScope(async (scope) => {
      const appId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
      const accessToken = `stand-in-aad-token-${Date.now()}`;
      tokenCache.set(tokenCacheKey(appId), { accessToken, expiresOn: new Date(Date.now() + 60 * 60_000) });
      scope.add(() => void tokenCache.delete(tokenCacheKey(appId)));
      const standIn = await connectorStandIn(scope);
      const bot = await appIdBot(scope, appId);
      const user = appIdUser(bot, standIn, appId);

      const sent = await user.sendCase();
      expect(textOf(sent)).toContain(MESSAGES.channelQueued);
      expect(textOf(sent)).not.toContain(APOLOGY);

      const post = await postedCard(standIn);
      expectChannelPost(post);
      expect(post.request.headers.authorization).toBe(`Bearer ${accessToken}`);
      expect(post.parameters.bot).toMatchObject({ id: appId });

      await user.waitToBeTold((text) => text === MESSAGES.channelPosted, 'channelPosted');
      const told = standIn.postsTo(user.conversationId);
      expect(told.map((request) => request.headers.authorization)).toEqual([`Bearer ${accessToken}`]);
      expect(creates(standIn)).toHaveLength(1);
    }),
  );
});

/** Resolves once `predicate` holds over the captured log (checked every 50 ms), rejects after `timeoutMs`. */
async function waitForLog(log: CapturedLog, predicate: (log: CapturedLog) => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(log)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; log events: ${log.entries().map((entry) => entry['event']).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
