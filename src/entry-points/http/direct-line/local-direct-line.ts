/**
 * A stand-in for the Direct Line service, for local use and tests only: the
 * subset of Direct Line 3.0 that Web Chat needs when it polls (no WebSocket),
 * served by the bot's own process. It is mounted only while auth is
 * off. It is not the Bot Framework service and makes no promise beyond that.
 *
 *   POST /v3/directline/tokens/generate            a token bound to a new conversation and to the user `identify` says
 *   POST /v3/directline/tokens/refresh             a fresh token for the same conversation
 *   POST /v3/directline/conversations              start (with a token) or create and start (without)
 *   GET  /v3/directline/conversations/:id          reconnect: a fresh token
 *   POST /v3/directline/conversations/:id/activities           the user's activity, forwarded to the bot
 *   GET  /v3/directline/conversations/:id/activities?watermark  what came after the watermark
 *   POST /v3/directline/conversations/:id/upload?userId          a message with files (multipart, as Web Chat sends it)
 *   GET  /v3/directline/attachments/:fileId                      an uploaded file, for the bot (loopback only)
 *
 * An upload's files are kept in memory for a few minutes (upload-store.ts) and
 * the message reaches the bot with each attachment's `contentUrl` pointing at
 * the attachments route, on loopback, as the real service points at its own.
 *
 * Each activity the client posts goes to the bot's own /api/messages with a
 * serviceUrl pointing back at this server, so the bot's CloudAdapter sends its
 * replies to the Bot Connector routes below, which store them for the client:
 *
 *   POST /v3/conversations/:id/activities              sendToConversation (proactive)
 *   POST /v3/conversations/:id/activities/:activityId  replyToActivity
 *   PUT  /v3/conversations/:id/activities/:activityId  updateActivity (the activity is replaced in place)
 *   DELETE /v3/conversations/:id/activities/:activityId
 *
 * The connector routes take no token (the adapter sends none while auth is off)
 * and answer loopback callers only.
 *
 * Who the user is comes from the token, which only tokens/generate binds (to the
 * id `identify` gives: the web chat's signed cookie) and nothing a page sends
 * can change: whatever `from` or `user` a request carries, the bot sees the
 * token's user.
 */
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../../logger';
import { newWebChatUserId } from '../webchat/user-id';
import { ConversationStore, DEFAULT_STORE_LIMITS, type DirectLineActivity, type StoreLimits, type StoredConversation } from './conversation-store';
import { bearerToken, isLoopbackAddress, jsonObject, localeTag, loopbackBaseUrl, sendError, sendJson, type UserIdentifier } from './http-helpers';
import { LocalTokenIssuer, type TokenClaims } from './local-tokens';
import { readUploadBody } from './multipart-upload';
import { DEFAULT_UPLOAD_LIMITS, UploadStore, type UploadLimits } from './upload-store';

export const LOCAL_DIRECT_LINE_PATH = '/v3/directline';

export interface LocalDirectLineOptions {
  logger: Logger;
  /** How the bot reaches this server; defaults to the server's own port on loopback. */
  selfUrl?: () => string;
  limits?: Partial<StoreLimits>;
  /** Lifetime of the tokens it issues (the Direct Line service's is 1800 s). */
  tokenLifetimeSeconds?: number;
  /** How long a turn of the bot may take before the client is told the bot failed. */
  botTimeoutMs?: number;
  now?: () => number;
  /** The user id a new token is bound to; default (the stand-in mounted on its own): a new user for every token. */
  identify?: UserIdentifier;
  uploadLimits?: Partial<UploadLimits>;
}

export interface LocalDirectLine {
  store: ConversationStore;
  tokens: LocalTokenIssuer;
  uploads: UploadStore;
}

/** The bot as the activities name it. */
export const LOCAL_BOT = { id: 'azure-backup-troubleshooter', name: 'Azure Backup troubleshooter', role: 'bot' } as const;
export const LOCAL_CHANNEL_ID = 'webchat';

/** Types a client may post (Web Chat sends messages, events and, if asked to, typing). */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
/** Fields of a client's activity passed on to the bot; ids, addresses and roles are set here. */
const CLIENT_FIELDS = ['text', 'textFormat', 'value', 'name', 'attachments', 'entities', 'channelData', 'localTimestamp', 'localTimezone', 'replyToId', 'speak', 'inputHint'];

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

