/**
 * Turn benchmark: how many paste-to-first-cause turns per second the bot
 * answers over HTTP, and at what latency, next to a plain echo bot on the same
 * stack (botbuilder CloudAdapter + restify, scripts/echo-bot.ts), a bare
 * two-step waterfall on MemoryStorage (scripts/waterfall-bot.ts) and the floor
 * (scripts/floor-bot.ts: the same state, classification and cards without any
 * dialog), measured in the same run. The machine is shared, so only the
 * side-by-side ratio means much; each server's CPU time per turn (from /proc)
 * is printed beside it, which the neighbours disturb less than turns per second.
 *
 * - Each server runs in a child process of its own (turn-bench/server-process.ts)
 *   on a free loopback port, so autocannon's client work here does not share an
 *   event loop with the server it measures.
 * - Every request is one whole turn: `deliveryMode: "expectReplies"`, a paste
 *   that names a guest OS, so the reply set holds the recognised card and the
 *   first cause card (no OS question in between), in a new conversation; the
 *   user is new on every request (user state read and written for the first
 *   time), or returning (the same user per connection).
 * - Before measuring, each paste is sent once and the reply is checked for the
 *   expected first cause; while measuring, every response body is checked too
 *   (autocannon `verifyBody`: wrong bodies are counted and printed, as are non-2xx).
 *
 * `node dist/scripts/bench-turns.js` runs it alone; `runTurnBenchmark()` is for scripts/bench.ts.
 * BENCH_DURATION (seconds per measurement, default 8), BENCH_CONNECTIONS (default "10 50") and BENCH_CPU_PROF_DIR (write a
 * `--cpu-prof` profile of the bot's process there) tune a run.
 */
import type { Activity } from 'botbuilder';
import { fire } from './turn-bench/autocannon';
import { HEADERS, TURN_PASTES, firstCauseOf, hasCauseCard, turnActivity } from './turn-bench/turn-pastes';
import { SERVER_NODE_FLAGS, startServerProcess, type ServerKind, type ServerProcess } from './turn-bench/server-process';
import { cpuTimeMs } from './turn-bench/cpu-time';
import { percentile } from './load/stats';

export type Users = 'new' | 'returning';

export interface TurnMeasurement {
  server: ServerKind;
  users: Users;
  connections: number;
  /** The server's CPU time (user + system) per completed turn; NaN where /proc is not there. */
  cpuMsPerTurn: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Completed requests. */
  turns: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx responses without the expected content (a cause card, or the echo). */
  wrongBodies: number;
}

export interface TurnBenchmarkOptions {
  /** Concurrent connections, one measurement each. */
  connections: number[];
  /** Seconds per measurement. */
  durationSeconds: number;
  /** Seconds of discarded load per server before measuring. */
  warmupSeconds: number;
  /** Write a V8 CPU profile of the bot's process to this folder. */
  cpuProfileDir?: string;
  /** Print the table (default true). */
  print: boolean;
}

export interface TurnRatio {
  name: string;
  kind: ServerKind;
  users: Users;
  connections: number;
  /** Its turns/s divided by the echo bot's. */
  ratio: number;
  /** The echo bot's CPU per turn divided by its own: the same ratio, less disturbed by other processes. */
  cpuRatio: number;
}

export interface TurnBenchmarkReport {
  measurements: TurnMeasurement[];
  ratios: TurnRatio[];
  targets: { name: string; met: boolean; detail: string }[];
}

/** Conversation ids are never reused, not even across measurements (warm-up included) of one run. */
let conversationCounter = 0;

/** Verifies one turn per paste: the bot's replies hold the expected first cause card; the echo bot echoes. */
async function verifyReplies(server: ServerProcess): Promise<void> {
  for (const [index, paste] of TURN_PASTES.entries()) {
    const response = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify(turnActivity(paste, `verify-${server.kind}-${index}`, 'verify-user')),
    });
    const raw = await response.text();
    if (response.status !== 200) throw new Error(`${server.kind}: the check turn answered ${response.status}: ${raw.slice(0, 300)}`);
    const { activities = [] } = JSON.parse(raw) as { activities?: Partial<Activity>[] };
    if (server.kind === 'echo') {
      if (!activities.some((activity) => activity.text === `Echo: ${paste.text}`)) throw new Error(`echo: no echo in ${raw.slice(0, 300)}`);
      continue;
    }
    if (server.kind === 'waterfall') {
      if (!activities.some((activity) => activity.text === 'Step 2')) throw new Error(`waterfall: no second step in ${raw.slice(0, 300)}`);
      continue;
    }
    const firstCause = firstCauseOf(paste);
    if (!hasCauseCard(activities, firstCause)) {
      throw new Error(`${server.kind}: "${paste.text}" got no card for its first cause (${firstCause}): ${raw.slice(0, 500)}`);
    }
  }
}

