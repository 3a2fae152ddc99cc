/**
 * The bot under load: the built server (`node dist/src/entry-points/http/main.js`,
 * what `npm start` runs) in a child process on loopback, with the default store
 * (SQLite) in a temp DATA_DIR. Its JSON log lines on stderr are read as they come:
 * `turn` lines are counted (and failed ones kept), as are error lines; its RSS is
 * read from /proc/<pid>/status (or `ps` where there is no /proc).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/project-root';

export const MAIN_JS = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'http', 'main.js');

/** What the server's log said during the run. */
export interface ServerLog {
  turnLines: number;
  failedTurns: number;
  /** Lines with level "error" (turn-failed and any other). */
  errorLines: number;
  /** The first few failed turns and error lines, as logged (they carry no user text). */
  samples: string[];
  /** The `shutdown` line, once the server has stopped. */
  shutdown?: Record<string, unknown>;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
}

export interface BotProcess {
  url: string;
  pid: number;
  dataDir: string;
  log: ServerLog;
  /** Resident set size in kB, or undefined if it cannot be read. */
  rssKb(): number | undefined;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<StopResult>;
  /** Removes the temp DATA_DIR. */
  cleanUp(): void;
}

const MAX_SAMPLES = 5;

/** The environment without anything that would switch on auth, a helpdesk or another store. */
function cleanEnvironment(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(Microsoft|HELPDESK_|DIRECT_LINE|TEAMS_|HANDOFF_|WEBCHAT_|STORAGE$|AZURE_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir };
}

export function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // No /proc (macOS): ask ps.
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb : undefined;
  } catch {
    return undefined;
  }
}

function readLog(child: ChildProcess, log: ServerLog): void {
  const lines = createInterface({ input: child.stderr!, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      process.stderr.write(`server: ${line}\n`);
      return;
    }
    if (entry['event'] === 'turn') {
      log.turnLines += 1;
      if (entry['status'] !== 'ok') {
        log.failedTurns += 1;
        if (log.samples.length < MAX_SAMPLES) log.samples.push(line);
      }
    }
    if (entry['level'] === 'error') {
      log.errorLines += 1;
      if (log.samples.length < MAX_SAMPLES) log.samples.push(line);
    }
    if (entry['event'] === 'shutdown') log.shutdown = entry;
  });
}

export function startBotProcess(): Promise<BotProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'load-'));
  const child = spawn(process.execPath, ['--no-deprecation', MAIN_JS], { env: cleanEnvironment(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  const log: ServerLog = { turnLines: 0, failedTurns: 0, errorLines: 0, samples: [] };
  readLog(child, log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // stderr is read to its end before the exit is reported, so the last log lines are in.
  const stderrEnded = new Promise<void>((resolve) => child.stderr!.once('end', () => resolve()));

  return new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const match = /Bot listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(stdout);
      if (!match) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        url: match[1]!,
        pid: child.pid!,
        dataDir,
        log,
        rssKb: () => readRssKb(child.pid!),
        stop: async (signal = 'SIGTERM') => {
          const started = Date.now();
          child.kill(signal);
          const { code, signal: killedBy } = await exited;
          await stderrEnded;
          return { code, signal: killedBy, durationMs: Date.now() - started };
        },
        cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
      });
    };
    child.stdout!.on('data', onData);
    child.once('error', reject);
    void exited.then(({ code, signal }) => reject(new Error(`the bot exited (${code ?? signal}) before it listened; stdout: ${stdout.slice(0, 500)}`)));
  });
}
