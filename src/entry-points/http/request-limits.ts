/**
 * What stands between the network and the bot on POST /api/messages. A request
 * meets these in order:
 *
 * 1. Before its body is read (every route, `server.pre`): a `Content-Encoding`
 *    gets 415 (restify's gunzip has no error handler, so a broken gzip body would
 *    crash the process, and a small one could inflate without bound); a declared
 *    `Content-Length` above MAX_BODY_BYTES gets 413 at once; on /api/messages,
 *    anything but `application/json` (UTF-8) gets 415.
 *    The local Direct Line's upload route alone takes bodies up to
 *    MAX_UPLOAD_BODY_BYTES (one picture), and reads them itself.
 * 2. restify's body parser, at MAX_BODY_BYTES: a bigger chunked body gets 413,
 *    JSON that does not parse gets 400. Multipart bodies are left unparsed:
 *    restify would hand them to formidable, which writes each file to a temp
 *    folder, and pictures users send are never to touch the disk.
 * 3. The activity's shape (`activityProblem`): a body that is not an activity the
 *    bot can hold on to (no conversation, no sender, wrong types, nested deeper
 *    than MAX_JSON_DEPTH, `__proto__` keys…) gets 400 and never reaches the adapter,
 *    which would otherwise answer 500 or run the turn and fail on it. A locale
 *    that is no language tag is dropped (the bot then goes by the user's choice
 *    or the paste).
 * 4. The rate per conversation (`SlidingWindowRateLimiter`): beyond
 *    RATE_LIMIT_PER_MINUTE activities a minute, 429 with Retry-After, and the bot
 *    does not run. A request the adapter then refuses with 401 gives its place
 *    back, so forged requests cannot use up a conversation's allowance.
 * 5. The adapter authenticates (`StrictBotFrameworkAuthentication`): with an app
 *    id, every token that does not pass, for whatever reason, gets 401.
 * 6. In the turn, before the bot (adapter middleware): a message whose text is
 *    longer than MAX_MESSAGE_TEXT_BYTES is answered, in the user's language, with
 *    a request for the error lines only, and goes no further: conversation state
 *    and the transcript never carry it.
 *
 * Refusals are logged (`request-refused`: status, reason, route; never the body).
 */
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import {
  ActivityTypes,
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  UserState,
  type Activity,
  type CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Middleware,
  type StatePropertyAccessor,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity } from 'botframework-connector';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, type Config } from '../../config';
import type { Logger } from '../../logger';
import type { UserProfile } from '../../domain/conversation/conversation-data';
import type { Language } from '../../domain/knowledge/schema';
import { languageOfLocale } from '../../domain/i18n/localized';
import { BOT_TEXTS } from '../../domain/i18n/bot-texts';
import { conversationTag } from '../../bot/turn-logging';
import { MAX_UPLOAD_BODY_BYTES, isUploadPath } from './direct-line/multipart-upload';

