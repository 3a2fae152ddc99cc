/**
 * The baseline for the turn benchmark: a plain echo bot on the same stack as the
 * real one (turn-bench/baseline-server.ts), so that the difference between the
 * two is the bot's own work.
 *
 * Alone: `node dist/scripts/echo-bot.js` listens on PORT (default: a free port) on 127.0.0.1.
 */
import { ActivityHandler } from 'botbuilder';
import { serveBaseline, type RunningBaseline } from './turn-bench/baseline-server';

export class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

export function startEchoBot(port = 0, host = '127.0.0.1'): Promise<RunningBaseline> {
  const bot = new EchoBot();
  return serveBaseline('echo bot', (context) => bot.run(context), port, host);
}

if (require.main === module) {
  startEchoBot(Number(process.env['PORT'] ?? 0))
    .then((running) => console.log(`Echo bot listening on ${running.url}/api/messages`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
