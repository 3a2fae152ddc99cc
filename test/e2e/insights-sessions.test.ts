/**
 * Insights end to end: eight sessions of every kind driven through the real
 * server over HTTP (fixed at cause 2, exhausted, handed off, abandoned,
 * unrecognised, "None of these", switched to another error; English and
 * Japanese; web chat and Teams), then the real `insights` command reads the
 * bot's SQLite file and every figure is checked against what was driven.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Insights } from '../../src/domain/insights/figures';
import type { InsightsStore } from '../../src/domain/insights/insights-store';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import { PROJECT_ROOT } from '../../src/project-root';
import { driveSessions, EXPECTED, SECRET, VM_NAME } from '../support/insights-sessions';
import { startTestBotServer, type TestBotServer } from '../support/test-bot-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config';
import { createStorage, type StateStore } from '../../src/data-access/create-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { startAzurite, type Azurite } from '../support/azurite';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');

function insightsCommand(dataDir: string, args: string[], extraEnv: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { LANG: _, ...env } = process.env;
  const result = spawnSync(process.execPath, [CLI, 'insights', ...args], { encoding: 'utf8', env: { ...env, DATA_DIR: dataDir, ...extraEnv }, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The bot writes milestones in batches a moment after the turns: wait until all eight sessions are stored. */