/** The largest request body: a paste somewhat above MAX_MESSAGE_TEXT_BYTES, even a 1 MB one, still gets its answer in chat. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The most text of one message that the bot reads (UTF-8 bytes); a longer message is answered with a request for the error lines. */
export const MAX_MESSAGE_TEXT_BYTES = 64 * 1024;
/** JSON nested deeper than this is refused: activities are flat, Adaptive Card data a few levels deep. */
export const MAX_JSON_DEPTH = 64;
/** Ids (conversation, sender, recipient, members) longer than this are refused; Teams ids are a few hundred characters at most. */
export const MAX_ID_LENGTH = 1024;
/** At most this many members, attachments or entities in one activity (a Teams team can add many members at once). */
export const MAX_LIST_LENGTH = 1000;
/** Conversations whose rate is tracked at once; the least recently seen is forgotten first. */
export const RATE_LIMIT_MAX_CONVERSATIONS = 10_000;
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Receiving one whole request (headers and body) may take this long (Node's default is 5 minutes). */
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 20_000;

const MESSAGES_PATH = '/api/messages';

// ---------------------------------------------------------------------------
// Rate per conversation
// ---------------------------------------------------------------------------

export type RateDecision = { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number };

interface RateWindow {
  /** Start of the current fixed window (ms). */
  start: number;
  /** Requests counted in the window before it, and in the current one. */
  previous: number;
  current: number;
}

/**
 * A sliding window per key, approximated from two fixed windows (the previous
 * one weighted by how much of it still overlaps the last `windowMs`): three
 * numbers per key, whatever the limit. At most `maxKeys` keys are tracked; the
 * least recently seen is forgotten first (its next request starts afresh).
 */
export class SlidingWindowRateLimiter {
  private readonly windows = new Map<string, RateWindow>();

  constructor(
    readonly limit: number,
    readonly windowMs: number = RATE_LIMIT_WINDOW_MS,
    readonly maxKeys: number = RATE_LIMIT_MAX_CONVERSATIONS,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
  }

  /** Keys tracked now (never more than maxKeys). */
  get size(): number {
    return this.windows.size;
  }

  /** Counts one request for `key` if it is within the limit; `release` gives the place back (a request that turned out not to count). */
  take(key: string): RateDecision {
    const now = this.now();
    const window = this.advance(this.windows.get(key), now);
    // Re-inserted: the Map's order is the order keys were last seen in.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);

    if (this.estimate(window, now) + 1 > this.limit) return { allowed: false, retryAfterSeconds: this.retryAfterSeconds(window, now) };
    window.current += 1;
    const countedIn = window.start;
    let released = false;
    return {
      allowed: true,
      release: () => {
        if (released) return;
        released = true;
        const tracked = this.windows.get(key);
        if (tracked !== window) return;
        if (window.start === countedIn) window.current = Math.max(0, window.current - 1);
        else if (window.start - countedIn === this.windowMs) window.previous = Math.max(0, window.previous - 1);
      },
    };
  }

  private advance(window: RateWindow | undefined, now: number): RateWindow {
    if (!window) return { start: now, previous: 0, current: 0 };
    const elapsed = Math.floor((now - window.start) / this.windowMs);
    if (elapsed <= 0) return window;
    window.previous = elapsed === 1 ? window.current : 0;
    window.current = 0;
    window.start += elapsed * this.windowMs;
    return window;
  }

  private estimate(window: RateWindow, now: number): number {
    const overlap = (this.windowMs - (now - window.start)) / this.windowMs;
    return window.previous * overlap + window.current;
  }

  /** When the estimate will have room for one more request. */
  private retryAfterSeconds(window: RateWindow, now: number): number {
    const W = this.windowMs;
    const into = now - window.start;
    let waitMs: number;
    if (window.current + 1 <= this.limit) {
      // Room comes as the previous window slides out, at the latest when the next one starts.
      const at = W * (1 - (this.limit - 1 - window.current) / window.previous);
      waitMs = Math.min(Math.max(at, into), W) - into;
    } else {
      // The current window is full: it becomes the previous one, and slides out in turn.
      waitMs = W - into + W * (1 - (this.limit - 1) / window.current);
    }
    return Math.max(1, Math.ceil(waitMs / 1000));
  }
}

// ---------------------------------------------------------------------------
// The activity's shape
// ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what ids must not hold
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Half of a surrogate pair without the other half: not text, and not the same key once stored as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function idProblem(value: unknown, name: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `${name} must be a non-empty string`;
  if (value.length > MAX_ID_LENGTH) return `${name} is longer than ${MAX_ID_LENGTH} characters`;
  if (CONTROL_CHARACTERS.test(value) || LONE_SURROGATE.test(value)) return `${name} holds control characters or broken UTF-16`;
  return undefined;
}

function optionalTypes(object: Json, name: string, strings: readonly string[], booleans: readonly string[] = []): string | undefined {
  for (const key of strings) {
    const value = object[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return `${name}.${key} must be a string`;
  }
  for (const key of booleans) {
    const value = object[key];
    if (value !== undefined && value !== null && typeof value !== 'boolean') return `${name}.${key} must be true or false`;
  }
  return undefined;
}

function accountProblem(value: unknown, name: string): string | undefined {
  if (!isObject(value)) return `${name} must be an object with an id`;
  return idProblem(value['id'], `${name}.id`) ?? optionalTypes(value, name, ['name', 'role', 'aadObjectId']);
}

function listProblem(value: unknown, name: string, item: (entry: unknown, itemName: string) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `${name} must be a list`;
  if (value.length > MAX_LIST_LENGTH) return `${name} has more than ${MAX_LIST_LENGTH} entries`;
  for (let index = 0; index < value.length; index++) {
    const problem = item(value[index], `${name}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function attachmentProblem(value: unknown, name: string): string | undefined {
  if (!isObject(value)) return `${name} must be an object`;
  return optionalTypes(value, name, ['contentType', 'contentUrl', 'name', 'thumbnailUrl']);
}

function entityProblem(value: unknown, name: string): string | undefined {
  if (!isObject(value) || typeof value['type'] !== 'string') return `${name} must be an object with a type`;
  // TurnContext.removeRecipientMention reads mentioned.id of every mention (Teams).
  if (value['type'].toLowerCase() === 'mention') return accountProblem(value['mentioned'], `${name}.mentioned`) ?? optionalTypes(value, name, ['text']);
  return undefined;
}

function serviceUrlProblem(value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === null) return required ? 'serviceUrl is required' : undefined;
  if (typeof value !== 'string' || value.length > 2048) return 'serviceUrl must be an http(s) URL';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'serviceUrl must be an http(s) URL';
  } catch {
    return 'serviceUrl must be an http(s) URL';
  }
}

/** Walks the whole body once, without recursion: too deep, or a key that could reach an object's prototype. */
function structureProblem(body: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: body, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) return `the body is nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(value)) {
      for (const entry of value) if (typeof entry === 'object' && entry !== null) stack.push({ value: entry, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      const entry = (value as Json)[key];
      if (key === '__proto__' || ((key === 'constructor' || key === 'prototype') && typeof entry === 'object' && entry !== null)) {
        return `the body holds the key "${key}"`;
      }
      if (typeof entry === 'object' && entry !== null) stack.push({ value: entry, depth: depth + 1 });
    }
  }
  return undefined;
}

const STRING_FIELDS = [
  'id', 'text', 'textFormat', 'name', 'replyToId', 'deliveryMode', 'inputHint', 'action', 'speak', 'summary',
  'timestamp', 'localTimestamp', 'localTimezone', 'expiration', 'importance', 'label', 'valueType', 'topicName', 'attachmentLayout',
] as const;
const CHANNEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A language tag as channels send it: en, ja-JP, zh-Hant-TW, en_US. */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,7}$/;

export interface ActivityRules {
  /** With auth on, the serviceUrl is required: botframework-connector checks the token's serviceurl claim only when there is one. */
  requireServiceUrl: boolean;
}

/**
 * Why `body` is not an activity the bot can take, or undefined when it is. A
 * locale that is not a language tag is removed from `body` (the only change made).
 */
export function activityProblem(body: unknown, rules: ActivityRules): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object (an activity)';
  const structure = structureProblem(body);
  if (structure) return structure;
  if (typeof body['type'] !== 'string' || body['type'].trim() === '' || body['type'].length > 64) return 'type must be a non-empty string';
  if (typeof body['channelId'] !== 'string' || !CHANNEL_ID.test(body['channelId'])) return 'channelId must be a channel id (letters, digits, ., _ and -)';
  const conversation = body['conversation'];
  if (!isObject(conversation)) return 'conversation must be an object with an id';
  const problem =
    idProblem(conversation['id'], 'conversation.id') ??
    optionalTypes(conversation, 'conversation', ['name', 'conversationType', 'tenantId', 'role', 'aadObjectId'], ['isGroup']) ??
    accountProblem(body['from'], 'from') ??
    accountProblem(body['recipient'], 'recipient') ??
    serviceUrlProblem(body['serviceUrl'], rules.requireServiceUrl) ??
    optionalTypes(body, 'activity', STRING_FIELDS) ??
    listProblem(body['membersAdded'], 'membersAdded', accountProblem) ??
    listProblem(body['membersRemoved'], 'membersRemoved', accountProblem) ??
    listProblem(body['attachments'], 'attachments', attachmentProblem) ??
    listProblem(body['entities'], 'entities', entityProblem);
  if (problem) return problem;
  const locale = body['locale'];
  if (locale !== undefined && locale !== null && typeof locale !== 'string') return 'locale must be a string';
  if (typeof locale === 'string' && !LANGUAGE_TAG.test(locale)) delete body['locale'];
  return undefined;
}

// ---------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------

/** Why the adapter refused an activity (its body object), for the `request-refused` log line; never sent to the caller. */
const refusalReasons = new WeakMap<object, string>();

/** The reason a request was refused with 401, if the adapter's authentication said one. */
export function refusalReasonOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? refusalReasons.get(body) : undefined;
}

function unauthorized(error: unknown, activity?: object): AuthenticationError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (activity) refusalReasons.set(activity, reason.slice(0, 300));
  // One answer for every failure (no oracle for what was wrong with the token). botframework-connector
  // lets some failures through as plain errors — a bad signature, an algorithm not allowed, a token not
  // yet valid, a missing channelId — which CloudAdapter would answer with 500.
  return new AuthenticationError('Unauthorized Access. Request is not authorized', 401);
}