/** The bot and the floor answer with a cause card, whose "next" button carries the cause. */
const hasCauseCardBody = (body: string): boolean => body.includes('"causeId"') && body.includes('"action":"next"');

const VERIFY_BODY: Record<ServerKind, (body: string) => boolean> = {
  bot: hasCauseCardBody,
  floor: hasCauseCardBody,
  echo: (body) => body.includes('Echo: '),
  waterfall: (body) => body.includes('Step 2'),
};

async function measure(server: ServerProcess, connections: number, durationSeconds: number, users: Users): Promise<TurnMeasurement> {
  /*
   * Every request starts a new conversation: the conversation id comes from a
   * counter that runs through the whole benchmark (a per-measurement counter would
   * send the measured run into conversations the warm-up left mid-walk), so each request is the whole paste-to-first-cause turn on fresh
   * conversation state (read misses, recognise, walk, cause card, state written),
   * never the cheaper "you are already in a walk" turn that a repeated paste in the
   * same conversation would be, and no two requests can race on one conversation.
   * Returning users: the user stays the same per connection (a user who opens a
   * new conversation for each failed job), so user state is created once per
   * connection. New users: every request comes from a user never seen before.
   * The baselines get exactly the same bodies.
   */
  let connectionCount = 0;
  const cpuBefore = cpuTimeMs(server.pid);
  const run = await fire({
    url: server.url,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [{ method: 'POST', path: '/api/messages', headers: HEADERS, body: '{}' }],
    setupClient: (client) => {
      connectionCount += 1;
      const userId = `bench-user-${connections}-${connectionCount}`;
      client.setRequests([
        {
          method: 'POST',
          path: '/api/messages',
          headers: HEADERS,
          setupRequest: (request) => {
            conversationCounter += 1;
            const paste = TURN_PASTES[conversationCounter % TURN_PASTES.length]!;
            const from = users === 'new' ? `bench-new-user-${conversationCounter}` : userId;
            return { ...request, body: JSON.stringify(turnActivity(paste, `bench-${server.kind}-${conversationCounter}`, from)) };
          },
        },
      ]);
    },
    verifyBody: VERIFY_BODY[server.kind],
  });
  const cpuAfter = cpuTimeMs(server.pid);
  const { result, latencies } = run;
  latencies.sort((a, b) => a - b);
  return {
    server: server.kind,
    users,
    connections,
    cpuMsPerTurn: cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : (cpuAfter - cpuBefore) / Math.max(1, result.requests.total),
    turnsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    turns: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wrongBodies: result.mismatches,
  };
}

function formatTable(report: TurnBenchmarkReport, options: TurnBenchmarkOptions): string {
  const lines = [
    `turns: paste → recognised card + first cause card, a new conversation per request (expectReplies, loopback, ${options.durationSeconds} s each)`,
    'conns  server     users      turns/s   p50 ms   p99 ms   CPU ms/turn    turns  non-2xx  errors  wrong body',
  ];
  for (const m of report.measurements) {
    lines.push(
      `${String(m.connections).padStart(5)}  ${m.server.padEnd(11)}${m.users.padEnd(10)}${m.turnsPerSecond.toFixed(0).padStart(8)}${m.p50Ms.toFixed(2).padStart(9)}${m.p99Ms.toFixed(2).padStart(9)}` +
        `${m.cpuMsPerTurn.toFixed(3).padStart(14)}${String(m.turns).padStart(9)}${String(m.non2xx).padStart(9)}${String(m.errors).padStart(8)}${String(m.wrongBodies).padStart(12)}`,
    );
  }
  for (const r of report.ratios) lines.push(`${r.name}: ${r.ratio.toFixed(2)} × echo turns/s, ${r.cpuRatio.toFixed(2)} × echo by CPU per turn`);
  for (const target of report.targets) lines.push(`target ${target.met ? 'met   ' : 'MISSED'}  ${target.name}: ${target.detail}`);
  return lines.join('\n');
}

