/**
 * The insights at scale: seeds 100,000 sessions (of every outcome, over 30 days,
 * with causes shown and answered) into a fresh SQLite file, then times the real
 * `insights --json` command over them, from spawn to its answer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteInsightsStore } from '../src/data-access/sqlite-insights-store';
import { causesInArticleOrder } from '../src/domain/insights/article-order';
import { abandoned, causeAnswered, causeShown, engaged, escalated, recognised, startSession, unrecognised, type SessionRecord } from '../src/domain/insights/session';
import { ERROR_IDS } from '../src/domain/knowledge/schema';
import { PROJECT_ROOT } from '../src/project-root';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');
const DAY_MS = 86_400_000;

/** A deterministic mix: a fifth unrecognised, the rest walked to a fix, an escalation, an abandonment or left open. */
function seededSession(index: number, now: number): SessionRecord {
  const at = new Date(now - (index % 30) * DAY_MS - (index % 1440) * 60_000);
  let session = startSession({ id: `seed-${index}`, via: 'text', language: index % 2 ? 'ja' : 'en', channel: index % 3 ? 'webchat' : 'msteams' }, at);
  if (index % 5 === 0) return unrecognised(session, at);
  const category = ERROR_IDS[index % ERROR_IDS.length]!;
  const causes = causesInArticleOrder(category);
  session = engaged(recognised(session, category, 'code', at), index % 2 ? 'linux' : 'windows', at);
  const reached = 1 + (index % causes.length);
  for (let i = 0; i < reached; i++) {
    session = causeShown(session, causes[i]!, at);
    const last = i === reached - 1;
    if (!last) session = causeAnswered(session, causes[i]!, 'still-failing', at);
    else if (index % 4 === 0) session = causeAnswered(session, causes[i]!, 'fixed', at);
  }
  if (index % 4 === 1) session = escalated(session, at);
  if (index % 4 === 2) session = abandoned(session, at);
  return session;
}

export function runInsightsBenchmark(count = 100_000): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-insights-'));
  try {
    const store = new SqliteInsightsStore(join(dataDir, 'bot.sqlite'));
    const now = Date.now();
    const seeding = process.hrtime.bigint();
    const batch: SessionRecord[] = [];
    for (let index = 0; index < count; index++) {
      batch.push(seededSession(index, now));
      if (batch.length === 5_000) void store.saveSessions(batch.splice(0));
    }
    void store.saveSessions(batch);
    store.close();
    const seededMs = Number(process.hrtime.bigint() - seeding) / 1e6;
    const times: number[] = [];
    let sessions = 0;
    for (let run = 0; run < 3; run++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [CLI, 'insights', '--json'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, STORAGE: '' }, maxBuffer: 64 << 20 });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 0) throw new Error(`insights failed: ${result.stderr}`);
      sessions = (JSON.parse(result.stdout) as { sessions: number }).sessions;
    }
    times.sort((a, b) => a - b);
    console.log(`insights over ${count.toLocaleString('en-US')} seeded sessions (seeded in ${seededMs.toFixed(0)} ms): \`insights --json\` answers in ${times.map((t) => t.toFixed(0)).join(' / ')} ms (3 runs, spawn to answer; ${sessions} in the default period)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