/**
 * ConfigurationBotFrameworkAuthentication whose refusals are all the same 401:
 * with an app id, a request whose token does not pass never reaches the bot,
 * and the caller hears "unauthorized" (not "server error", and not which check
 * failed) whatever was wrong with it. The reason goes to the log.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw unauthorized(error, activity);
    }
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (error) {
      throw unauthorized(error);
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await super.authenticateChannelRequest(authHeader);
    } catch (error) {
      throw unauthorized(error);
    }
  }
}

/**
 * The options that make the bot fetch the channels' signing keys from
 * `metadataUrl` (BOT_OPENID_METADATA_URL). Setting any one of these makes
 * botframework-connector take all of them as given (BotFrameworkAuthenticationFactory),
 * so the others are set to the public cloud's values, exactly as it uses them
 * without the override: issuer https://api.botframework.com, audience = the app id,
 * the serviceurl claim, 5 minutes of clock tolerance, RS256/384/512 only.
 */
export function openIdMetadataOptions(metadataUrl: string): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

// ---------------------------------------------------------------------------
// Messages too long to read
// ---------------------------------------------------------------------------

const KANA = /[\u3040-\u30ff]/;

/** As the dialogs decide it (the user's choice, then the channel's locale), then the text itself, then what the last paste was in. */
async function languageForLongMessage(context: TurnContext, profiles: StatePropertyAccessor<UserProfile>, text: string): Promise<Language> {
  let profile: UserProfile = {};
  try {
    profile = (await profiles.get(context)) ?? {};
  } catch {
    // The store is unreachable: the locale and the text still say something.
  }
  return profile.chosenLanguage ?? languageOfLocale(context.activity.locale) ?? (KANA.test(text.slice(0, 8192)) ? 'ja' : undefined) ?? profile.detectedLanguage ?? 'en';
}

