/**
 * The HTTP surface: POST /api/messages for the Bot Framework, GET /healthz and /readyz, and
 * the web chat's routes (webchat/routes.ts).
 * The adapter checks the caller's token when the bot has an app id; without one
 * it runs open, for local use and tests.
 */
import { join } from 'node:path';
import restify, { type Server } from 'restify';
import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Storage } from 'botbuilder';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { composeBot } from '../../bot/compose-bot';
import { composeDeliveries, deliveryHandlers } from '../../bot/compose-deliveries';
import { composeHandoff } from '../../bot/compose-handoff';
import { adapterMessenger } from '../../bot/proactive';
import { composeInsights } from '../../bot/compose-insights';
import { DeliveryFollowUps } from '../../bot/follow-ups';
import type { TroubleshooterBot } from '../../bot/troubleshooter-bot';
import type { InsightsStore } from '../../domain/insights/insights-store';
import type { DeliveryDispatcher } from '../../domain/delivery/delivery-dispatcher';
import type { DeliveryStore } from '../../domain/delivery/delivery-store';
import { SqliteStorage } from '../../data-access/sqlite-storage';
import { SqliteDeliveryStore } from '../../data-access/sqlite-delivery-store';
import { SqliteInsightsStore } from '../../data-access/sqlite-insights-store';
import { mountInsights } from './insights/routes';
import type { ConversationLock } from '../../data-access/conversation-lock';
import { mountWebChat } from './webchat/routes';
import { logTurns } from '../../bot/turn-logging';
import { mountHealth } from './health';
import { ServerLifecycle, mountLifecycle } from './lifecycle';
import { StrictBotFrameworkAuthentication, mountRequestLimits, openIdMetadataOptions } from './request-limits';
import { DEFAULT_OCR_POOL, TesseractPool } from '../../data-access/ocr/tesseract-pool';
import type { ReadImageText } from '../../domain/paste/ocr/read-image-text';

export interface RunningServer {
  server: Server;
  url: string;
  /** Requests in flight and the draining flag, for the graceful shutdown (lifecycle.ts). */
  lifecycle: ServerLifecycle;
  /** The delivery dispatcher (tickets, follow-ups), for tests that wait for it. */
  deliveries: DeliveryDispatcher;
  /** Stops listening, then stops the delivery dispatcher (attempts in flight finish). */
  close(): Promise<void>;
}

export interface BotServer {
  server: Server;
  lifecycle: ServerLifecycle;
  deliveries: DeliveryDispatcher;
  /** Stops what runs beside the HTTP server (the delivery dispatcher, the insights writer). */
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
  /** Where deliveries wait (tickets, follow-ups); default: the `deliveries` table of the SQLite state store's file, else of DATA_DIR/bot.sqlite. */
  deliveries?: DeliveryStore;
  /** How turns of one conversation are kept apart; default: in this process. */
  lock?: ConversationLock;
  /** Readiness of the store for GET /readyz; default: the storage's own `ping()` if it has one. */
  ping?: () => Promise<boolean> | boolean;
  /** Where session milestones are kept; default: the tables of the SQLite state store's file. */
  insights?: InsightsStore;
  /** Reads text from pictures users send; default: a pool of tesseract.js engines, started on first use and closed with the server. */
  readImageText?: ReadImageText;
}

/** Beside SQLite state, its own file; any other store (tests' wrappers) gets insights in memory, said in the log. */
function defaultInsightsStore(storage: Storage, logger: Logger): InsightsStore {
  if (storage instanceof SqliteStorage) return new SqliteInsightsStore(storage.database);
  logger.log('warn', 'insights-in-memory', { reason: 'no insights store was given for this state store: figures last until the process ends' });
  return new SqliteInsightsStore(':memory:');
}

/** Beside SQLite state, on its connection; beside any other state store, a file of its own (closed with the server). */
function defaultDeliveryStore(storage: Storage, config: Config): { store: DeliveryStore; close(): void } {
  if (storage instanceof SqliteStorage) return { store: new SqliteDeliveryStore(storage.database), close: () => undefined };
  const own = new SqliteDeliveryStore(join(config.dataDir, 'bot.sqlite'));
  return { store: own, close: () => own.close() };
}

export function createServer(config: Config, storage: Storage, logger: Logger, deps: ServerDeps = {}): BotServer {
  // Every failed authentication is a 401 (request-limits.ts).
  const adapter = new CloudAdapter(new StrictBotFrameworkAuthentication(authenticationOptions(config)));
  const messenger = adapterMessenger(adapter, config.auth?.appId);
  // The dispatcher runs whatever is configured: each kind's handler is registered in deliveryHandlers (compose-deliveries.ts).
  const deliveryStore = deps.deliveries ? { store: deps.deliveries, close: () => undefined } : defaultDeliveryStore(storage, config);
  // The follow-up's handler runs its proactive turn through the bot, which is composed below with the dispatcher.
  const composed: { bot?: TroubleshooterBot } = {};
  const theBot = (): TroubleshooterBot => {
    if (!composed.bot) throw new Error('the bot is not composed yet');
    return composed.bot;
  };
  const handlers = deliveryHandlers({ config, adapter, messenger, storage, logger, bot: theBot });
  const deliveries = composeDeliveries({ store: deliveryStore.store, handlers, logger });
  const desk = composeHandoff(config, storage, deliveries.dispatcher);
  const insightsStore = deps.insights ?? defaultInsightsStore(storage, logger);
  const insights = composeInsights(config.insights, insightsStore, logger);
  const followUps = new DeliveryFollowUps(config.followUpAfterMs, deliveryStore.store, () => deliveries.dispatcher);
  // The OCR engines start only when the first picture comes (tesseract-pool.ts); a reader given in deps is not ours to close.
  const ocr = deps.readImageText ? { read: deps.readImageText, close: async () => undefined } : new TesseractPool({ ...DEFAULT_OCR_POOL, maxWorkers: config.ocrEngines });
  const { bot, onTurnError } = composeBot(storage, logger, {
    handoff: desk,
    messenger,
    insights: insights.recorder,
    followUps,
    images: { read: ocr.read },
    ...(deps.lock ? { lock: deps.lock } : {}),
  });
  composed.bot = bot;
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
    deliveries: deliveries.dispatcher,
    stopBackground: async () => {
      await deliveries.stop();
      deliveryStore.close();
      await insights.stop();
      await ocr.close();
    },
  };
}

export async function startServer(config: Config, storage: Storage, logger: Logger, deps: ServerDeps = {}): Promise<RunningServer> {
  const { server, lifecycle, deliveries, stopBackground } = createServer(config, storage, logger, deps);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    server,
    url: `http://${host}:${address.port}`,
    lifecycle,
    deliveries,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopBackground();
    },
  };
}
