/**
 * `npm run bench`: classify latency per paste size, the command's start-up
 * (time from spawn to its first answer) and JSON-lines throughput, then the
 * server's start-up to /readyz (scripts/bench-start.ts), the bot's
 * paste-to-first-cause turn against a plain echo bot, a bare waterfall and
 * the floor of the same work without dialogs (scripts/bench-turns.ts), then
 * reading screenshots (scripts/bench-ocr.ts).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { defaultMatcher } from '../src/domain/matching/load-signatures';
import { PROJECT_ROOT } from '../src/project-root';
import { BENCH_PASTES } from './bench-pastes';
import { runTurnBenchmark } from './bench-turns';
import { runInsightsBenchmark } from './bench-insights';
import { runOcrBenchmark } from './bench-ocr';
import { runStartBenchmark } from './bench-start';
import { percentile } from './load/stats';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');
const STARTUP_SPLIT = join(PROJECT_ROOT, 'dist', 'scripts', 'startup-split.js');

function measureClassify(): void {
  const matcher = defaultMatcher();
  console.log('classify latency (in process, after warm-up)');
  console.log('size      runs     mean ms    p50 ms    p99 ms   ms per KB (p50)');
  for (const { name, texts } of BENCH_PASTES) {
    const kb = Buffer.byteLength(texts[0]!) / 1024;
    const runs = kb > 100 ? 40 : 4000;
    for (let i = 0; i < Math.min(runs, 200); i++) matcher.classify(texts[i % texts.length]!);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      matcher.classify(texts[i % texts.length]!);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
    console.log(
      `${name.padEnd(8)}${String(runs).padStart(6)}${mean.toFixed(3).padStart(12)}${p50.toFixed(3).padStart(10)}${percentile(times, 99).toFixed(3).padStart(10)}${(p50 / kb).toFixed(4).padStart(14)}`,
    );
  }
}

interface StartupSplit {
  loadMs: number;
  buildMs: number;
  firstClassifyMs: number;
  cpuMs: number;
}

function runCli(args: string[], input: string): Promise<{ firstOutputMs: number; totalMs: number; output: string }> {
  return runNode([CLI, ...args], input);
}

function runNode(args: string[], input: string): Promise<{ firstOutputMs: number; totalMs: number; output: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let firstOutputMs = -1;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (firstOutputMs < 0) firstOutputMs = Number(process.hrtime.bigint() - start) / 1e6;
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => resolve({ firstOutputMs, totalMs: Number(process.hrtime.bigint() - start) / 1e6, output }));
    child.stdin.end(input);
  });
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

async function measureCommand(): Promise<void> {
  const times: number[] = [];
  const nodeAlone: number[] = [];
  const paste = BENCH_PASTES[0]!.texts[0]!;
  for (let i = 0; i < 15; i++) {
    times.push((await runCli(['classify', '--json'], paste)).firstOutputMs);
    nodeAlone.push((await runNode(['-e', 'process.stdout.write("x")'], '')).firstOutputMs);
  }
  times.sort((a, b) => a - b);
  console.log(`\ncommand start-up to first answer (classify --json, 15 runs): p50 ${percentile(times, 50).toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms`);
  // What Node alone costs on this machine now, and where the rest goes: the split runs the same steps in a fresh process.
  const splits: StartupSplit[] = [];
  for (let i = 0; i < 15; i++) splits.push(JSON.parse((await runNode([STARTUP_SPLIT, paste], '')).output) as StartupSplit);
  const part = (key: keyof StartupSplit) => median(splits.map((split) => split[key])).toFixed(1);
  console.log(`  node alone to first output: p50 ${median(nodeAlone).toFixed(0)} ms`);
  console.log(`  in process (p50 of 15): load ${part('loadMs')} ms, build the matcher ${part('buildMs')} ms, first classify ${part('firstClassifyMs')} ms; process CPU ${part('cpuMs')} ms`);

  const lines = 20_000;
  const texts = [...BENCH_PASTES[0]!.texts, BENCH_PASTES[1]!.texts[0]!];
  const input = Array.from({ length: lines }, (_, i) => JSON.stringify({ id: i, text: texts[i % texts.length] })).join('\n');
  const { totalMs, output } = await runCli(['classify', '--jsonl'], input);
  const answered = output.split('\n').filter(Boolean).length;
  console.log(`classify --jsonl: ${answered} lines in ${totalMs.toFixed(0)} ms = ${Math.round((answered / totalMs) * 1000)} lines/s (one process)`);
}

// `npm run bench -- --classify` stops after the matcher's figures (no servers started);
// `npm run bench -- --insights` measures only the insights command over 100,000 sessions;
// `npm run bench -- --ocr` only the OCR: time per screenshot, and other turns' p99 while pictures are read;
// `npm run bench -- --start` only the server's start-up to /readyz and its memory at idle.
async function main(): Promise<void> {
  if (process.argv.includes('--insights')) {
    runInsightsBenchmark();
    return;
  }
  if (process.argv.includes('--ocr')) {
    await runOcrBenchmark();
    return;
  }
  if (process.argv.includes('--start')) {
    await runStartBenchmark();
    return;
  }
  measureClassify();
  await measureCommand();
  if (process.argv.includes('--classify')) return;
  console.log('');
  runInsightsBenchmark();
  console.log('');
  await runStartBenchmark();
  console.log('');
  await runTurnBenchmark();
  console.log('');
  await runOcrBenchmark();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