/** Adapter middleware: a message longer than MAX_MESSAGE_TEXT_BYTES is answered here and the bot does not run. */
export function longMessageGuard(storage: Storage, logger: Logger, limitBytes: number = MAX_MESSAGE_TEXT_BYTES): Middleware {
  // A state reader of its own: it only reads the user's language (compose-bot.ts's 'userProfile') and never saves.
  const profiles = new UserState(storage).createProperty<UserProfile>('userProfile');
  return {
    onTurn: async (context, next) => {
      const { activity } = context;
      const text = activity.type === ActivityTypes.Message && typeof activity.text === 'string' ? activity.text : '';
      // A UTF-8 character is at most 3 bytes per UTF-16 unit: short texts need no counting.
      if (text.length * 3 <= limitBytes) return next();
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes <= limitBytes) return next();
      const language = await languageForLongMessage(context, profiles, text);
      logger.log('info', 'message-too-long', { channel: activity.channelId, conversation: conversationTag(activity.conversation?.id), bytes, limit: limitBytes });
      await context.sendActivity(BOT_TEXTS[language].tooLong(Math.ceil(bytes / 1024), Math.floor(limitBytes / 1024)));
    },
  };
}

// ---------------------------------------------------------------------------
// Mounting
// ---------------------------------------------------------------------------

function refuse(res: Response, next: Next, logger: Logger, req: Request, status: number, code: string, message: string, fields: Record<string, unknown> = {}): void {
  logger.log('info', 'request-refused', { status, reason: code, detail: message, method: req.method, route: req.getPath(), ...fields });
  res.send(status, { code, message });
  next(false);
}

/** `application/json`, with no charset or UTF-8. */
function isJsonUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || /^charset="?utf-?8"?$/.test(parameter));
}

