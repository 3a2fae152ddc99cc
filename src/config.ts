/**
 * Typed configuration from the environment, with Bot Framework's usual names.
 * Read once at start; an invalid value stops start-up with a message that names
 * the variable. Without MicrosoftAppId the bot runs without auth, for local use.
 * DIRECT_LINE_SECRET (with DIRECT_LINE_ENDPOINT) lets the web chat page get
 * Direct Line tokens; WEBCHAT_EMBED_ORIGINS limits which sites may frame it.
 * HELPDESK_* choose where handed-off cases go (see the helpdesk section below), and
 * HELPDESK_LANGUAGE the language the helpdesk reads.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { HelpdeskSettings } from './data-access/helpdesk/create-ticket-client';
import { parseFollowUpAfter } from './domain/follow-up/follow-up';
import { languageOfLocale } from './domain/i18n/localized';
import type { Language } from './domain/knowledge/schema';

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DEFAULT_DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An origin (scheme, host, port; no path): https, or http on a loopback host only. */
function isOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  return secure && url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
}

/** An http(s) URL: https, or http on a loopback host only (tests and local stand-ins). */
function isServiceUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const EnvironmentSchema = z
  .object({
    MicrosoftAppId: optionalText.pipe(z.string().regex(GUID, 'must be the bot\'s app id (a GUID)').optional()),
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: optionalText.pipe(z.enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` }).optional()),
    MicrosoftAppTenantId: optionalText.pipe(z.string().regex(GUID, 'must be a tenant id (a GUID)').optional()),
    PORT: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a port number (0..65535)')
        .transform(Number)
        .refine((port) => port <= 65535, 'must be a port number (0..65535)')
        .optional(),
    ),
    HOST: optionalText,
    DATA_DIR: optionalText,
    OCR_ENGINES: optionalText.pipe(z.enum(['1', '2'], { error: 'must be 1 or 2 (OCR engines reading screenshots at once)' }).transform(Number).optional()),
    DIRECT_LINE_SECRET: optionalText.pipe(
      z
        .string()
        .regex(/^[\x21-\x7e]{16,512}$/, 'must be a Direct Line secret of the bot\'s Direct Line channel (16 to 512 visible ASCII characters, no spaces)')
        .optional(),
    ),
    DIRECT_LINE_ENDPOINT: optionalText.pipe(
      z
        .string()
        .refine(isOrigin, `must be an https origin such as ${DEFAULT_DIRECT_LINE_ENDPOINT} (no path; http only for localhost)`)
        .transform((value) => new URL(value).origin)
        .optional(),
    ),
    WEBCHAT_EMBED_ORIGINS: optionalText.pipe(
      z
        .string()
        .transform((value) => value.split(/[\s,]+/).filter((origin) => origin !== ''))
        .refine((origins) => origins.every((origin) => isOrigin(origin)), 'must be origins separated by spaces or commas, such as https://helpdesk.example.com (http only for localhost)')
        .transform((origins) => origins.map((origin) => new URL(origin).origin))
        .optional(),
    ),
    HELPDESK_KIND: optionalText.pipe(z.enum(['webhook', 'servicenow', 'zendesk'], { error: 'must be webhook, servicenow or zendesk' }).optional()),
    HELPDESK_WEBHOOK_URL: optionalText.pipe(z.string().refine(isServiceUrl, 'must be an https URL (http only for localhost)').optional()),
    HELPDESK_WEBHOOK_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    HELPDESK_SERVICENOW_INSTANCE_URL: optionalText.pipe(z.string().refine(isServiceUrl, 'must be an https URL such as https://contoso.service-now.com').optional()),
    HELPDESK_SERVICENOW_USERNAME: optionalText,
    HELPDESK_SERVICENOW_PASSWORD: optionalText,
    HELPDESK_SERVICENOW_URGENCY: optionalText.pipe(z.enum(['1', '2', '3'], { error: 'must be 1, 2 or 3' }).transform(Number).optional()),
    HELPDESK_ZENDESK_SUBDOMAIN: optionalText.pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'must be the Zendesk subdomain (contoso for contoso.zendesk.com)').optional()),
    HELPDESK_ZENDESK_BASE_URL: optionalText.pipe(z.string().refine(isServiceUrl, 'must be an https URL (http only for localhost)').optional()),
    HELPDESK_ZENDESK_EMAIL: optionalText,
    HELPDESK_ZENDESK_API_TOKEN: optionalText,
    HELPDESK_TIMEOUT_MS: optionalText.pipe(z.string().regex(/^\d{3,6}$/, 'must be milliseconds (100..999999)').transform(Number).optional()),
    HELPDESK_RETRY_BASE_MS: optionalText.pipe(z.string().regex(/^\d{2,7}$/, 'must be milliseconds').transform(Number).optional()),
    HELPDESK_RETRY_MAX_MS: optionalText.pipe(z.string().regex(/^\d{3,9}$/, 'must be milliseconds').transform(Number).optional()),
    HELPDESK_MAX_AGE_MS: optionalText.pipe(z.string().regex(/^\d{3,10}$/, 'must be milliseconds').transform(Number).optional()),
    HELPDESK_CONTACT: optionalText.pipe(z.string().max(200, 'must be at most 200 characters').optional()),
    HELPDESK_LANGUAGE: optionalText.pipe(z.enum(['ja', 'en'], { error: 'must be ja or en' }).optional()),
    HANDOFF_HUB: optionalText.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true').optional()),
    FOLLOW_UP_AFTER: optionalText.pipe(
      z
        .string()
        .transform((value, context) => {
          const parsed = parseFollowUpAfter(value);
          if (parsed === undefined) {
            context.addIssue({ code: 'custom', message: 'must be a delay such as 30s, 15m, 24h or 1d (at most 30 days), or 0 to turn follow-ups off' });
            return z.NEVER;
          }
          return parsed;
        })
        .optional(),
    ),
    TEAMS_SUPPORT_CHANNEL_ID: optionalText.pipe(z.string().regex(/^19:[^\s]+@thread\.[a-z0-9.]+$/i, 'must be a Teams channel id such as 19:abc@thread.tacv2').optional()),
  })
  .superRefine((env, context) => {
    const required = (variable: keyof typeof env, kind: string) => {
      if (!env[variable]) context.addIssue({ code: 'custom', path: [variable], message: `is required when HELPDESK_KIND is ${kind}` });
    };
    const kind = env.HELPDESK_KIND ?? (env.HELPDESK_WEBHOOK_URL ? 'webhook' : undefined);
    if (kind === 'webhook') required('HELPDESK_WEBHOOK_URL', 'webhook');
    if (kind === 'servicenow') ['HELPDESK_SERVICENOW_INSTANCE_URL', 'HELPDESK_SERVICENOW_USERNAME', 'HELPDESK_SERVICENOW_PASSWORD'].forEach((name) => required(name as keyof typeof env, 'servicenow'));
    if (kind === 'zendesk') {
      if (!env.HELPDESK_ZENDESK_SUBDOMAIN && !env.HELPDESK_ZENDESK_BASE_URL) required('HELPDESK_ZENDESK_SUBDOMAIN', 'zendesk');
      ['HELPDESK_ZENDESK_EMAIL', 'HELPDESK_ZENDESK_API_TOKEN'].forEach((name) => required(name as keyof typeof env, 'zendesk'));
    }
  })
  .superRefine((env, context) => {
    if (!env.MicrosoftAppId) return;
    if (env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      context.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
      context.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required when MicrosoftAppType is SingleTenant' });
    }
  });

export interface BotAuth {
  appId: string;
  appPassword?: string;
  appType: (typeof APP_TYPES)[number];
  tenantId?: string;
}

/** The Bot Framework Direct Line service, for the web chat page in production. */
export interface DirectLineService {
  /** Never sent to the browser, never logged. */
  secret: string;
  /** Origin of the Direct Line service (no trailing slash), e.g. https://directline.botframework.com. */
  endpoint: string;
}

/** Where handed-off cases go, and how long delivery is retried. */
export interface HelpdeskConfig {
  settings: HelpdeskSettings;
  retry: { baseDelayMs: number; maxDelayMs: number; maxAgeMs: number };
}

export interface HandoffConfig {
  /** Undefined: no ticket system; cases are shown to the user to copy. */
  helpdesk?: HelpdeskConfig;
  /** Where to send the summary by hand, said to the user when nothing is connected. */
  contact?: string;
  /** A Direct Line hub answers handoff.initiate: tell the user an agent is being asked. */
  hub: boolean;
  /** The helpdesk's Teams channel, for cases raised in Teams. */
  teamsSupportChannelId?: string;
  /** HELPDESK_LANGUAGE: what the helpdesk reads (the case card in its Teams channel, "already taken"), whatever the user's language. */
  language: Language;
}

export interface Config {
  port: number;
  host: string;
  /** Undefined: no auth, for local use and tests. */
  auth?: BotAuth;
  /** Folder of the SQLite file that keeps state and outcomes. */
  dataDir: string;
  /** Set with DIRECT_LINE_SECRET: the page gets its tokens from the Direct Line service. */
  directLine?: DirectLineService;
  /** Sites allowed to show the web chat page in an iframe; undefined: any site. */
  webChatEmbedOrigins?: string[];
  handoff: HandoffConfig;
  /** Set with STORAGE=azure-blob: state and turn locks in Azure Blob Storage, shared by instances. Undefined: SQLite in dataDir. */
  azureBlobStorage?: AzureBlobStorageConfig;
  /** Set with RATE_LIMIT_PER_MINUTE or BOT_OPENID_METADATA_URL. Undefined: 60 activities a minute per conversation, the public cloud's signing keys. */
  security?: RequestSecurityConfig;
  /** Session milestones for the helpdesk's insights (INSIGHTS_*, APPLICATIONINSIGHTS_CONNECTION_STRING). */
  insights: InsightsConfig;
  /** FOLLOW_UP_AFTER: how long after "This fixed it" the bot asks whether the next backup succeeded; null: never. */
  followUpAfterMs: number | null;
  /** OCR_ENGINES: screenshots read at once (each engine takes a core while it reads); default defaultOcrEngines(cores). */
  ocrEngines: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PORT = 3978;
export const DEFAULT_FOLLOW_UP_AFTER_MS = 24 * 60 * 60_000;

/**
 * One OCR engine on a machine of two cores or fewer, two above. Even at idle priority an engine that
 * shares the cores with the turns slows them through the caches it fills: measured with
 * `npm run bench -- --ocr` on 2 cores, other conversations' p99 grew 12–21 % with two engines reading.
 */
export function defaultOcrEngines(cores: number): number {
  return cores <= 2 ? 1 : 2;
}

/** Parses one section of the environment; the first problem stops start-up, naming its variable. */
function parseSection<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv, fallbackVariable: string): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new ConfigError(String(issue?.path[0] ?? fallbackVariable), issue?.message ?? 'is invalid');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values = parseSection(EnvironmentSchema, env, 'environment');
  const azureBlobStorage = azureBlobStorageOf(env);
  const security = requestSecurityOf(env);
  const insights = insightsOf(env);
  const auth: BotAuth | undefined = values.MicrosoftAppId
    ? {
        appId: values.MicrosoftAppId,
        appType: values.MicrosoftAppType ?? 'MultiTenant',
        ...(values.MicrosoftAppPassword ? { appPassword: values.MicrosoftAppPassword } : {}),
        ...(values.MicrosoftAppTenantId ? { tenantId: values.MicrosoftAppTenantId } : {}),
      }
    : undefined;
  const directLine: DirectLineService | undefined = values.DIRECT_LINE_SECRET
    ? { secret: values.DIRECT_LINE_SECRET, endpoint: values.DIRECT_LINE_ENDPOINT ?? DEFAULT_DIRECT_LINE_ENDPOINT }
    : undefined;
  const helpdesk = helpdeskOf(values);
  const handoff: HandoffConfig = {
    hub: values.HANDOFF_HUB ?? false,
    language: values.HELPDESK_LANGUAGE ?? defaultLanguage(env),
    ...(helpdesk ? { helpdesk } : {}),
    ...(values.HELPDESK_CONTACT ? { contact: values.HELPDESK_CONTACT } : {}),
    ...(values.TEAMS_SUPPORT_CHANNEL_ID ? { teamsSupportChannelId: values.TEAMS_SUPPORT_CHANNEL_ID } : {}),
  };
  return {
    handoff,
    insights,
    followUpAfterMs: values.FOLLOW_UP_AFTER === undefined ? DEFAULT_FOLLOW_UP_AFTER_MS : values.FOLLOW_UP_AFTER,
    ocrEngines: values.OCR_ENGINES ?? defaultOcrEngines(availableParallelism()),
    port: values.PORT ?? DEFAULT_PORT,
    // Without auth, the bot and the local Direct Line answer anyone who reaches the port: loopback unless HOST says otherwise.
    host: values.HOST ?? (auth ? '0.0.0.0' : '127.0.0.1'),
    dataDir: values.DATA_DIR ?? 'data',
    ...(auth ? { auth } : {}),
    ...(directLine ? { directLine } : {}),
    ...(values.WEBCHAT_EMBED_ORIGINS && values.WEBCHAT_EMBED_ORIGINS.length > 0 ? { webChatEmbedOrigins: values.WEBCHAT_EMBED_ORIGINS } : {}),
    ...(azureBlobStorage ? { azureBlobStorage } : {}),
    ...(security ? { security } : {}),
  };
}

/**
 * The bot's default language: Japanese when the process's locale is Japanese (LC_ALL, then LC_MESSAGES,
 * then LANG), else English, the language the bot answers in when nothing else tells.
 */
export function defaultLanguage(env: NodeJS.ProcessEnv): Language {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value.trim() !== '');
  return languageOfLocale(locale) === 'ja' ? 'ja' : 'en';
}

function helpdeskOf(values: z.infer<typeof EnvironmentSchema>): HelpdeskConfig | undefined {
  const timeout = values.HELPDESK_TIMEOUT_MS ? { timeoutMs: values.HELPDESK_TIMEOUT_MS } : {};
  const kind = values.HELPDESK_KIND ?? (values.HELPDESK_WEBHOOK_URL ? 'webhook' : undefined);
  let settings: HelpdeskSettings | undefined;
  if (kind === 'webhook' && values.HELPDESK_WEBHOOK_URL) {
    settings = { kind, url: values.HELPDESK_WEBHOOK_URL, ...(values.HELPDESK_WEBHOOK_SECRET ? { secret: values.HELPDESK_WEBHOOK_SECRET } : {}), ...timeout };
  } else if (kind === 'servicenow' && values.HELPDESK_SERVICENOW_INSTANCE_URL && values.HELPDESK_SERVICENOW_USERNAME && values.HELPDESK_SERVICENOW_PASSWORD) {
    settings = {
      kind,
      instanceUrl: values.HELPDESK_SERVICENOW_INSTANCE_URL,
      username: values.HELPDESK_SERVICENOW_USERNAME,
      password: values.HELPDESK_SERVICENOW_PASSWORD,
      ...(values.HELPDESK_SERVICENOW_URGENCY ? { urgency: values.HELPDESK_SERVICENOW_URGENCY as 1 | 2 | 3 } : {}),
      ...timeout,
    };
  } else if (kind === 'zendesk' && values.HELPDESK_ZENDESK_EMAIL && values.HELPDESK_ZENDESK_API_TOKEN) {
    const baseUrl = values.HELPDESK_ZENDESK_BASE_URL ?? `https://${values.HELPDESK_ZENDESK_SUBDOMAIN}.zendesk.com`;
    settings = { kind, baseUrl, email: values.HELPDESK_ZENDESK_EMAIL, apiToken: values.HELPDESK_ZENDESK_API_TOKEN, ...timeout };
  }
  if (!settings) return undefined;
  return {
    settings,
    retry: {
      baseDelayMs: values.HELPDESK_RETRY_BASE_MS ?? 1_000,
      maxDelayMs: values.HELPDESK_RETRY_MAX_MS ?? 5 * 60_000,
      maxAgeMs: values.HELPDESK_MAX_AGE_MS ?? 24 * 60 * 60_000,
    },
  };
}

// ---------------------------------------------------------------------------
// State store (scale-out): STORAGE, AZURE_STORAGE_*, AZURE_LOCK_*.
// STORAGE=sqlite (default) keeps state in DATA_DIR/bot.sqlite for one instance;
// STORAGE=azure-blob keeps it in a blob container that several instances share,
// with a lease per conversation so that their turns do not overwrite each other.
// ---------------------------------------------------------------------------

const STORAGE_KINDS = ['sqlite', 'azure-blob'] as const;
export const DEFAULT_AZURE_STORAGE_CONTAINER = 'bot-state';

/** State in Azure Blob Storage, shared by every instance of the bot. */
export interface AzureBlobStorageConfig {
  /** The storage account's connection string. Never logged, never in an error message. */
  connectionString: string;
  /** The container of state blobs and of the lock blobs (`locks/…`). */
  container: string;
  /** Lease on a conversation's lock blob while a turn runs (15..60 s), renewed at half-time. */
  lockLeaseSeconds: number;
  /** How long a turn waits for another instance's turn of the same conversation before it gives up. */
  lockWaitMs: number;
}

/** Key=value pairs of a storage connection string: an account key or a SAS, or the emulator shortcut. */
/** The `Key=value;` pairs of a connection string, keys lower-cased; null when a part is not a pair. */
function connectionStringParts(value: string): Map<string, string> | null {
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const equals = part.indexOf('=');
    if (part.trim() === '') continue;
    if (equals <= 0) return null;
    parts.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return parts;
}

function isStorageConnectionString(value: string): boolean {
  if (/^UseDevelopmentStorage=true;?$/i.test(value)) return true;
  const parts = connectionStringParts(value);
  if (!parts) return false;
  const endpoint = parts.get('blobendpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/i.test(endpoint)) return false;
  const withKey = Boolean(parts.get('accountname') && parts.get('accountkey'));
  const withSas = Boolean(endpoint && parts.get('sharedaccesssignature'));
  return withKey || withSas;
}

const StateStoreSchema = z
  .object({
    STORAGE: optionalText.pipe(z.enum(STORAGE_KINDS, { error: `must be one of ${STORAGE_KINDS.join(', ')}` }).optional()),
    AZURE_STORAGE_CONNECTION_STRING: optionalText.pipe(
      z
        .string()
        .refine(
          isStorageConnectionString,
          'must be an Azure Storage connection string (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net, or BlobEndpoint=…;SharedAccessSignature=…)',
        )
        .optional(),
    ),
    AZURE_STORAGE_CONTAINER: optionalText.pipe(
      z
        .string()
        .regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a blob container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit')
        .optional(),
    ),
    AZURE_LOCK_LEASE_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{2}$/, 'must be seconds (15..60)')
        .transform(Number)
        .refine((seconds) => seconds >= 15 && seconds <= 60, 'must be seconds (15..60)')
        .optional(),
    ),
    AZURE_LOCK_WAIT_MS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{4,5}$/, 'must be milliseconds (1000..60000)')
        .transform(Number)
        .refine((ms) => ms >= 1000 && ms <= 60_000, 'must be milliseconds (1000..60000)')
        .optional(),
    ),
  })
  .superRefine((env, context) => {
    if (env.STORAGE === 'azure-blob' && !env.AZURE_STORAGE_CONNECTION_STRING) {
      context.addIssue({ code: 'custom', path: ['AZURE_STORAGE_CONNECTION_STRING'], message: 'is required when STORAGE is azure-blob' });
    }
    // The insights live in Azure Table storage of the same account: a blob-only string would keep state and lose them.
    if (env.STORAGE === 'azure-blob' && env.AZURE_STORAGE_CONNECTION_STRING && !reachesTables(env.AZURE_STORAGE_CONNECTION_STRING)) {
      context.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_CONNECTION_STRING'],
        message: 'must reach the Table service too (the insights are kept there): an account key with EndpointSuffix or TableEndpoint, or a SAS with TableEndpoint',
      });
    }
  });

