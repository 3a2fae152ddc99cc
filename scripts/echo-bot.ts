/**
 * The baseline for the turn benchmark: a plain echo bot on the same stack as the
 * real one (botbuilder CloudAdapter without auth, restify 11, the same
 * bodyParser), so that the difference between the two is the bot's own work.
 *
 * Alone: `node dist/scripts/echo-bot.js` listens on PORT (default: a free port) on 127.0.0.1.
 */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

export interface RunningEchoBot {
  url: string;
  close(): Promise<void>;
}

export class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

export async function startEchoBot(port = 0, host = '127.0.0.1'): Promise<RunningEchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  adapter.onTurnError = async (context, error) => {
    console.error(`echo bot: turn failed: ${error.message}`);
    await context.sendActivity('The echo bot failed.');
  };

  const server = restify.createServer({ name: 'echo-bot' });
  // Same options as src/entry-points/http/server.ts.
  server.use(restify.plugins.bodyParser({ maxBodySize: 4 * 1024 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
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

if (require.main === module) {
  startEchoBot(Number(process.env['PORT'] ?? 0))
    .then((running) => console.log(`Echo bot listening on ${running.url}/api/messages`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
