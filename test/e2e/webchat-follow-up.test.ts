/**
 * The follow-up for a returning web chat user, in real headless Chromium: the
 * real server (port 0, SQLite in a temp DATA_DIR, FOLLOW_UP_AFTER=3s), the page
 * at /, the local Direct Line. A user pastes an error naming the guest OS, clicks
 * "This fixed it" on the first cause and closes the tab. Once the follow-up is
 * due (the dispatcher has also put it into the old conversation, which the
 * stand-in keeps), the same browser (same profile, same signed `bt_user` cookie)
 * opens the page again: a new conversation, which starts with the question
 * "Did the next backup succeed?", once; "Yes, it succeeded" confirms the fix.
 * Another browser profile opening the page meanwhile is another user and is not
 * asked. The same in Japanese. Any request that is not to loopback, page error
 * or CSP violation fails the test. The server's log lines are collected and
 * shown with any failing step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { describeDelay } from '../../src/domain/follow-up/follow-up';
import type { Language } from '../../src/domain/knowledge/schema';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { createJsonLogger } from '../../src/logger';
import { browserTestsEnabled, clickOnLastCard, launchBrowser, screenshot, send, waitForText, type BrowserSession } from '../support/webchat-browser';

const enabled = browserTestsEnabled();
if (!enabled.run) process.stderr.write(`\nwebchat-follow-up.test.ts ${enabled.reason}\n\n`);
const describeInBrowser = enabled.run ? describe : describe.skip;

const FOLLOW_UP_AFTER_MS = 3_000;
/** The follow-up is due after FOLLOW_UP_AFTER; the dispatcher polls every second; the proactive turn takes a moment. */
const DELIVERED_WITHIN_MS = FOLLOW_UP_AFTER_MS + 5_000;
/** How long a page that should not be asked is watched after its welcome (the page polls every 500 ms). */
const NOT_ASKED_WATCH_MS = 3_000;

interface LogLine {
  level: string;
  event: string;
  id?: string;
  kind?: string;
}

interface StartedConversation {
  conversationId: string;
}

/** The conversation a page starts (the answer to its POST /v3/directline/conversations). */
function nextConversation(page: Page): Promise<string> {
  return page
    .waitForResponse((response) => response.request().method() === 'POST' && /\/v3\/directline\/conversations$/.test(new URL(response.url()).pathname), { timeout: 15_000 })
    .then(async (response) => ((await response.json()) as StartedConversation).conversationId);
}

/** Activities (cards and messages) on the page that contain `text`; Web Chat's hidden labels stay inside their activity. */
function activitiesWith(page: Page, text: string): Promise<number> {
  return page.locator('.webchat__basic-transcript__activity').filter({ hasText: text }).count();
}

