/**
 * Load run: LOAD_CONVERSATIONS (default 50) conversations at once for
 * LOAD_SECONDS (default 60) against the real server in a child process on
 * loopback (`node dist/src/entry-points/http/main.js`, SQLite in a temp
 * DATA_DIR). Each conversation is a sequential client (expectReplies) that
 * walks a whole flow (paste → OS card → next … → fixed or the summary, the
 * clicks read from the cards' buttons) and starts again in a new conversation
 * (scripts/load/flows.ts). LOAD_SEED fixes the mix of flows.
 *
 * Printed: every 10 s the turns/s, p50/p99 and the server's RSS; at the end the
 * totals, turns/s, p50/p99, and PASS/FAIL for
 * - errors: non-2xx, transport errors, missing or wrong cards, turns the server
 *   logged as failed or with an error line, all zero;
 * - the server's `turn` log lines: one per turn sent;
 * - memory: the server's RSS, read every second, did not grow more than 10 %
 *   after the first 20 s: the median of the last 10 s against the median of
 *   20–30 s (GC moves single readings by ±10 % under load). Runs shorter than
 *   40 s show the figures (from half-time) as SKIP: they are still warming up;
 * - shutdown: SIGTERM at the end, exit code 0, the WAL folded into bot.sqlite.
 * The exit code is 1 if any check fails.
 *
 *   npm run load                                   # 50 conversations, 60 s
 *   LOAD_SECONDS=10 LOAD_CONVERSATIONS=10 npm run load
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startBotProcess, type BotProcess } from './load/bot-process';
import { FlowError, LoadConversation, drawScenario, localeOf, runFlow, type TurnProblem } from './load/flows';
import { RssSampler, type RssWindow } from './load/memory';
import { mb, ms, seededRandom, summarize } from './load/stats';

interface LoadOptions {
  seconds: number;
  conversations: number;
  seed: number;
  reportEverySeconds: number;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, not "${raw}"`);
  return value;
}

function optionsFromEnvironment(): LoadOptions {
  return {
    seconds: positiveInteger('LOAD_SECONDS', 60),
    conversations: positiveInteger('LOAD_CONVERSATIONS', 50),
    seed: positiveInteger('LOAD_SEED', 20_170_817),
    reportEverySeconds: 10,
  };
}

interface Counters {
  turns: number;
  flows: { fixed: number; exhausted: number };
  problems: Record<TurnProblem['kind'], number>;
  samples: string[];
  latencies: number[];
}

const MAX_SAMPLES = 5;
const RSS_GROWTH_LIMIT = 0.1;
/** Shorter runs show the memory figures without judging them. */
const MEMORY_CHECK_MIN_SECONDS = 40;

/** One conversation slot: flows one after another, each in a new conversation, until the deadline. */
async function conversationLoop(slot: number, bot: BotProcess, deadline: number, counters: Counters, random: () => number): Promise<void> {
  const userId = `load-user-${slot}`;
  for (let flow = 1; performance.now() < deadline; flow++) {
    const scenario = drawScenario(random);
    const conversation = new LoadConversation(bot.url, `load-${slot}-${flow}`, userId, localeOf(scenario.language), {
      turn: (latencyMs) => {
        counters.turns += 1;
        counters.latencies.push(latencyMs);
      },
    });
    try {
      const ending = await runFlow(conversation, scenario);
      counters.flows[ending] += 1;
    } catch (error) {
      if (!(error instanceof FlowError)) throw error;
      counters.problems[error.problem.kind] += 1;
      if (counters.samples.length < MAX_SAMPLES) counters.samples.push(`${JSON.stringify(scenario)}: ${error.message}`);
    }
  }
}

function pad(text: string, width: number): string {
  return text.padStart(width);
}

