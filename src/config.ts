/**
 * Typed configuration from the environment, with Bot Framework's usual names.
 * Read once at start; an invalid value stops start-up with a message that names
 * the variable. Without MicrosoftAppId the bot runs without auth, for local use.
 */
import { z } from 'zod';

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

export interface Config {
  port: number;
  host: string;
  /** Undefined: no auth, for local use and tests. */
  auth?: BotAuth;
  /** Folder of the SQLite file that keeps state and outcomes. */
  dataDir: string;
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
  return { port: values.PORT ?? DEFAULT_PORT, host: values.HOST ?? '0.0.0.0', dataDir: values.DATA_DIR ?? 'data', ...(auth ? { auth } : {}) };
}
