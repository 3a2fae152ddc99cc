/** `npm start`: the bot on PORT (default 3978) with state in DATA_DIR/bot.sqlite. */
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config';
import { SqliteStorage } from '../../data-access/sqlite-storage';
import { jsonLogger } from '../../logger';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = new SqliteStorage(join(config.dataDir, 'bot.sqlite'));
  const running = await startServer(config, storage, jsonLogger);
  jsonLogger.log('info', 'listening', { url: running.url, auth: config.auth ? config.auth.appType : 'off (local use)' });
  console.log(`Bot listening on ${running.url}/api/messages${config.auth ? '' : ' (no auth: local use only)'}`);
  console.log(`Web chat: ${running.url}/`);
  const stop = async () => {
    await running.close();
    storage.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