describeInBrowser(`the follow-up for a returning web chat user in headless Chromium${enabled.run ? '' : ` (${enabled.reason})`}`, () => {
  jest.setTimeout(60_000);
  let server: RunningServer;
  let storage: SqliteStorage;
  let dataDir: string;
  const logLines: string[] = [];
  const browsers: BrowserSession[] = [];
  const started = Date.now();

  function logs(): LogLine[] {
    return logLines.map((line) => JSON.parse(line) as LogLine);
  }

  /** Runs one step of the story; if it fails, says which and shows the server's log lines about deliveries, follow-ups and errors. */
  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const relevant = logLines.filter((line) => /delivery|follow|"level":"(warn|error)"/.test(line));
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`step "${name}" failed: ${message}\n--- server log (deliveries, follow-ups, warnings, errors) ---\n${relevant.join('\n') || '(none)'}`);
    }
  }

  /** Waits, bounded, for the server to log the follow-up `id` delivered (its proactive turn in the old conversation). */
  async function delivered(id: string): Promise<void> {
    const deadline = Date.now() + DELIVERED_WITHIN_MS;
    while (Date.now() < deadline) {
      if (logs().some((line) => line.event === 'delivery.delivered' && line.id === id)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`follow-up ${id} was not delivered within ${DELIVERED_WITHIN_MS} ms of the fix`);
  }

  async function newProfile(): Promise<BrowserSession> {
    const browser = await launchBrowser();
    browsers.push(browser);
    return browser;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'backup-bot-follow-up-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    const logger = createJsonLogger((line) => void logLines.push(line.trimEnd()));
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, FOLLOW_UP_AFTER: `${FOLLOW_UP_AFTER_MS / 1_000}s` }), storage, logger);
  });

  afterEach(() => {
    // Nothing outside this machine, no script errors, no policy violations, nothing the server logged as an error.
    for (const browser of browsers) {
      expect(browser.blocked).toEqual([]);
      expect(browser.problems).toEqual([]);
    }
    expect(logs().filter((line) => line.level === 'error')).toEqual([]);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
    storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`webchat-follow-up.test.ts: ${((Date.now() - started) / 1000).toFixed(1)} s in the browser\n`);
  });

  /**
   * Step 1: opens the page, pastes `paste` (naming the guest OS: no OS question), clicks "This fixed it" on
   * the first cause, sees the promise to check back, and closes the tab. Returns the follow-up's id and conversation.
   */
  async function markFixedAndCloseTab(browser: BrowserSession, locale: string, language: Language, paste: string): Promise<{ followUpId: string; conversationId: string }> {
    const texts = CARD_TEXTS[language];
    const page = await browser.newPage();
    const conversation = nextConversation(page);
    await page.goto(`${server.url}/?${new URLSearchParams({ locale })}`);
    await waitForText(page, texts.welcome.title);
    const conversationId = await conversation;
    await send(page, paste);
    await waitForText(page, texts.recognised.title);
    // Linux: no-internet, snapshot-status, extension-update-load.
    await waitForText(page, texts.cause.position(1, 3));
    const enqueuedBefore = logs().filter((line) => line.event === 'delivery.enqueued' && line.kind === 'follow-up').length;
    await clickOnLastCard(page, texts.cause.resolved);
    await waitForText(page, texts.fixed.title);
    await waitForText(page, texts.fixed.checkBack(describeDelay(FOLLOW_UP_AFTER_MS, language)));
    const enqueued = logs().filter((line) => line.event === 'delivery.enqueued' && line.kind === 'follow-up');
    expect(enqueued).toHaveLength(enqueuedBefore + 1);
    await page.close();
    return { followUpId: enqueued[enqueued.length - 1]!.id!, conversationId };
  }

  /** Opens the page in `browser`; returns it, with its new conversation, once the welcome is on screen. */
  async function openPage(browser: BrowserSession, locale: string, language: Language): Promise<{ page: Page; conversationId: string }> {
    const page = await browser.newPage();
    const conversation = nextConversation(page);
    await page.goto(`${server.url}/?${new URLSearchParams({ locale })}`);
    await waitForText(page, CARD_TEXTS[language].welcome.title);
    return { page, conversationId: await conversation };
  }

  it('When a user marks the fix and closes the tab, and comes back in the same browser once the follow-up is due, Then the new conversation asks "Did the next backup succeed?" once, "Yes, it succeeded" confirms it, and another browser profile is not asked', async () => {
    const texts = CARD_TEXTS.en;
    const question = texts.followUp.title(undefined);
    const userA = await newProfile();

    const fixed = await step('1. A: paste, "This fixed it", close the tab', () => markFixedAndCloseTab(userA, 'en-US', 'en', 'ExtensionSnapshotFailedNoNetwork on Ubuntu'));
    await step('wait until the follow-up is due and the dispatcher has delivered it', () => delivered(fixed.followUpId));

    // Another browser profile, while the follow-up is due and unanswered: another user, not asked.
    const userB = await newProfile();
    const other = await step('3. B: open the page after the due time', () => openPage(userB, 'en-US', 'en'));
    expect(other.conversationId).not.toBe(fixed.conversationId);
    await other.page.waitForTimeout(NOT_ASKED_WATCH_MS);
    expect(await activitiesWith(other.page, question)).toBe(0);
    expect(await activitiesWith(other.page, texts.followUp.succeeded)).toBe(0);
    await other.page.close();

    // The same browser again: a new conversation, and the question at its start.
    const back = await step('2. A: come back, the follow-up card appears', async () => {
      const opened = await openPage(userA, 'en-US', 'en');
      await waitForText(opened.page, question, 10_000);
      return opened;
    });
    expect(back.conversationId).not.toBe(fixed.conversationId);
    await waitForText(back.page, texts.followUp.succeeded);
    await waitForText(back.page, texts.followUp.failedAgain);
    await waitForText(back.page, texts.followUp.notRunYet);

    await step('2. A: "Yes, it succeeded" is confirmed', async () => {
      await clickOnLastCard(back.page, texts.followUp.succeeded);
      await waitForText(back.page, BOT_TEXTS.en.followUpConfirmed, 10_000);
    });
    // Asked once in this conversation: the welcome's turn did not put the card up twice.
    expect(await activitiesWith(back.page, question)).toBe(1);
    // And delivered once into the old conversation (the proactive turn), not again.
    expect(logs().filter((line) => line.event === 'delivery.delivered' && line.id === fixed.followUpId)).toHaveLength(1);
    const shot = await screenshot(back.page, 'webchat-follow-up-returning');
    expect(shot).toMatch(/webchat-follow-up-returning\.png$/);
    await back.page.close();
  });

  it('When a Japanese user marks the fix and comes back in the same browser once the follow-up is due, Then the new conversation asks in Japanese and 「はい、成功しました」 confirms it', async () => {
    const texts = CARD_TEXTS.ja;
    const question = texts.followUp.title(undefined);
    const user = await newProfile();

    const fixed = await step('4. ja: paste, 「これで解決しました」, close the tab', () =>
      markFixedAndCloseTab(user, 'ja-JP', 'ja', 'Ubuntu の VM のバックアップが ExtensionSnapshotFailedNoNetwork で失敗しました'),
    );
    await step('4. ja: wait until the follow-up is due and delivered', () => delivered(fixed.followUpId));

    const back = await step('4. ja: come back, the follow-up card appears in Japanese', async () => {
      const opened = await openPage(user, 'ja-JP', 'ja');
      await waitForText(opened.page, question, 10_000);
      return opened;
    });
    expect(back.conversationId).not.toBe(fixed.conversationId);
    expect(texts.followUp.succeeded).toBe('はい、成功しました');
    await waitForText(back.page, texts.followUp.failedAgain);
    await waitForText(back.page, texts.followUp.notRunYet);

    await step('4. ja: 「はい、成功しました」 is confirmed', async () => {
      await clickOnLastCard(back.page, texts.followUp.succeeded);
      await waitForText(back.page, BOT_TEXTS.ja.followUpConfirmed, 10_000);
    });
    expect(await activitiesWith(back.page, question)).toBe(1);
    await screenshot(back.page, 'webchat-follow-up-returning-ja');
    await back.page.close();
  });
});
