/**
 * Turn benchmark: how many paste-to-first-cause turns per second the bot
 * answers over HTTP, and at what latency, next to a plain echo bot on the same
 * stack (botbuilder CloudAdapter + restify, scripts/echo-bot.ts) measured in the
 * same run. The machine is shared, so only the side-by-side ratio means much.
 *
 * - Each server runs in a child process of its own (turn-bench/server-process.ts)
 *   on a free loopback port, so autocannon's client work here does not share an
 *   event loop with the server it measures.
 * - Every request is one whole turn: `deliveryMode: "expectReplies"`, a paste
 *   that names a guest OS, so the reply set holds the recognised card and the
 *   first cause card (no OS question in between).
 * - Before measuring, each paste is sent once and the reply is checked for the
 *   expected first cause; while measuring, every response body is checked too
 *   (autocannon `verifyBody`: wrong bodies are counted and printed, as are non-2xx).
 *
 * `node dist/scripts/bench-turns.js` runs it alone; `runTurnBenchmark()` is for scripts/bench.ts.
 * BENCH_DURATION (seconds per measurement, default 8) and BENCH_CPU_PROF_DIR (write a
 * `--cpu-prof` profile of the bot's process there) tune a run.
 */
import type { Activity } from 'botbuilder';
import { fire } from './turn-bench/autocannon';
import { HEADERS, TURN_PASTES, firstCauseOf, hasCauseCard, turnActivity } from './turn-bench/turn-pastes';
import { SERVER_NODE_FLAGS, startServerProcess, type ServerKind, type ServerProcess } from './turn-bench/server-process';

export interface TurnMeasurement {
  server: ServerKind;
  connections: number;
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

export interface TurnBenchmarkReport {
  measurements: TurnMeasurement[];
  /** bot turns/s divided by echo turns/s, per connection count. */
  ratios: { connections: number; ratio: number }[];
  targets: { name: string; met: boolean; detail: string }[];
}

/** Conversation ids are never reused, not even across measurements (warm-up included) of one run. */
let conversationCounter = 0;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

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
    const firstCause = firstCauseOf(paste);
    if (!hasCauseCard(activities, firstCause)) {
      throw new Error(`bot: "${paste.text}" got no card for its first cause (${firstCause}): ${raw.slice(0, 500)}`);
    }
  }
}

async function measure(server: ServerProcess, connections: number, durationSeconds: number): Promise<TurnMeasurement> {
  /*
   * Every request starts a new conversation: the conversation id comes from a
   * counter that runs through the whole benchmark (a per-measurement counter would
   * send the measured run into conversations the warm-up left mid-walk), so each request is the whole paste-to-first-cause turn on fresh
   * conversation state (read misses, recognise, walk, cause card, state written),
   * never the cheaper "you are already in a walk" turn that a repeated paste in the
   * same conversation would be, and no two requests can race on one conversation.
   * The user stays the same per connection (a user who opens a new conversation
   * for each failed job), so user state is written once per connection, as in
   * real use. The echo bot gets exactly the same bodies.
   */
  let connectionCount = 0;
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
            return { ...request, body: JSON.stringify(turnActivity(paste, `bench-${server.kind}-${conversationCounter}`, userId)) };
          },
        },
      ]);
    },
    verifyBody: server.kind === 'bot' ? (body) => body.includes('"causeId"') && body.includes('"action":"next"') : (body) => body.includes('Echo: '),
  });
  const { result, latencies } = run;
  latencies.sort((a, b) => a - b);
  return {
    server: server.kind,
    connections,
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
    'conns  server   turns/s   p50 ms   p99 ms    turns  non-2xx  errors  wrong body',
  ];
  for (const m of report.measurements) {
    lines.push(
      `${String(m.connections).padStart(5)}  ${m.server.padEnd(6)}${m.turnsPerSecond.toFixed(0).padStart(10)}${m.p50Ms.toFixed(2).padStart(9)}${m.p99Ms.toFixed(2).padStart(9)}` +
        `${String(m.turns).padStart(9)}${String(m.non2xx).padStart(9)}${String(m.errors).padStart(8)}${String(m.wrongBodies).padStart(12)}`,
    );
  }
  lines.push(`bot / echo turns/s: ${report.ratios.map((r) => `${r.ratio.toFixed(2)} at ${r.connections} connections`).join(', ')}`);
  for (const target of report.targets) lines.push(`target ${target.met ? 'met   ' : 'MISSED'}  ${target.name}: ${target.detail}`);
  return lines.join('\n');
}

export async function runTurnBenchmark(overrides: Partial<TurnBenchmarkOptions> = {}): Promise<TurnBenchmarkReport> {
  const options: TurnBenchmarkOptions = {
    connections: [10, 50],
    durationSeconds: Number(process.env['BENCH_DURATION'] ?? 8),
    warmupSeconds: 3,
    print: true,
    ...(process.env['BENCH_CPU_PROF_DIR'] ? { cpuProfileDir: process.env['BENCH_CPU_PROF_DIR'] } : {}),
    ...overrides,
  };
  const botArgv = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  // Both servers run with the same V8 flags (BENCH_NODE_FLAGS, none by default).
  const nodeFlags = ['--no-deprecation', ...SERVER_NODE_FLAGS];
  const [echo, bot] = await Promise.all([startServerProcess('echo', nodeFlags), startServerProcess('bot', [...nodeFlags, ...botArgv])]);
  try {
    await verifyReplies(echo);
    await verifyReplies(bot);
    for (const server of [echo, bot]) await measure(server, options.connections[0] ?? 10, options.warmupSeconds);

    const measurements: TurnMeasurement[] = [];
    for (const connections of options.connections) {
      // Side by side: the two servers take turns at each load, in the same run.
      measurements.push(await measure(echo, connections, options.durationSeconds));
      measurements.push(await measure(bot, connections, options.durationSeconds));
    }

    const ratios = options.connections.map((connections) => {
      const of = (kind: ServerKind) => measurements.find((m) => m.server === kind && m.connections === connections)!.turnsPerSecond;
      return { connections, ratio: of('bot') / of('echo') };
    });
    const botAt10 = measurements.find((m) => m.server === 'bot' && m.connections === 10);
    const failures = measurements.reduce((sum, m) => sum + m.non2xx + m.errors + m.wrongBodies, 0);
    const targets = [
      ...ratios.map((r) => ({ name: `bot ≥ 0.6 × echo turns/s at ${r.connections} connections`, met: r.ratio >= 0.6, detail: `${r.ratio.toFixed(2)} × echo` })),
      ...(botAt10 ? [{ name: 'bot p99 ≤ 25 ms at 10 connections', met: botAt10.p99Ms <= 25, detail: `${botAt10.p99Ms.toFixed(2)} ms` }] : []),
      { name: 'no failed turns (non-2xx, errors, wrong bodies)', met: failures === 0, detail: `${failures}` },
    ];
    const report: TurnBenchmarkReport = { measurements, ratios, targets };
    if (options.print) console.log(formatTable(report, options));
    return report;
  } finally {
    await Promise.all([echo.stop(), bot.stop()]);
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
