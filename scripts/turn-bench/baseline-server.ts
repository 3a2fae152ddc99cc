/**
 * The HTTP side every baseline of the turn benchmark shares with the real bot:
 * botbuilder's CloudAdapter without auth behind restify 11 with the same
 * bodyParser options as src/entry-points/http/server.ts. Only the bot differs.
 */
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';

export interface RunningBaseline {
  url: string;
  close(): Promise<void>;
}

/** Serves `runTurn` on POST /api/messages (and GET /healthz) at a free port on `host` when `port` is 0. */
export async function serveBaseline(name: string, runTurn: (context: TurnContext) => Promise<void>, port = 0, host = '127.0.0.1'): Promise<RunningBaseline> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error(`${name}: turn failed: ${error.message}`);
    await context.sendActivity(`The ${name} failed.`);
  };
  const server = restify.createServer({ name });
  server.use(restify.plugins.bodyParser({ maxBodySize: 4 * 1024 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, runTurn);
  });
  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${server.address().port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