async function run(options: LoadOptions): Promise<boolean> {
  console.log(`load: ${options.conversations} conversations for ${options.seconds} s, whole flows, SQLite store, the server in a child process (seed ${options.seed})`);
  const bot = await startBotProcess();
  console.log(`server: pid ${bot.pid} at ${bot.url}, DATA_DIR ${bot.dataDir}, RSS ${mb(bot.rssKb())} before load`);
  const counters: Counters = { turns: 0, flows: { fixed: 0, exhausted: 0 }, problems: { 'non-2xx': 0, transport: 0, 'wrong-card': 0 }, samples: [], latencies: [] };
  const rss = new RssSampler(() => bot.rssKb());
  const random = seededRandom(options.seed);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  // The memory check: median RSS of the 10 s after the first 20 s against that of the last 10 s
  // (shorter runs: from half-time, windows of a quarter of the run, shown but not judged).
  const baselineFromMs = (options.seconds >= MEMORY_CHECK_MIN_SECONDS ? 20 : options.seconds / 2) * 1000;
  const windowMs = Math.min(10_000, (options.seconds * 1000) / 4);
  rss.start();

  let lastReport = { turns: 0, latencyIndex: 0 };
  const report = (): void => {
    const atSeconds = Math.round((performance.now() - started) / 1000);
    const kb = rss.latest();
    const window = summarize(counters.latencies.slice(lastReport.latencyIndex));
    const turnsPerSecond = (counters.turns - lastReport.turns) / options.reportEverySeconds;
    lastReport = { turns: counters.turns, latencyIndex: counters.latencies.length };
    const problems = counters.problems['non-2xx'] + counters.problems.transport + counters.problems['wrong-card'];
    console.log(
      `[${pad(`${atSeconds} s`, 5)}] ${pad(turnsPerSecond.toFixed(0), 5)} turns/s  p50 ${pad(ms(window.p50), 9)}  p99 ${pad(ms(window.p99), 9)}` +
        `  turns ${pad(String(counters.turns), 7)}  errors ${problems + bot.log.failedTurns}  server RSS ${mb(kb)}`,
    );
  };
  const reporter = setInterval(report, options.reportEverySeconds * 1000);

  try {
    await Promise.all(Array.from({ length: options.conversations }, (_, slot) => conversationLoop(slot + 1, bot, deadline, counters, random)));
  } catch (error) {
    // Not a failed turn (those are counted) but a bug of this script: leave no server behind.
    await bot.stop('SIGKILL');
    bot.cleanUp();
    throw error;
  } finally {
    clearInterval(reporter);
    rss.stop();
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const memory = rss.verdict(baselineFromMs, windowMs, elapsedSeconds * 1000);

  const stopped = await bot.stop('SIGTERM');
  const sqlite = join(bot.dataDir, 'bot.sqlite');
  const walLeft = existsSync(`${sqlite}-wal`) && statSync(`${sqlite}-wal`).size > 0;
  const sqliteSize = existsSync(sqlite) ? statSync(sqlite).size : 0;
  bot.cleanUp();

  const latency = summarize(counters.latencies);
  const { problems } = counters;
  console.log('');
  console.log(
    `turns: ${counters.turns} in ${elapsedSeconds.toFixed(1)} s = ${(counters.turns / elapsedSeconds).toFixed(0)} turns/s;` +
      ` latency p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)}`,
  );
  console.log(`flows: ${counters.flows.fixed + counters.flows.exhausted} completed (${counters.flows.fixed} fixed, ${counters.flows.exhausted} summary); bot.sqlite ${mb(sqliteSize / 1024)}`);
  for (const sample of [...counters.samples, ...bot.log.samples]) console.log(`  e.g. ${sample}`);

  const checks: { ok: boolean; line: string; skipped?: boolean }[] = [];
  const errorCount = problems['non-2xx'] + problems.transport + problems['wrong-card'] + bot.log.failedTurns + bot.log.errorLines;
  checks.push({
    ok: errorCount === 0,
    line: `errors: ${errorCount} (non-2xx ${problems['non-2xx']}, transport ${problems.transport}, missing or wrong cards ${problems['wrong-card']}, turns logged as failed ${bot.log.failedTurns}, error log lines ${bot.log.errorLines})`,
  });
  // A turn that got no answer (transport error) may or may not have reached the server: only 2xx turns are compared.
  checks.push({
    ok: bot.log.turnLines >= counters.turns && bot.log.turnLines <= counters.turns + problems.transport + problems['non-2xx'],
    line: `server log: ${bot.log.turnLines} turn lines for ${counters.turns} turns answered`,
  });
  if (memory) {
    const { baseline, final, growth } = memory;
    const span = (window: RssWindow): string => `${window.fromSeconds.toFixed(0)}–${window.toSeconds.toFixed(0)} s`;
    checks.push({
      ok: growth <= RSS_GROWTH_LIMIT,
      // A short run is still warming up (V8 grows its heap for a while): the figures are shown, not judged.
      skipped: options.seconds < MEMORY_CHECK_MIN_SECONDS,
      line:
        `memory: server RSS (median) ${mb(baseline.medianKb)} at ${span(baseline)} → ${mb(final.medianKb)} at ${span(final)}` +
        ` (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %, limit +${RSS_GROWTH_LIMIT * 100} %; max ${mb(memory.maxKb)})`,
    });
  } else {
    // A short run on a busy machine may not fill both windows: judged only on runs long enough to judge.
    checks.push({ ok: false, skipped: options.seconds < MEMORY_CHECK_MIN_SECONDS, line: 'memory: too few RSS readings of the server' });
  }
  checks.push({
    ok: stopped.code === 0 && !walLeft,
    line: `shutdown: SIGTERM → exit ${stopped.code ?? stopped.signal} in ${stopped.durationMs} ms${walLeft ? ', WAL left behind' : ', store closed'}`,
  });
  for (const check of checks) {
    if (check.skipped) console.log(`SKIP ${check.line} (judged from LOAD_SECONDS=${MEMORY_CHECK_MIN_SECONDS} up)`);
    else console.log(`${check.ok ? 'PASS' : 'FAIL'} ${check.line}`);
  }
  return checks.every((check) => check.ok || check.skipped);
}

if (require.main === module) {
  let options: LoadOptions;
  try {
    options = optionsFromEnvironment();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  run(options)
    .then((ok) => {
      process.exitCode = ok ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