/** An account key with the public endpoints, or an explicit TableEndpoint (emulator, SAS, other clouds). */
function reachesTables(connectionString: string): boolean {
  if (/^UseDevelopmentStorage=true;?$/i.test(connectionString)) return true;
  const parts = connectionStringParts(connectionString);
  if (!parts) return false;
  if (parts.has('tableendpoint')) return true;
  return parts.has('accountkey') && !parts.has('blobendpoint');
}

/** The Azure Blob settings with STORAGE=azure-blob, undefined for SQLite; throws ConfigError naming the variable. */
function azureBlobStorageOf(env: NodeJS.ProcessEnv): AzureBlobStorageConfig | undefined {
  const values = parseSection(StateStoreSchema, env, 'STORAGE');
  if (values.STORAGE !== 'azure-blob' || !values.AZURE_STORAGE_CONNECTION_STRING) return undefined;
  return {
    connectionString: values.AZURE_STORAGE_CONNECTION_STRING,
    container: values.AZURE_STORAGE_CONTAINER ?? DEFAULT_AZURE_STORAGE_CONTAINER,
    lockLeaseSeconds: values.AZURE_LOCK_LEASE_SECONDS ?? 15,
    lockWaitMs: values.AZURE_LOCK_WAIT_MS ?? 15_000,
  };
}

