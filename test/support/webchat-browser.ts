/**
 * Headless Chromium for the web chat tests: Debian's /usr/bin/chromium driven by
 * playwright-core, with the flags that keep it off the internet, a fresh
 * profile each run, a guard that aborts (and records) any request that is not
 * to loopback, and helpers to talk to Web Chat the way a user does.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/project-root';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-output', 'screenshots');

/** Run the browser tests unless Chromium is missing on a developer's machine; in CI they always run. */
export function browserTestsEnabled(): { run: boolean; reason?: string } {
  if (existsSync(CHROMIUM)) return { run: true };
  if (process.env['CI']) return { run: true, reason: `${CHROMIUM} is missing in CI: .ci/run should have installed it` };
  return {
    run: false,
    reason: `skipped: ${CHROMIUM} is missing (apt-get install -y chromium fonts-liberation fonts-noto-cjk); with CI set this is a failure`,
  };
}

export interface BrowserSession {
  context: BrowserContext;
  /** Requests the guard aborted because they were not to loopback. */
  blocked: string[];
  /** Page errors and console errors (CSP violations among them). */
  problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function launchBrowser(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium fonts-liberation fonts-noto-cjk`);
  const profile = mkdtempSync(join(tmpdir(), 'webchat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 800 } });
  const blocked: string[] = [];
  const problems: string[] = [];
  const watch = async (page: Page): Promise<Page> => {
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return route.fallback();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    return page;
  };
  return {
    context,
    blocked,
    problems,
    newPage: async () => watch(await context.newPage()),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Web Chat shows "Connecting…" for a moment after it is online; wait for it to go, as a user would see the page.
  await page
    .locator('.webchat__connectivityStatus')
    .filter({ hasText: /\S/ })
    .first()
    .waitFor({ state: 'hidden', timeout: 3_000 })
    .catch(() => undefined);
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Text Web Chat shows; its hidden accessibility labels repeat message text, hence the first match. */
export async function waitForText(scope: Page | Locator, text: string | RegExp, timeout = 15_000): Promise<void> {
  await scope.getByText(text).first().waitFor({ state: 'visible', timeout });
}

/** Types into the send box and presses Enter, as a user does (the send box keeps line breaks). */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

export function lastActivity(page: Page): Locator {
  return page.locator('.webchat__basic-transcript__activity').last();
}

/** Clicks a button of the newest card (older cards keep their buttons: the bot calls a click on them stale). */
export async function clickOnLastCard(page: Page, name: string): Promise<void> {
  await lastActivity(page).getByRole('button', { name, exact: true }).click();
}
