/**
 * `npm start`: the bot on PORT (default 3978) with state in DATA_DIR/bot.sqlite.
 * Prints its URL on stdout; logs JSON lines on stderr. SIGTERM or SIGINT shut it
 * down gracefully (lifecycle.ts): the turns in flight finish, the store is
 * closed, and the process exits 0.
 */
import { ConfigError, loadConfig } from '../../config';
import { createStorage } from '../../data-access/create-storage';
import { jsonLogger } from '../../logger';
import { handleSignals, shutDown } from './lifecycle';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = createStorage(config, jsonLogger);
  const running = await startServer(config, store.storage, jsonLogger, { ...(store.lock ? { lock: store.lock } : {}), ping: () => store.ping(), insights: store.insights, deliveries: store.deliveries });
  handleSignals((signal) => shutDown({ running, store, logger: jsonLogger, reason: signal }).then((report) => report.exitCode), { logger: jsonLogger });
  jsonLogger.log('info', 'listening', { url: running.url, host: config.host, store: store.where, auth: config.auth ? config.auth.appType : 'off (local use)' });
  console.log(`Bot listening on ${running.url}/api/messages${config.auth ? '' : ' (no auth: local use only)'}`);
  if (!config.auth && config.host !== '127.0.0.1' && config.host !== '::1' && config.host !== 'localhost') {
    // Said plainly: HOST=0.0.0.0 without auth is for a container whose port only trusted callers reach.
    const warning = `HOST=${config.host} without MicrosoftAppId: the bot and the local Direct Line answer ANYONE who can reach port ${new URL(running.url).port}, with no authentication.`;
    console.log(`Warning: ${warning}`);
    jsonLogger.log('warn', 'listening-without-auth', { host: config.host });
  }
  console.log(`Web chat: ${running.url}/`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