export async function runTurnBenchmark(overrides: Partial<TurnBenchmarkOptions> = {}): Promise<TurnBenchmarkReport> {
  const options: TurnBenchmarkOptions = {
    connections: (process.env['BENCH_CONNECTIONS'] ?? '10 50').split(/[\s,]+/).filter(Boolean).map(Number),
    durationSeconds: Number(process.env['BENCH_DURATION'] ?? 8),
    warmupSeconds: 3,
    print: true,
    ...(process.env['BENCH_CPU_PROF_DIR'] ? { cpuProfileDir: process.env['BENCH_CPU_PROF_DIR'] } : {}),
    ...overrides,
  };
  const botArgv = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  // Every server runs with the same V8 flags (BENCH_NODE_FLAGS, none by default).
  const nodeFlags = ['--no-deprecation', ...SERVER_NODE_FLAGS];
  const servers = await Promise.all([
    startServerProcess('echo', nodeFlags),
    startServerProcess('waterfall', nodeFlags),
    startServerProcess('floor', nodeFlags),
    startServerProcess('bot', [...nodeFlags, ...botArgv]),
  ]);
  const bot = servers[3];
  try {
    for (const server of servers) await verifyReplies(server);
    for (const server of servers) await measure(server, options.connections[0] ?? 10, options.warmupSeconds, 'new');

    const measurements: TurnMeasurement[] = [];
    for (const connections of options.connections) {
      // Side by side: the servers take turns at each load, in the same run.
      for (const server of servers) measurements.push(await measure(server, connections, options.durationSeconds, 'new'));
      measurements.push(await measure(bot, connections, options.durationSeconds, 'returning'));
    }

    const find = (kind: ServerKind, connections: number, users: Users) => measurements.find((m) => m.server === kind && m.connections === connections && m.users === users)!;
    const ratios = options.connections.flatMap((connections) => {
      const echoed = find('echo', connections, 'new');
      return (
        [
          ['waterfall', 'new'],
          ['floor', 'new'],
          ['bot', 'new'],
          ['bot', 'returning'],
        ] as const
      ).map(([kind, users]) => {
        const measured = find(kind, connections, users);
        return { name: `${kind} (${users} users) at ${connections} connections`, kind, users, connections, ratio: measured.turnsPerSecond / echoed.turnsPerSecond, cpuRatio: echoed.cpuMsPerTurn / measured.cpuMsPerTurn };
      });
    });
    const botNewAt10 = ratios.find((r) => r.kind === 'bot' && r.users === 'new' && r.connections === 10);
    const botAt10 = measurements.find((m) => m.server === 'bot' && m.users === 'new' && m.connections === 10);
    // Beside each target, what the floor (no dialogs) reaches in the same run: a target above it is out of the shell's reach.
    const floorNewAt10 = ratios.find((r) => r.kind === 'floor' && r.users === 'new' && r.connections === 10);
    const floorAt10 = measurements.find((m) => m.server === 'floor' && m.users === 'new' && m.connections === 10);
    const failures = measurements.reduce((sum, m) => sum + m.non2xx + m.errors + m.wrongBodies, 0);
    const targets = [
      ...(botNewAt10 ? [{ name: 'bot (new users) ≥ 0.35 × echo turns/s at 10 connections', met: botNewAt10.ratio >= 0.35, detail: `${botNewAt10.ratio.toFixed(2)} × echo${floorNewAt10 ? ` (the floor: ${floorNewAt10.ratio.toFixed(2)} ×)` : ''}` }] : []),
      ...(botAt10 ? [{ name: 'bot p99 ≤ 30 ms at 10 connections', met: botAt10.p99Ms <= 30, detail: `${botAt10.p99Ms.toFixed(2)} ms${floorAt10 ? ` (the floor: ${floorAt10.p99Ms.toFixed(2)} ms)` : ''}` }] : []),
      { name: 'no failed turns (non-2xx, errors, wrong bodies)', met: failures === 0, detail: `${failures}` },
    ];
    const report: TurnBenchmarkReport = { measurements, ratios, targets };
    if (options.print) console.log(formatTable(report, options));
    return report;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

if (require.main === module) {
  runTurnBenchmark()
    .then((report) => {
      if (report.targets.some((target) => !target.met && target.name.startsWith('no failed'))) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
