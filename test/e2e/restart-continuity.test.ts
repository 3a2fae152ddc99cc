/**
 * The default store is durable: a bot restarted mid-flow (a new process on the
 * same DATA_DIR/bot.sqlite) continues the walk at the same cause, and the card
 * shown before the restart still works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { HttpBotConversation } from '../support/http-bot-client';
import { button, buttonsOf, lastCard } from '../support/bot-conversation';

describe('a restart in the middle of a walk', () => {
  let dataDir: string;
  let running: RunningServer | undefined;
  let storage: SqliteStorage | undefined;

  const start = async () => {
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, silentLogger);
    return running;
  };
  const stop = async () => {
    await running?.close();
    storage?.close();
    running = undefined;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'restart-'));
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the bot restarts on the second cause, Then the next click shows the third cause', async () => {
    const before = await start();
    const chat = new HttpBotConversation(before.url, 'en-US', 'restart-1');
    const first = await chat.say('Error code: UserErrorGuestAgentStatusUnavailable');
    const second = await chat.click(button(lastCard(first), 'choose-os', { os: 'windows' }));
    const onSecond = await chat.click(button(lastCard(second), 'next'));
    const secondCard = lastCard(onSecond);
    expect(buttonsOf(secondCard).find((entry) => entry.data.action === 'next')?.data.causeId).toBe('agent-unresponsive-windows');

    await stop();
    const after = await start();
    const resumed = new HttpBotConversation(after.url, 'en-US', 'restart-1');
    const third = await resumed.click(button(secondCard, 'next'));
    expect(buttonsOf(lastCard(third)).find((entry) => entry.data.action === 'next')?.data.causeId).toBe('snapshot-status');
  });
});
