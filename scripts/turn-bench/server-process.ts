/**
 * Each server of the turn benchmark runs in a child process of its own (this
 * file, forked with `--serve echo|waterfall|floor|bot`) on a free loopback
 * port, so the load generator does not share an event loop with the server it
 * measures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../src/logger';

export type ServerKind = 'echo' | 'waterfall' | 'floor' | 'bot';

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  /** The child's process id: its CPU time is read from /proc (cpu-time.ts). */
  pid: number;
  stop(): Promise<void>;
}

type ChildMessage = { ready: string } | { failed: string };

/** Extra V8 flags for both servers, to try tuning side by side (e.g. BENCH_NODE_FLAGS="--max-semi-space-size=32"). */
export const SERVER_NODE_FLAGS = (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);

/** `env`: variables added to this process's environment for the server (e.g. OCR_ENGINES). */
export function startServerProcess(kind: ServerKind, execArgv: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(__filename, ['--serve', kind], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it was ready`)));
    child.once('message', (message: ChildMessage) => {
      if ('failed' in message) return reject(new Error(`the ${kind} server failed to start: ${message.failed}`));
      child.removeAllListeners('exit');
      resolve({
        kind,
        url: message.ready,
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.send('stop');
          }),
      });
    });
  });
}

/** The child side: start one server, report its URL, stop on request (or when the parent goes away). */
async function serve(kind: ServerKind): Promise<void> {
  const send = (message: ChildMessage): void => void process.send?.(message);
  try {
    let close: () => Promise<void>;
    let url: string;
    // Loaded here, in the server's process only: the parent never loads restify or the bot.
    if (kind === 'echo') {
      const { startEchoBot } = await import('../echo-bot');
      ({ url, close } = await startEchoBot(0, '127.0.0.1'));
    } else if (kind === 'waterfall') {
      const { startWaterfallBot } = await import('../waterfall-bot');
      ({ url, close } = await startWaterfallBot(0, '127.0.0.1'));
    } else if (kind === 'floor') {
      const { startFloorBot } = await import('../floor-bot');
      ({ url, close } = await startFloorBot(0, '127.0.0.1'));
    } else {
      const [{ loadConfig }, { temporarySqliteStorage }, { startServer }] = await Promise.all([
        import('../../src/config'),
        import('./temporary-storage'),
        import('../../src/entry-points/http/server'),
      ]);
      const { storage, remove } = temporarySqliteStorage('bench-turns-');
      let reported = 0;
      // Turn errors would show as wrong bodies; the first few are printed so that they can be read.
      const logger: Logger = {
        log(level, event, fields) {
          if (level === 'info' || reported >= 5) return;
          reported += 1;
          process.stderr.write(`bot ${level}: ${event} ${JSON.stringify(fields ?? {})}\n`);
        },
      };
      const running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), storage, logger);
      url = running.url;
      close = async () => {
        await running.close();
        remove();
      };
    }
    const stop = (): void => {
      close().finally(() => process.exit(0));
    };
    process.once('message', stop);
    process.once('disconnect', stop);
    send({ ready: url });
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}



if (require.main === module) {
  const [flag, kind] = process.argv.slice(2);
  if (flag === '--serve' && (kind === 'echo' || kind === 'waterfall' || kind === 'floor' || kind === 'bot')) void serve(kind);
}