async function whenStored(store: InsightsStore): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stored = await store.sessionsStartedBetween(new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000));
    if (stored.length >= EXPECTED.sessions && stored.filter((session) => session.outcome).length >= EXPECTED.resolved + EXPECTED.escalated + EXPECTED.abandoned) return;
    if (Date.now() > deadline) throw new Error(`only ${stored.length} sessions stored`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function dataJson(baseUrl: string): Promise<Insights> {
  const response = await fetch(`${baseUrl}/insights/data.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as Insights;
}

/** Checks every figure the eight sessions make. */
export function expectFigures(insights: Insights): void {
  const { errors, byLanguage, byChannel, byOs, ...totals } = EXPECTED;
  expect(insights).toMatchObject(totals);
  for (const [category, expected] of Object.entries(errors)) {
    const figures = insights.errors.find((entry) => entry.category === category)!;
    expect({ category, sessions: figures.sessions, resolved: figures.resolved, escalated: figures.escalated, abandoned: figures.abandoned }).toEqual({
      category,
      sessions: expected.sessions,
      resolved: expected.resolved,
      escalated: expected.escalated,
      abandoned: expected.abandoned,
    });
    expect(Object.fromEntries(Object.entries(figures.fixedBy).filter(([, n]) => n > 0))).toEqual(expected.fixedBy);
    expect(Object.fromEntries(Object.entries(figures.dropOff).filter(([, n]) => n > 0))).toEqual(expected.dropOff);
  }
  for (const [key, sessions] of Object.entries(byLanguage)) expect(insights.byLanguage[key]?.sessions).toBe(sessions);
  for (const [key, sessions] of Object.entries(byChannel)) expect(insights.byChannel[key]?.sessions).toBe(sessions);
  for (const [key, sessions] of Object.entries(byOs)) expect(insights.byOs[key]?.sessions).toBe(sessions);
  const today = insights.days.at(-1)!;
  expect(today).toEqual({ date: new Date().toISOString().slice(0, 10), sessions: 8, resolved: 2, escalated: 1, abandoned: 2 });
  expect(insights.unrecognisedTexts).toHaveLength(1);
  expect(insights.unrecognisedTexts[0]!.text).toContain('how do I restore a file');
  expect(insights.unrecognisedTexts[0]!.count).toBe(1);
  expect(JSON.stringify(insights)).not.toContain(SECRET);
  expect(JSON.stringify(insights)).not.toContain(VM_NAME);
}

describe('insights of sessions driven through the real server (SQLite)', () => {
  jest.setTimeout(60_000);
  let bot: TestBotServer;

  beforeAll(async () => {
    bot = await startTestBotServer();
    await driveSessions(bot.url);
    const reader = new SqliteInsightsStore(join(bot.dataDir, 'bot.sqlite'));
    try {
      await whenStored(reader);
    } finally {
      reader.close();
    }
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it('When the command reads the store, Then every figure matches the sessions driven', () => {
    const { status, stdout, stderr } = insightsCommand(bot.dataDir, ['--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expectFigures(JSON.parse(stdout) as Insights);
  });

  it('When the dashboard\'s data route is asked (from loopback, auth off), Then it answers the same figures', async () => {
    expectFigures(await dataJson(bot.url));
  });

  it('When the store is read by hand, Then sessions are a queryable table with indexes and hold no text', () => {
    const db = new Database(join(bot.dataDir, 'bot.sqlite'), { readonly: true });
    try {
      const outcomes = db.prepare('SELECT outcome, COUNT(*) AS n FROM insight_sessions GROUP BY outcome ORDER BY outcome').all();
      expect(outcomes).toEqual([
        { outcome: null, n: 3 },
        { outcome: 'abandoned', n: 2 },
        { outcome: 'escalated', n: 1 },
        { outcome: 'resolved', n: 2 },
      ]);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'insight_sessions'").all() as { name: string }[];
      expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining(['insight_sessions_started', 'insight_sessions_category']));
      const everything = JSON.stringify(db.prepare('SELECT * FROM insight_sessions').all());
      expect(everything).not.toContain(VM_NAME);
      expect(everything).not.toContain('Ubuntu');
      expect(JSON.stringify(db.prepare('SELECT * FROM insight_texts').all())).not.toContain(SECRET);
      // The per-flow outcome items of before are gone: nothing but state in the key-value table.
      expect(db.prepare("SELECT COUNT(*) AS n FROM items WHERE key LIKE 'outcomes/%'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('When the figures are printed for a person or as CSV, Then they are there too', () => {
    const person = insightsCommand(bot.dataDir, []);
    expect(person.status).toBe(0);
    expect(person.stdout).toMatch(/sessions\s+8/);
    expect(person.stdout).toMatch(/resolution 33\.3% of engaged/);
    const csv = insightsCommand(bot.dataDir, ['--csv']);
    expect(csv.status).toBe(0);
    expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(9);
    expect(csv.stdout).not.toContain(VM_NAME);
  });

  it('When the period holds none of them or the options are wrong, Then zeros, or a usage error naming the option', () => {
    const empty = insightsCommand(bot.dataDir, ['--json', '--since', '2020-01-01', '--until', '2020-01-31']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ sessions: 0, engaged: 0, rates: { engagement: 0 } });
    for (const args of [['--since', 'yesterday'], ['--since', '2026-12-05', '--until', '2026-12-01'], ['--abandon-after', '0'], ['--json', '--csv']]) {
      const wrong = insightsCommand(bot.dataDir, args);
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toContain(args[0] === '--json' ? 'Choose one of --json and --csv' : args[0]);
    }
  });
});

describe('insights of sessions driven through the real server (STORAGE=azure-blob, on Azurite)', () => {
  jest.setTimeout(120_000);
  let azurite: Azurite;
  let store: StateStore;
  let server: RunningServer;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    azurite = await startAzurite();
    dataDir = mkdtempSync(join(tmpdir(), 'insights-azure-'));
    env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: 'insights-e2e' };
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
    store = createStorage(config);
    server = await startServer(config, store.storage, silentLogger, { lock: store.lock, insights: store.insights });
    await driveSessions(server.url);
    await whenStored(store.insights);
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await azurite?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the command reads Azure Table storage, Then every figure matches the sessions driven', () => {
    const { status, stdout, stderr } = insightsCommand(dataDir, ['--json'], env);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expectFigures(JSON.parse(stdout) as Insights);
  });

  it('When the dashboard\'s data route is asked, Then it answers the same figures from Azure Table storage', async () => {
    expectFigures(await dataJson(server.url));
  });
});