/** A picture's thumbnail as Web Chat makes it (a small PNG/JPEG data: URL), or undefined for anything else. */
const MAX_THUMBNAIL_CHARS = 256 * 1024;
function uploadThumbnail(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_THUMBNAIL_CHARS) return undefined;
  return /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(value) ? value : undefined;
}

function readWatermark(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === '' || value === null) return undefined;
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : 'invalid';
}

export function mountLocalDirectLine(server: Server, options: LocalDirectLineOptions): LocalDirectLine {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const store = new ConversationStore({ ...DEFAULT_STORE_LIMITS, ...options.limits }, now);
  const uploads = new UploadStore({ ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits }, now);
  const tokens = new LocalTokenIssuer(options.tokenLifetimeSeconds ?? 1800, now);
  const selfUrl = options.selfUrl ?? (() => loopbackBaseUrl(server));
  const botTimeoutMs = options.botTimeoutMs ?? 30_000;
  const identify: UserIdentifier = options.identify ?? (() => newWebChatUserId());

  function conversationResponse(conversation: StoredConversation): Record<string, unknown> {
    const issued = tokens.issue(conversation.userId, conversation.id);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expires_in };
  }

  /** The token's claims, or an answer already sent (403 without a valid token). */
  function authorize(req: Request, res: Response, conversationId?: string): TokenClaims | undefined {
    const token = bearerToken(req);
    const check = token ? tokens.verify(token) : undefined;
    if (!check || !check.ok) {
      sendError(res, 403, check?.reason === 'expired' ? 'TokenExpired' : 'BadArgument', check?.reason === 'expired' ? 'The token has expired.' : 'A valid Direct Line token is required.');
      return undefined;
    }
    if (conversationId !== undefined && check.claims.conv !== conversationId) {
      sendError(res, 403, 'BadArgument', 'The token is not valid for this conversation.');
      return undefined;
    }
    // Tokens are only ever issued for a conversation's own user; anything else was not made here.
    const conversation = store.peek(check.claims.conv);
    if (conversation && conversation.userId !== check.claims.user) {
      sendError(res, 403, 'BadArgument', 'The token is not valid for this conversation.');
      return undefined;
    }
    return check.claims;
  }

  function conversationOr404(res: Response, id: string): StoredConversation | undefined {
    const conversation = store.peek(id);
    if (!conversation) sendError(res, 404, 'ConversationNotFound', 'There is no such conversation (it may have expired).');
    return conversation;
  }

  /** The client's conversation and its token's claims: 404 if unknown, 403 without a valid token for it; then it counts as active. */
  function clientConversation(req: Request, res: Response): { conversation: StoredConversation; claims: TokenClaims } | undefined {
    const known = conversationOr404(res, req.params.conversationId);
    const claims = known ? authorize(req, res, known.id) : undefined;
    const conversation = claims ? store.touch(claims.conv) : undefined;
    return conversation && claims ? { conversation, claims } : undefined;
  }

  /** Runs the bot's turns of one conversation one after another. */
  function enqueue<T>(conversation: StoredConversation, task: () => Promise<T>): Promise<T> {
    const run = conversation.queue.then(task);
    conversation.queue = run.catch(() => undefined);
    return run;
  }

  /** One turn of the bot over HTTP, as the Direct Line service would send it. */
  async function forward(conversation: StoredConversation, activity: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetch(`${selfUrl()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(botTimeoutMs),
      });
      await response.arrayBuffer();
      if (!response.ok) logger.log('warn', 'directline-bot-failed', { conversation: conversation.id, activityType: activity['type'], status: response.status });
      return response.ok;
    } catch (error) {
      logger.log('warn', 'directline-bot-unreachable', { conversation: conversation.id, activityType: activity['type'], error: (error as Error).message });
      return false;
    }
  }

  function toBot(activity: DirectLineActivity): Record<string, unknown> {
    return { ...activity, serviceUrl: selfUrl() };
  }

  /** The first start of a conversation tells the bot that the bot and the user joined: the bot greets. */
  function start(conversation: StoredConversation): boolean {
    if (conversation.started) return false;
    conversation.started = true;
    const update: DirectLineActivity = {
      type: 'conversationUpdate',
      id: `${conversation.id}|start`,
      timestamp: new Date(now()).toISOString(),
      channelId: LOCAL_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: { id: conversation.userId, role: 'user' },
      recipient: { ...LOCAL_BOT },
      membersAdded: [{ ...LOCAL_BOT }, { id: conversation.userId, role: 'user' }],
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    };
    void enqueue(conversation, () => forward(conversation, toBot(update)));
    return true;
  }

  // The body's `user` (the real service takes it from the secret's holder) is ignored: the server decides who this is.
  server.post(`${LOCAL_DIRECT_LINE_PATH}/tokens/generate`, async (req, res) => {
    sendJson(res, 200, conversationResponse(store.create(identify(req, res))));
  });

  server.post(`${LOCAL_DIRECT_LINE_PATH}/tokens/refresh`, async (req, res) => {
    const claims = authorize(req, res);
    if (!claims) return;
    const conversation = store.touch(claims.conv);
    if (!conversation) return sendError(res, 403, 'TokenExpired', 'The conversation of this token has expired.');
    sendJson(res, 200, conversationResponse(conversation));
  });

  server.post(`${LOCAL_DIRECT_LINE_PATH}/conversations`, async (req, res) => {
    const body = jsonObject(req.body) ?? {};
    const locale = localeTag(body['locale']);
    let conversation: StoredConversation | undefined;
    if (bearerToken(req) !== undefined) {
      const claims = authorize(req, res);
      if (!claims) return;
      conversation = store.touch(claims.conv);
      if (!conversation) return sendError(res, 404, 'ConversationNotFound', 'The conversation of this token has expired.');
    } else {
      // Without a token (the local stand-in has no secret to ask for), a new conversation and a new user: never the body's.
      conversation = store.create(newWebChatUserId());
    }
    if (locale && !conversation.locale) conversation.locale = locale;
    const created = start(conversation);
    sendJson(res, created ? 201 : 200, conversationResponse(conversation));
  });

  server.get(`${LOCAL_DIRECT_LINE_PATH}/conversations/:conversationId`, async (req, res) => {
    const client = clientConversation(req, res);
    if (!client) return;
    sendJson(res, 200, conversationResponse(client.conversation));
  });

  /** A message, event or typing from the client (posted, or the activity part of an upload): stored, then forwarded to the bot. */
  async function acceptFromClient(res: Response, client: { conversation: StoredConversation; claims: TokenClaims }, body: Record<string, unknown> | undefined): Promise<void> {
    const { conversation, claims } = client;
    const type = body?.['type'];
    if (!body || typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
      return sendError(res, 400, 'BadArgument', `An activity of type ${[...CLIENT_TYPES].join(', ')} is required.`);
    }
    const from = jsonObject(body['from']);
    const name = typeof from?.['name'] === 'string' && from['name'].length <= 100 ? { name: from['name'] } : {};
    const locale = localeTag(body['locale']) ?? conversation.locale;
    const activity = store.append(conversation, {
      ...pick(body, CLIENT_FIELDS),
      type,
      channelId: LOCAL_CHANNEL_ID,
      conversation: { id: conversation.id },
      // The token says who the user is, whatever the body claims.
      from: { id: claims.user, ...name, role: 'user' },
      recipient: { ...LOCAL_BOT },
      ...(locale ? { locale } : {}),
    });
    const delivered = await enqueue(conversation, () => forward(conversation, toBot(activity)));
    if (!delivered) return sendError(res, 502, 'BotError', 'The bot did not take the activity.');
    sendJson(res, 200, { id: activity.id });
  }

  server.post(`${LOCAL_DIRECT_LINE_PATH}/conversations/:conversationId/activities`, async (req, res) => {
    const client = clientConversation(req, res);
    if (!client) return;
    await acceptFromClient(res, client, jsonObject(req.body));
  });

  // The `userId` query parameter is ignored, like the body's `from`: the token says who the user is.
  server.post(`${LOCAL_DIRECT_LINE_PATH}/conversations/:conversationId/upload`, async (req, res) => {
    const client = clientConversation(req, res);
    if (!client) return;
    const upload = await readUploadBody(req);
    if (!upload.ok) {
      if (upload.status === 413) res.setHeader('Connection', 'close');
      return sendError(res, upload.status, upload.status === 413 ? 'MessageSizeTooBig' : 'BadArgument', upload.message);
    }
    const described = Array.isArray(upload.activity['attachments']) ? upload.activity['attachments'] : [];
    const attachments = [];
    for (const [index, file] of upload.files.entries()) {
      const id = uploads.put(file.bytes, file.contentType, client.conversation.id);
      if (!id) return sendError(res, 413, 'MessageSizeTooBig', 'The file is larger than uploads may be.');
      const name = jsonObject(described[index])?.['name'];
      const thumbnailUrl = uploadThumbnail(jsonObject(described[index])?.['thumbnailUrl']);
      // The thumbnail Web Chat made is echoed as the Direct Line service does: without it Web Chat shows the user's own
      // picture as a file to download. The bot never reads it (it downloads contentUrl only).
      attachments.push({
        contentType: file.contentType,
        contentUrl: `${selfUrl()}${LOCAL_DIRECT_LINE_PATH}/attachments/${id}`,
        name: typeof name === 'string' ? name.slice(0, 200) : file.name,
        ...(thumbnailUrl ? { thumbnailUrl } : {}),
      });
    }
    await acceptFromClient(res, client, { ...upload.activity, type: upload.activity['type'] ?? 'message', attachments });
  });

  server.get(`${LOCAL_DIRECT_LINE_PATH}/attachments/:fileId`, async (req, res) => {
    if (!fromLoopback(req, res)) return;
    const file = uploads.get(req.params.fileId);
    if (!file) return sendError(res, 404, 'NotFound', 'There is no such file (it may have expired).');
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.byteLength, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });

  server.get(`${LOCAL_DIRECT_LINE_PATH}/conversations/:conversationId/activities`, async (req, res) => {
    const client = clientConversation(req, res);
    if (!client) return;
    const watermark = readWatermark(new URL(req.url ?? '', 'http://local').searchParams.get('watermark') ?? undefined);
    if (watermark === 'invalid') return sendError(res, 400, 'BadArgument', 'The watermark must be a number from an earlier answer.');
    sendJson(res, 200, store.since(client.conversation, watermark));
  });

  // The Bot Connector side: where the bot's CloudAdapter sends its replies.
  function fromLoopback(req: Request, res: Response): boolean {
    if (isLoopbackAddress(req.socket?.remoteAddress)) return true;
    sendError(res, 403, 'Forbidden', 'Only the bot on this machine may post here.');
    return false;
  }

  function botActivity(req: Request, res: Response, conversation: StoredConversation): (Record<string, unknown> & { type: string }) | undefined {
    const body = jsonObject(req.body);
    if (!body || typeof body['type'] !== 'string') {
      sendError(res, 400, 'BadArgument', 'An activity with a type is required.');
      return undefined;
    }
    const { serviceUrl: _serviceUrl, id: _id, timestamp: _timestamp, ...rest } = body;
    const from = jsonObject(rest['from']) ?? LOCAL_BOT;
    return {
      ...rest,
      type: body['type'],
      channelId: LOCAL_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: { ...from, role: typeof from['role'] === 'string' ? from['role'] : 'bot' },
    };
  }

  const sendToConversation = async (req: Request, res: Response): Promise<void> => {
    if (!fromLoopback(req, res)) return;
    const conversation = conversationOr404(res, req.params.conversationId);
    if (!conversation) return;
    const fields = botActivity(req, res, conversation);
    if (!fields) return;
    const replyToId = req.params.activityId ?? fields['replyToId'];
    const activity = store.append(conversation, { ...fields, ...(typeof replyToId === 'string' ? { replyToId } : {}) });
    sendJson(res, 200, { id: activity.id });
  };
  server.post('/v3/conversations/:conversationId/activities', sendToConversation);
  server.post('/v3/conversations/:conversationId/activities/:activityId', sendToConversation);

  server.put('/v3/conversations/:conversationId/activities/:activityId', async (req, res) => {
    if (!fromLoopback(req, res)) return;
    const conversation = conversationOr404(res, req.params.conversationId);
    if (!conversation) return;
    const fields = botActivity(req, res, conversation);
    if (!fields) return;
    const activity = store.replace(conversation, req.params.activityId, fields);
    if (!activity) return sendError(res, 404, 'ActivityNotFound', 'There is no such activity in this conversation.');
    sendJson(res, 200, { id: activity.id });
  });

  server.del('/v3/conversations/:conversationId/activities/:activityId', async (req, res) => {
    if (!fromLoopback(req, res)) return;
    const conversation = conversationOr404(res, req.params.conversationId);
    if (!conversation) return;
    if (!store.remove(conversation, req.params.activityId)) return sendError(res, 404, 'ActivityNotFound', 'There is no such activity in this conversation.');
    sendJson(res, 200, {});
  });

  return { store, tokens, uploads };
}
