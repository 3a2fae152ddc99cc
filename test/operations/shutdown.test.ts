/**
 * Graceful shutdown, for real: the built server (`node dist/src/entry-points/http/main.js`,
 * PORT=0, a temp DATA_DIR) gets SIGTERM or SIGINT while a turn is in flight.
 * The turn is held open by its client (`Expect: 100-continue`, the 1 MB paste
 * sent only after the signal), so nothing in the server is there for the test.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { FORBIDDEN_IN_LOGS, heldTurn, idleKeepAlive, messageActivity, secretPaste, spawnBot, tryConnect, within, type SpawnedBot } from './helpers';

jest.setTimeout(30_000);

let bot: SpawnedBot | undefined;

afterEach(() => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  bot?.cleanUp();
  bot = undefined;
});

describe.each(['SIGTERM', 'SIGINT'] as const)('%s with a turn in flight', (signal) => {
  it('When the signal comes, Then new connections are refused, idle keep-alive connections close, the turn finishes with 200, the store is closed intact and the process exits 0', async () => {
    bot = await spawnBot();
    const conversationId = `shutdown-${signal}`;
    const paste = secretPaste(60_000);

    const idle = await idleKeepAlive(bot.url);
    const turn = heldTurn(bot.url, messageActivity(conversationId, paste));
    await turn.accepted;

    bot.child.kill(signal);
    const started = await bot.waitForEvent('shutdown-started');
    expect(started).toMatchObject({ reason: signal, inFlight: 1 });

    // Draining: the listener is closed and the idle keep-alive connection is closed by the server…
    expect(await tryConnect(bot.url)).toBe('ECONNREFUSED');
    expect(await within(idle.closed, 2_000)).toBe(true);
    // …while the turn in flight is still waited for: the process has not exited.
    expect(bot.child.exitCode).toBeNull();

    turn.release();
    const response = await turn.response;
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('close');
    const { activities = [] } = JSON.parse(response.body) as { activities?: Partial<Activity>[] };
    // The paste names the error and Ubuntu: the first Linux cause card came back.
    expect(JSON.stringify(activities)).toContain('"action":"next"');

    const exit = await bot.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    const entries = bot.logEntries();
    const shutdown = entries.find((entry) => entry['event'] === 'shutdown');
    expect(shutdown).toMatchObject({ level: 'info', reason: signal, exitCode: 0, inFlightAtStart: 1, drained: true, cut: 0 });
    expect(entries.filter((entry) => entry['event'] === 'turn')).toEqual([expect.objectContaining({ status: 'ok', inputChars: paste.length })]);
    for (const forbidden of FORBIDDEN_IN_LOGS) expect(bot.stderr()).not.toContain(forbidden);

    // The store was closed (the WAL folded back into the file) and holds the conversation's state.
    const file = join(bot.dataDir, 'bot.sqlite');
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0).toBe(false);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const row = db.prepare('SELECT value FROM items WHERE key = ?').get(`test/conversations/${conversationId}/`) as { value: string } | undefined;
      expect(row).toBeDefined();
      const state = JSON.parse(row!.value) as Record<string, unknown>;
      expect(Object.keys(state)).toEqual(expect.arrayContaining(['conversationData', 'dialogState']));
    } finally {
      db.close();
    }
  });
});

describe('a signal with nothing in flight', () => {
  it('When SIGTERM comes to an idle server, Then it exits 0 at once and a second signal changes nothing', async () => {
    bot = await spawnBot();
    const before = Date.now();
    bot.child.kill('SIGTERM');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(bot.logEntries().find((entry) => entry['event'] === 'shutdown')).toMatchObject({ exitCode: 0, inFlightAtStart: 0, drained: true });
  });
});