// ---------------------------------------------------------------------------
// Request limits and channel authentication (src/entry-points/http/request-limits.ts):
// RATE_LIMIT_PER_MINUTE, BOT_OPENID_METADATA_URL.
// ---------------------------------------------------------------------------

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
export const MAX_RATE_LIMIT_PER_MINUTE = 100_000;

export interface RequestSecurityConfig {
  /** Activities accepted per conversation per minute on POST /api/messages; beyond: 429 with Retry-After. */
  ratePerMinute: number;
  /**
   * Where the channels' signing keys are published (the OpenID metadata document), instead of the
   * Bot Framework's public cloud (https://login.botframework.com/v1/.well-known/openidconfiguration).
   * A knob for tests (a local stand-in on 127.0.0.1) and for clouds with their own endpoint; the issuer,
   * audience and serviceUrl checks stay as they are. Undefined: the public cloud's.
   */
  openIdMetadataUrl?: string;
}

/**
 * The URL of an OpenID metadata document the bot may trust: https, or plain http on a loopback
 * address literal (127.0.0.1 or [::1], which no DNS entry can redirect), with no credentials in it.
 */
function isOpenIdMetadataUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]'));
  return allowed && url.username === '' && url.password === '' && url.hash === '';
}

const RequestSecuritySchema = z
  .object({
    RATE_LIMIT_PER_MINUTE: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, `must be a number of requests per minute (1..${MAX_RATE_LIMIT_PER_MINUTE})`)
        .transform(Number)
        .refine((limit) => limit >= 1 && limit <= MAX_RATE_LIMIT_PER_MINUTE, `must be a number of requests per minute (1..${MAX_RATE_LIMIT_PER_MINUTE})`)
        .optional(),
    ),
    BOT_OPENID_METADATA_URL: optionalText.pipe(
      z
        .string()
        .refine(isOpenIdMetadataUrl, 'must be the https URL of an OpenID metadata document (plain http only on 127.0.0.1 or [::1], for tests)')
        .optional(),
    ),
    MicrosoftAppId: optionalText,
  })
  .superRefine((env, context) => {
    // Without an app id there is no auth to point anywhere: a metadata URL there is a mistake, said so.
    if (env.BOT_OPENID_METADATA_URL && !env.MicrosoftAppId) {
      context.addIssue({ code: 'custom', path: ['BOT_OPENID_METADATA_URL'], message: 'only applies when MicrosoftAppId is set (without an app id the bot runs without auth)' });
    }
  });

