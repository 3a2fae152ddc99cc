/**
 * The bot in a Teams-like client: Microsoft 365 Agents Playground (runs offline,
 * sends msteams activities with a serviceUrl of its own) in headless Chromium.
 * Install → welcome → paste → card → click → the answered card updated in place.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import { PROJECT_ROOT } from '../../src/project-root';
import { browserAvailable, openBrowser, type HeadlessBrowser } from '../support/headless-chromium';
import { captureLog, type CapturedLog } from '../operations/helpers';
import { freePort, startPlayground } from '../support/agents-playground';

const SCREENSHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');

const run = browserAvailable() ? describe : describe.skip;

run('the bot in Microsoft 365 Agents Playground (Teams channel)', () => {
  let bot: RunningServer;
  let playground: ChildProcess;
  let browser: HeadlessBrowser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'playground-bot-'));
    bot = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), new SqliteStorage(join(dataDir, 'bot.sqlite')), silentLogger);
    const port = await freePort();
    playground = await startPlayground(bot.url, port);
    browser = await openBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await browser.page.goto(`http://127.0.0.1:${port}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    playground?.kill();
    await bot?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the app is installed, Then the welcome card shows once', async () => {
    const { page } = browser;
    await page.getByText('Browse the five errors').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-1-welcome.png') });
    expect(await page.getByText('Azure VM backup troubleshooter', { exact: true }).count()).toBe(1);
  });

  it('When an error is pasted and the OS chosen, Then the first cause shows and the OS card is updated in place', async () => {
    const { page } = browser;
    const box = page.locator('div[role=textbox][contenteditable=true]').first();
    await box.click();
    await box.fill('VM エージェントが Azure Backup と通信できません');
    await page.getByRole('button', { name: 'Send Message' }).click();
    await page.getByRole('button', { name: 'Linux' }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-2-recognised.png') });
    await page.getByRole('button', { name: 'Linux' }).first().click();
    await page.getByText('Cause 1 of 4').first().waitFor({ timeout: 20_000 });
    // The answered OS card: the choice is shown and its buttons are gone.
    await page.getByText('You chose: Linux').first().waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Windows' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-3-answered.png'), fullPage: true });
  });

  it('When "This fixed it" is clicked, Then the fixed card comes and the cause card shows the choice', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Still failing: next cause' }).last().click();
    await page.getByText('Cause 2 of 4').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'This fixed it' }).last().click();
    await page.getByText('Glad the backup works again').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-4-fixed.png'), fullPage: true });
    expect(await page.getByText('You chose: This fixed it').count()).toBeGreaterThan(0);
  });

  it('When the page ran, Then only the playground CDN assets were asked for outside loopback, and aborted', () => {
    // The playground fetches its fonts and one script from Office's CDN; offline they are aborted.
    const unexpected = browser.blocked.filter((url) => new URL(url).hostname !== 'res-1.cdn.office.net');
    expect(unexpected).toEqual([]);
  });
});

run('a case sent to the helpdesk\'s Teams channel from Microsoft 365 Agents Playground (TEAMS_SUPPORT_CHANNEL_ID)', () => {
  const SUPPORT_CHANNEL_ID = '19:support@thread.tacv2';
  const MESSAGES = HANDOFF_TEXTS.en.messages;
  let bot: RunningServer;
  let log: CapturedLog;
  let storage: SqliteStorage;
  let playground: ChildProcess;
  let browser: HeadlessBrowser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'playground-channel-post-'));
    log = captureLog();
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    bot = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TEAMS_SUPPORT_CHANNEL_ID: SUPPORT_CHANNEL_ID }), storage, log.logger);
    const port = await freePort();
    playground = await startPlayground(bot.url, port);
    browser = await openBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await browser.page.goto(`http://127.0.0.1:${port}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    playground?.kill();
    await bot?.close();
    storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Resolves once `predicate` holds over the bot's log (looked at every 100 ms); rejects after `timeoutMs`. */
  async function logShows(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; bot log: ${log.lines.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const teamsPostLines = (event: string): Record<string, unknown>[] => log.events(event).filter((entry) => entry['kind'] === 'teams-post');

  /*
   * Agents Playground 0.2.28 does serve POST /v3/conversations, but posts only into its own team's channels
   * ("<guid>@test.team", which TEAMS_SUPPORT_CHANNEL_ID's check refuses); for any other channel it answers
   * 500 {"error":{"code":"ConversationNotFound"}}. A 5xx is retried (for up to 24 hours), so the user hears neither
   * "posted" nor "could not post" in any time a test can wait: what they must see is "posting…" and no apology,
   * while the post is retried. If a later playground accepts the post or answers 403/404, the final message comes
   * and this test says which (and fails, to be updated).
   */
  it('When a Teams user sends their case to the helpdesk, Then "posting to the channel" shows and no apology, and while the playground answers 500 to the channel post it is retried and no false outcome is shown', async () => {
    const { page } = browser;
    await page.getByText('Browse the five errors').first().waitFor({ timeout: 20_000 });
    const box = page.locator('div[role=textbox][contenteditable=true]').first();
    await box.click();
    await box.fill('VMSnapshot extension operation failed on VM vm-sql02');
    await page.getByRole('button', { name: 'Send Message' }).click();
    await page.getByRole('button', { name: 'Windows' }).first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Windows' }).first().click();
    await page.getByText('Cause 1 of').first().waitFor({ timeout: 20_000 });
    // "Talk to the helpdesk" on the cause card (the newest button of that name).
    await page.getByRole('button', { name: CARD_TEXTS.en.buttons.helpdesk }).last().click();
    await page.getByRole('button', { name: HANDOFF_TEXTS.en.preview.send }).last().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-5-case-preview.png'), fullPage: true });
    await page.getByRole('button', { name: HANDOFF_TEXTS.en.preview.send }).last().click();
    await page.getByText(MESSAGES.channelQueued).first().waitFor({ timeout: 20_000 });

    // The post is made (the connector client tries 4 times per attempt, about 5 s): wait for the dispatcher's second attempt to end.
    const posted = page.getByText(MESSAGES.channelPosted);
    const failed = page.getByText(MESSAGES.channelFailed, { exact: false });
    await logShows(() => teamsPostLines('delivery.retry').length >= 2 || teamsPostLines('delivery.delivered').length + teamsPostLines('delivery.failed').length > 0, 40_000, 'outcome or second retry of the channel post');
    await page.screenshot({ path: join(SCREENSHOTS, 'teams-6-case-sent.png'), fullPage: true });
    const outcome = (await posted.count()) > 0 ? 'posted' : (await failed.count()) > 0 ? 'failed' : 'retrying';
    process.stdout.write(`Agents Playground, case posted to the support channel: ${outcome}; retries: ${JSON.stringify(teamsPostLines('delivery.retry').map(({ status, errorClass }) => ({ status, errorClass })))}\n`);

    expect(await page.getByText('Sorry, something went wrong').count()).toBe(0);
    expect(log.events('turn-failed')).toEqual([]);
    expect(outcome).toBe('retrying');
    expect(teamsPostLines('delivery.retry').map((entry) => entry['status'])).toEqual([500, 500]);
    expect(teamsPostLines('delivery.failed')).toEqual([]);
    // The playground's own log panel shows the bot's calls: the channel post reached it and was answered 500.
    expect(await page.getByText('createConversation 500').count()).toBeGreaterThan(0);
  }, 90_000);
});
