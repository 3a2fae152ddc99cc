/**
 * The current guidance (issue 12) in the web chat page, in real headless
 * Chromium over the real server and the local Direct Line: a cause card with its
 * "Changed since 2017" box, the first extra check of the current article after
 * the last cause, and the card of an error of the current article outside the
 * five, in English and in Japanese. Screenshots go to test-output/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { CURRENT_GUIDANCE_TEXTS } from '../../src/domain/i18n/current-guidance-texts';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { ARTICLES, CURRENT, type Language } from '../support/article-order';
import { browserTestsEnabled, clickOnLastCard, lastActivity, launchBrowser, screenshot, send, waitForText, type BrowserSession } from '../support/webchat-browser';

const enabled = browserTestsEnabled();
if (!enabled.run) process.stderr.write(`\ncurrent-guidance-webchat.test.ts ${enabled.reason}\n\n`);
const describeInBrowser = enabled.run ? describe : describe.skip;

const causeTitle = (language: Language, id: string) => ARTICLES[language].causes.find((cause) => cause.id === id)!.title;
const checkTitle = (language: Language, id: string) => CURRENT[language].checks.find((check) => check.id === id)!.title;
/** Web Chat's markdown turns ' into a typographic apostrophe: match either. */
const asShown = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['\u2019]"));

/**
 * Per language: a paste that names the guest OS (so no OS question), the cause whose
 * note is photographed, how many "next" clicks reach the last cause, the first check,
 * and a paste of an other error with its title.
 */
const SCENARIOS = {
  en: {
    locale: 'en-US',
    paste: 'GuestAgentSnapshotTaskStatusError on our Ubuntu 22.04 VM',
    notedCause: 'agent-outdated-linux',
    nextToLast: 1,
    firstCheck: 'current-linux-agent-config',
    other: { paste: 'The backup job failed with UserErrorRpCollectionLimitReached', title: 'The Restore Point collection max limit has reached' },
  },
  ja: {
    locale: 'ja-JP',
    paste: 'Windows Server 2019 の VM で BackUpOperationFailed が出ました',
    notedCause: 'no-internet',
    nextToLast: 3,
    firstCheck: 'current-rg-lock',
    other: { paste: 'バックアップ ジョブのエラー: 別のバックアップ操作が進行中であるためバックアップを開始できません', title: '別のバックアップ操作が進行中であるためバックアップを開始できません' },
  },
} as const;

describeInBrowser(`the current guidance in the web chat${enabled.run ? '' : ` (${enabled.reason})`}`, () => {
  jest.setTimeout(120_000);
  let server: RunningServer;
  let storage: SqliteStorage;
  let dataDir: string;
  let browser: BrowserSession;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'backup-bot-current-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, silentLogger);
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    await browser.context.clearCookies();
  });

  afterEach(() => {
    // Nothing outside this machine, no script errors, no policy violations.
    expect(browser.blocked).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function openChat(language: Language): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?${new URLSearchParams({ locale: SCENARIOS[language].locale })}`);
    await waitForText(page, CARD_TEXTS[language].welcome.title);
    return page;
  }

  /** Brings a text of the newest card into view, so that the screenshot shows it. */
  async function showInLastCard(page: Page, text: string): Promise<void> {
    await lastActivity(page).getByText(text, { exact: true }).first().scrollIntoViewIfNeeded();
  }

  it.each(['en', 'ja'] as const)('When a %s user walks past the last cause, Then a cause card shows its "Changed since 2017" note and the current article\'s extra checks follow', async (language) => {
    const scenario = SCENARIOS[language];
    const texts = CARD_TEXTS[language];
    const current = CURRENT_GUIDANCE_TEXTS[language];
    const page = await openChat(language);
    await send(page, scenario.paste);
    await waitForText(page, causeTitle(language, scenario.notedCause));
    await waitForText(lastActivity(page), current.note.heading);
    await showInLastCard(page, current.note.heading);
    // The link to the current article's section, in the user's language.
    const hrefs = await lastActivity(page).locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    const page2025 = language === 'en' ? 'https://learn.microsoft.com/azure/backup/' : 'https://learn.microsoft.com/ja-jp/azure/backup/';
    expect(hrefs.some((href) => href.startsWith(`${page2025}backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout#`))).toBe(true);
    await screenshot(page, `current-${language}-1-cause-with-note`);

    // Each click waits for the next card, as a user does: the older cards keep their buttons.
    const total = scenario.nextToLast + 1;
    for (let click = 1; click <= scenario.nextToLast; click++) {
      await clickOnLastCard(page, texts.cause.next);
      await waitForText(lastActivity(page), texts.cause.position(click + 1, total));
    }
    await clickOnLastCard(page, current.checks.toChecks);
    await waitForText(lastActivity(page), current.checks.heading);
    await waitForText(lastActivity(page), asShown(checkTitle(language, scenario.firstCheck)));
    await showInLastCard(page, current.checks.heading);
    await screenshot(page, `current-${language}-2-extra-check`);
    await page.close();
  });

  it.each(['en', 'ja'] as const)('When a %s user pastes an error of the current article outside the five, Then its card names it and offers the helpdesk', async (language) => {
    const scenario = SCENARIOS[language];
    const texts = CARD_TEXTS[language];
    const page = await openChat(language);
    await send(page, scenario.other.paste);
    await waitForText(lastActivity(page), scenario.other.title);
    await lastActivity(page).getByRole('button', { name: texts.buttons.helpdesk, exact: true }).waitFor();
    await showInLastCard(page, scenario.other.title);
    await screenshot(page, `current-${language}-3-other-error`);
    await page.close();
  });
});
