/**
 * The whole handoff over real HTTP: the bot's server, the local Direct Line
 * (which also receives the bot's proactive messages) and a helpdesk on
 * loopback that is down at first. The user sends the case, hears it is queued,
 * and later gets the ticket reference in the same conversation; the helpdesk
 * gets the case once, redacted; a restart with a case pending loses nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import type { HandoffCase } from '../../src/domain/handoff/handoff-case';
import { DirectLineTestClient, cardsIn, type DirectLineActivityJson } from '../support/direct-line-client';
import { FakeHelpdesk, eventually } from '../support/fake-helpdesk';
import { buttonsOf } from '../support/bot-conversation';

const SECRET = 'webhook-signing-secret-0123456789';
const LEAKED_KEY = 'Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYg==';

function lastButton(activities: DirectLineActivityJson[], action: string): Record<string, unknown> {
  const cards = cardsIn(activities);
  for (let index = cards.length - 1; index >= 0; index--) {
    const found = buttonsOf(cards[index]!).find((entry) => entry.data.action === action);
    if (found) return { ...found.data };
  }
  throw new Error(`no ${action} button in ${activities.length} activities`);
}

describe('handing a case to a helpdesk that is down for a while', () => {
  let helpdesk: FakeHelpdesk;
  let dataDir: string;
  let running: RunningServer | undefined;

  const start = async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      HELPDESK_WEBHOOK_URL: helpdesk.webhookUrl,
      HELPDESK_WEBHOOK_SECRET: SECRET,
      HELPDESK_TIMEOUT_MS: '1000',
      HELPDESK_RETRY_BASE_MS: '100',
      HELPDESK_RETRY_MAX_MS: '400',
    });
    running = await startServer(config, new SqliteStorage(join(dataDir, 'bot.sqlite')), silentLogger);
    return running;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'handoff-e2e-'));
    helpdesk = await FakeHelpdesk.start({ secret: SECRET });
  });

  afterAll(async () => {
    await running?.close();
    await helpdesk.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the case is sent while the helpdesk is down and the bot restarts, Then the reference still arrives once', async () => {
    const server = await start();
    const chat = new DirectLineTestClient(server.url);
    expect(await chat.open('en-US')).toBeLessThan(300);
    await chat.pollUntil((activities) => cardsIn(activities).length > 0);

    await chat.say(`UserErrorGuestAgentStatusUnavailable on our Ubuntu VM vm-web01, AccountKey=${LEAKED_KEY}`);
    const walk = await chat.pollUntil((activities) => activities.some((activity) => JSON.stringify(activity).includes('"action":"helpdesk"')));
    await chat.click(lastButton(walk, 'helpdesk'));
    const preview = await chat.pollUntil((activities) => activities.some((activity) => JSON.stringify(activity).includes('send-case')));
    expect(JSON.stringify(preview)).not.toContain(LEAKED_KEY);

    await helpdesk.down();
    await chat.click({ ...lastButton(preview, 'send-case'), note: 'Started on Monday' });
    await chat.pollUntil((activities) => activities.some((activity) => activity.text === HANDOFF_TEXTS.en.messages.queued));
    // The handoff protocol event goes to Direct Line clients, with the case and the transcript.
    const handoffEvent = (await chat.fetchFrom(undefined)).body.activities.find((activity) => activity.type === 'event');
    expect(handoffEvent).toMatchObject({ name: 'handoff.initiate' });

    // Restart with the case pending and the helpdesk still down.
    await server.close();
    running = undefined;
    // The local Direct Line stand-in keeps its conversations in memory, so the old page cannot hear the
    // reference after this restart (a real Direct Line would deliver it). What must hold: the ticket arrives once.
    await start();
    await helpdesk.up();
    await eventually(() => helpdesk.tickets.length === 1, 'the ticket to arrive', 10_000);
    const ticket = helpdesk.tickets[0]!;
    const { case: handoffCase } = ticket.body as { case: HandoffCase };
    expect(handoffCase).toMatchObject({ reason: 'user-request', error: { category: 'agent-unreachable' }, guestOs: 'linux', note: 'Started on Monday' });
    expect(JSON.stringify(handoffCase)).not.toContain(LEAKED_KEY);
    expect(JSON.stringify(handoffCase)).toContain('[REDACTED storage key]');
    expect(helpdesk.requests.every((request) => request.signatureValid !== false)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(helpdesk.tickets).toHaveLength(1);
  });

  it('When the helpdesk answers 500 a few times, Then the user gets the reference in the same conversation', async () => {
    const server = running ?? (await start());
    const chat = new DirectLineTestClient(server.url);
    await chat.open('ja-JP');
    await chat.pollUntil((activities) => cardsIn(activities).length > 0);
    await chat.say('内部エラーでバックアップに失敗しました', 'ja-JP');
    const os = await chat.pollUntil((activities) => activities.some((activity) => JSON.stringify(activity).includes('choose-os')));
    await chat.click(lastButton(os, 'choose-os'), 'ja-JP');
    await chat.pollUntil((activities) => activities.some((activity) => JSON.stringify(activity).includes('"action":"resolved"')));
    helpdesk.failNext(3, 500);
    await chat.say('担当者', 'ja-JP');
    const preview = await chat.pollUntil((activities) => activities.some((activity) => JSON.stringify(activity).includes('send-case')));
    await chat.click(lastButton(preview, 'send-case'), 'ja-JP');
    const told = await chat.pollUntil(
      (activities) => activities.some((activity) => (activity.text ?? '').startsWith(HANDOFF_TEXTS.ja.messages.delivered('').trim())),
      15_000,
    );
    const reference = told.map((activity) => activity.text ?? '').find((text) => text.startsWith(HANDOFF_TEXTS.ja.messages.delivered('').trim()));
    const ticket = helpdesk.tickets[helpdesk.tickets.length - 1]!;
    expect(reference).toBe(HANDOFF_TEXTS.ja.messages.delivered(ticket.reference));
    expect(helpdesk.ticketsFor(ticket.key)).toHaveLength(1);
  });
});