/** RATE_LIMIT_PER_MINUTE and BOT_OPENID_METADATA_URL; undefined when neither is set; throws ConfigError naming the variable. */
function requestSecurityOf(env: NodeJS.ProcessEnv): RequestSecurityConfig | undefined {
  const values = parseSection(RequestSecuritySchema, env, 'RATE_LIMIT_PER_MINUTE');
  if (values.RATE_LIMIT_PER_MINUTE === undefined && values.BOT_OPENID_METADATA_URL === undefined) return undefined;
  return {
    ratePerMinute: values.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    ...(values.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: values.BOT_OPENID_METADATA_URL } : {}),
  };
}

// ---------------------------------------------------------------------------
// Insights (src/domain/insights/): INSIGHTS_RETENTION_DAYS, INSIGHTS_KEEP_TEXTS,
// INSIGHTS_TOKEN, APPLICATIONINSIGHTS_CONNECTION_STRING.
// ---------------------------------------------------------------------------

export const DEFAULT_INSIGHTS_RETENTION_DAYS = 30;

export interface InsightsConfig {
  /** Sessions and unrecognised texts older than this are forgotten. */
  retentionDays: number;
  /** False: unrecognised texts are counted, their text is not kept. */
  keepTexts: boolean;
  /** With auth on, the dashboard and its data answer only with this bearer token (or its sign-in cookie); unset: 404. */
  token?: string;
  /** Set: milestones also go to Application Insights as custom events. Never logged. */
  applicationInsightsConnectionString?: string;
}