export interface RequestLimitOptions {
  /** Default: the limit from the configuration (RATE_LIMIT_PER_MINUTE). */
  limiter?: SlidingWindowRateLimiter;
  maxBodyBytes?: number;
  maxMessageTextBytes?: number;
}

export interface MountedRequestLimits {
  limiter: SlidingWindowRateLimiter;
}

/**
 * Mounts the guards on `server` (before the body parser, the body parser
 * itself, after it) and the long-message middleware on `adapter`. Call it where
 * the body parser would be mounted, before the routes.
 */
export function mountRequestLimits(server: Server, adapter: CloudAdapter, config: Config, logger: Logger, storage: Storage, options: RequestLimitOptions = {}): MountedRequestLimits {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const limiter = options.limiter ?? new SlidingWindowRateLimiter(config.security?.ratePerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE);
  const rules: ActivityRules = { requireServiceUrl: config.auth !== undefined };

  // Slow senders: a request (headers and body) must arrive within REQUEST_TIMEOUT_MS.
  server.server.headersTimeout = Math.min(server.server.headersTimeout, HEADERS_TIMEOUT_MS);
  server.server.requestTimeout = Math.min(server.server.requestTimeout || REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);

  server.pre((req: Request, res: Response, next: Next) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined) {
      if (encoding.trim().toLowerCase() === 'identity') {
        delete req.headers['content-encoding'];
      } else {
        res.setHeader('Accept-Encoding', 'identity');
        return refuse(res, next, logger, req, 415, 'UnsupportedMediaType', 'compressed request bodies are not accepted: send the body as it is');
      }
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const limit = req.method === 'POST' && isUploadPath(req.getPath()) ? Math.max(maxBodyBytes, MAX_UPLOAD_BODY_BYTES) : maxBodyBytes;
    if (declared > limit) {
      // Said at once, without reading the body; the connection ends with the answer.
      res.setHeader('Connection', 'close');
      return refuse(res, next, logger, req, 413, 'PayloadTooLarge', `the body is larger than ${limit} bytes`, { declared });
    }
    if (req.method === 'POST' && req.getPath() === MESSAGES_PATH && !isJsonUtf8(req.headers['content-type'])) {
      return refuse(res, next, logger, req, 415, 'UnsupportedMediaType', 'an activity must be sent as application/json (UTF-8)');
    }
    return next();
  });

  const [readBody, parseBody] = restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false });
  server.use(readBody!, (req: Request, res: Response, next: Next) => (req.getContentType() === 'multipart/form-data' ? next() : parseBody!(req, res, next)));

  server.use((req: Request, res: Response, next: Next) => {
    if (req.method !== 'POST' || req.getPath() !== MESSAGES_PATH) return next();
    const problem = activityProblem(req.body, rules);
    if (problem) return refuse(res, next, logger, req, 400, 'InvalidActivity', problem);
    const activity = req.body as { channelId: string; conversation: { id: string } };
    const decision = limiter.take(`${activity.channelId}/${activity.conversation.id}`);
    const conversation = conversationTag(activity.conversation.id);
    if (!decision.allowed) {
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return refuse(res, next, logger, req, 429, 'TooManyRequests', `more than ${limiter.limit} activities a minute in this conversation`, {
        channel: activity.channelId,
        conversation,
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    res.once('finish', () => {
      if (res.statusCode !== 401) return;
      decision.release();
      logger.log('warn', 'request-refused', {
        status: 401,
        reason: 'Unauthorized',
        detail: refusalReasonOf(req.body) ?? 'no valid token',
        method: req.method,
        route: MESSAGES_PATH,
        channel: activity.channelId,
        conversation,
      });
    });
    return next();
  });

  // Errors restify answers itself (bad JSON, a body too large while chunked, a client gone mid-body):
  // logged, answered as restify does, and never thrown.
  server.on('restifyError', (req: Request, _res: Response, error: Error & { statusCode?: number; code?: string }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500 && status !== 404) logger.log('info', 'request-refused', { status, reason: error.code ?? error.name, method: req.method, route: req.getPath() });
    return callback();
  });

  adapter.use(longMessageGuard(storage, logger, options.maxMessageTextBytes));
  return { limiter };
}
