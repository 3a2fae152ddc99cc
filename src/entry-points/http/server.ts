/**
 * The HTTP surface: POST /api/messages for the Bot Framework, GET /healthz and /readyz, and
 * the web chat's routes (webchat/routes.ts).
 * The adapter checks the caller's token when the bot has an app id; without one
 * it runs open, for local use and tests.
 */
import restify, { type Server } from 'restify';
import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Storage } from 'botbuilder';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { composeBot } from '../../bot/compose-bot';
import { composeHandoff } from '../../bot/compose-handoff';
import { composeInsights } from '../../bot/compose-insights';
import type { InsightsStore } from '../../domain/insights/insights-store';
import { SqliteStorage } from '../../data-access/sqlite-storage';
import { SqliteInsightsStore } from '../../data-access/sqlite-insights-store';
import { mountInsights } from './insights/routes';
import type { Outbox } from '../../domain/handoff/outbox';
import type { ConversationLock } from '../../data-access/conversation-lock';
import { mountWebChat } from './webchat/routes';
import { logTurns } from '../../bot/turn-logging';
import { mountHealth } from './health';
import { ServerLifecycle, mountLifecycle } from './lifecycle';
import { StrictBotFrameworkAuthentication, mountRequestLimits, openIdMetadataOptions } from './request-limits';

export interface RunningServer {
  server: Server;
  url: string;
  /** Requests in flight and the draining flag, for the graceful shutdown (lifecycle.ts). */
  lifecycle: ServerLifecycle;
  /** Stops listening, then stops the handoff dispatcher (attempts in flight finish). */
  close(): Promise<void>;
}

export interface BotServer {
  server: Server;
  lifecycle: ServerLifecycle;
  /** Stops what runs beside the HTTP server (the handoff dispatcher). */
  stopBackground(): Promise<void>;
}

function authenticationOptions(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  if (!config.auth) return {};
  return {
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppType: config.auth.appType,
    ...(config.auth.appPassword ? { MicrosoftAppPassword: config.auth.appPassword } : {}),
    ...(config.auth.tenantId ? { MicrosoftAppTenantId: config.auth.tenantId } : {}),
    // BOT_OPENID_METADATA_URL (tests, other clouds): where the channels' signing keys are fetched from.
    ...(config.security?.openIdMetadataUrl ? openIdMetadataOptions(config.security.openIdMetadataUrl) : {}),
  };
}

/** What the server is built on besides the state store; defaults suit one instance with the SQLite store. */
export interface ServerDeps {
  /** The handoff outbox; default: a SqliteOutbox in DATA_DIR when a helpdesk is configured. */
  outbox?: Outbox;
  /** How turns of one conversation are kept apart; default: in this process. */
  lock?: ConversationLock;
  /** Readiness of the store for GET /readyz; default: the storage's own `ping()` if it has one. */
  ping?: () => Promise<boolean> | boolean;
  /** Where session milestones are kept; default: the tables of the SQLite state store's file. */
  insights?: InsightsStore;
}

/** Beside SQLite state, its own file; any other store (tests' wrappers) gets insights in memory, said in the log. */
function defaultInsightsStore(storage: Storage, logger: Logger): InsightsStore {
  if (storage instanceof SqliteStorage) return new SqliteInsightsStore(storage.database);
  logger.log('warn', 'insights-in-memory', { reason: 'no insights store was given for this state store: figures last until the process ends' });
  return new SqliteInsightsStore(':memory:');
}

export function createServer(config: Config, storage: Storage, logger: Logger, deps: ServerDeps = {}): BotServer {
  // Every failed authentication is a 401 (request-limits.ts).
  const adapter = new CloudAdapter(new StrictBotFrameworkAuthentication(authenticationOptions(config)));
  const handoff = composeHandoff(config, adapter, storage, logger, deps.outbox);
  const insightsStore = deps.insights ?? defaultInsightsStore(storage, logger);
  const insights = composeInsights(config.insights, insightsStore, logger);
  const { bot, onTurnError } = composeBot(storage, logger, {
    handoff: handoff.desk,
    messenger: handoff.messenger,
    insights: insights.recorder,
    ...(deps.lock ? { lock: deps.lock } : {}),
  });
  adapter.onTurnError = onTurnError;
  logTurns(adapter, logger);

  const server = restify.createServer({ name: 'azure-backup-troubleshooter' });
  const lifecycle = new ServerLifecycle();
  mountLifecycle(server, lifecycle);
  // Body size, content type, activity shape, rate per conversation, message length (request-limits.ts); mounts the body parser.
  mountRequestLimits(server, adapter, config, logger, storage);

  server.post('/api/messages', async (req, res) => {
    await lifecycle.trackTurn(() => adapter.process(req, res, (context) => bot.run(context)));
  });
  // GET /healthz and GET /readyz (health.ts).
  mountHealth(server, { storage, lifecycle, logger, ...(deps.ping ? { ping: deps.ping } : {}) });
  // The web chat page at /, its assets, the token route, and (auth off) the local Direct Line stand-in.
  mountWebChat(server, config, logger);
  // The helpdesk's dashboard at /insights and its data (insights/routes.ts).
  mountInsights(server, config, insightsStore, logger);
  return {
    server,
    lifecycle,
    stopBackground: async () => {
      await handoff.stop();
      await insights.stop();
    },
  };
}

export async function startServer(config: Config, storage: Storage, logger: Logger, deps: ServerDeps = {}): Promise<RunningServer> {
  const { server, lifecycle, stopBackground } = createServer(config, storage, logger, deps);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    server,
    url: `http://${host}:${address.port}`,
    lifecycle,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopBackground();
    },
  };
}