/** Key=value pairs with an InstrumentationKey (a GUID); an IngestionEndpoint must be https, or http on loopback. */
function isApplicationInsightsConnectionString(value: string): boolean {
  const parts = connectionStringParts(value);
  const key = parts?.get('instrumentationkey');
  const endpoint = parts?.get('ingestionendpoint');
  return Boolean(key && GUID.test(key)) && (endpoint === undefined || isServiceUrl(endpoint));
}

const InsightsSchema = z.object({
  INSIGHTS_RETENTION_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, 'must be a number of days (1..3650)')
      .transform(Number)
      .refine((days) => days >= 1 && days <= 3650, 'must be a number of days (1..3650)')
      .optional(),
  ),
  INSIGHTS_KEEP_TEXTS: optionalText.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true').optional()),
  INSIGHTS_TOKEN: optionalText.pipe(z.string().regex(/^[\x21-\x7e]{24,256}$/, 'must be 24 to 256 visible ASCII characters (no spaces)').optional()),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .refine(isApplicationInsightsConnectionString, 'must be an Application Insights connection string (InstrumentationKey=<guid>;IngestionEndpoint=https://…)')
      .optional(),
  ),
});

/** The insights settings (always present: recording is on); throws ConfigError naming the variable. */
export function insightsOf(env: NodeJS.ProcessEnv): InsightsConfig {
  const values = parseSection(InsightsSchema, env, 'INSIGHTS_RETENTION_DAYS');
  return {
    retentionDays: values.INSIGHTS_RETENTION_DAYS ?? DEFAULT_INSIGHTS_RETENTION_DAYS,
    keepTexts: values.INSIGHTS_KEEP_TEXTS ?? true,
    ...(values.INSIGHTS_TOKEN ? { token: values.INSIGHTS_TOKEN } : {}),
    ...(values.APPLICATIONINSIGHTS_CONNECTION_STRING ? { applicationInsightsConnectionString: values.APPLICATIONINSIGHTS_CONNECTION_STRING } : {}),
  };
}
