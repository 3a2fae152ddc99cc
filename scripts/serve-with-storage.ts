/**
 * The bot with the state store the environment asks for (create-storage.ts):
 * STORAGE=sqlite or STORAGE=azure-blob, with the matching conversation lock.
 * The scale-out tests start two of these on one Azurite; it prints one JSON
 * line on stdout when it listens, `{"ready": "<url>", "storage": "<kind>"}`,
 * and stops on SIGTERM or SIGINT.
 *
 *   STORAGE=azure-blob AZURE_STORAGE_CONNECTION_STRING=… PORT=0 HOST=127.0.0.1 node dist/scripts/serve-with-storage.js
 */
import { ConfigError, loadConfig } from '../src/config';
import { createStorage } from '../src/data-access/create-storage';
import { jsonLogger } from '../src/logger';
import { startServer } from '../src/entry-points/http/server';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = createStorage(config, jsonLogger);
  const running = await startServer(config, store.storage, jsonLogger, { lock: store.lock, ping: () => store.ping(), insights: store.insights, deliveries: store.deliveries });
  jsonLogger.log('info', 'listening', { url: running.url, storage: store.kind, where: store.where });
  process.stdout.write(`${JSON.stringify({ ready: running.url, storage: store.kind })}\n`);
  const stop = (): void => {
    running
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
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
