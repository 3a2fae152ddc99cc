/**
 * Server start-up (`npm run bench -- --start`): the built bot (`node dist/src/entry-points/http/main.js`, what
 * `npm start` runs after its build) from spawn to its first `/readyz` 200, and its resident memory once idle,
 * next to Node alone. Five runs, each in a fresh data folder on a free port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { percentile } from './load/stats';
import { readRssKb } from './load/bot-process';

const MAIN = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'http', 'main.js');
const RUNS = 5;
const IDLE_MS = 2_000;

async function readyOnce(): Promise<{ readyMs: number; rssKb: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/[^\s/]+)/.exec(output);
        if (found?.[1]) resolve(found[1]);
      });
      child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before it listened`)));
    });
    for (;;) {
      const answer = await fetch(`${url}/readyz`).catch(() => undefined);
      if (answer?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { readyMs, rssKb: readRssKb(child.pid ?? 0) ?? Number.NaN };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function nodeAloneMs(): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready")'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(performance.now() - started));
  });
}

export async function runStartBenchmark(): Promise<void> {
  const ready: number[] = [];
  const rss: number[] = [];
  const alone: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    alone.push(await nodeAloneMs());
    const { readyMs, rssKb: kb } = await readyOnce();
    ready.push(readyMs);
    rss.push(kb);
  }
  [ready, rss, alone].forEach((list) => list.sort((a, b) => a - b));
  console.log(`server start-up (node dist/src/entry-points/http/main.js, ${RUNS} runs): spawn to /readyz 200 p50 ${percentile(ready, 50).toFixed(0)} ms, max ${ready[ready.length - 1]!.toFixed(0)} ms; Node alone p50 ${percentile(alone, 50).toFixed(0)} ms`);
  console.log(`resident memory at idle (${IDLE_MS / 1000} s after ready): p50 ${(percentile(rss, 50) / 1024).toFixed(0)} MB`);
  const p50 = percentile(ready, 50);
  console.log(`target ${p50 <= 1_000 ? 'met   ' : 'MISSED'}  start to /readyz ≤ 1 s: ${p50.toFixed(0)} ms`);
}
