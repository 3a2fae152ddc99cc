/**
 * Typed configuration from the environment, with Bot Framework's usual names.
 * Read once at start; an invalid value stops start-up with a message that names
 * the variable. Without MicrosoftAppId the bot runs without auth, for local use.
 * DIRECT_LINE_SECRET (with DIRECT_LINE_ENDPOINT) lets the web chat page get
 * Direct Line tokens; WEBCHAT_EMBED_ORIGINS limits which sites may frame it.
 */
import { z } from 'zod';

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
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PORT = 3978;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'is invalid');
  }
  const values = parsed.data;
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
  return {
    port: values.PORT ?? DEFAULT_PORT,
    host: values.HOST ?? '0.0.0.0',
    dataDir: values.DATA_DIR ?? 'data',
    ...(auth ? { auth } : {}),
    ...(directLine ? { directLine } : {}),
    ...(values.WEBCHAT_EMBED_ORIGINS && values.WEBCHAT_EMBED_ORIGINS.length > 0 ? { webChatEmbedOrigins: values.WEBCHAT_EMBED_ORIGINS } : {}),
  };
}
