/**
 * A returning web chat user in real headless Chromium: the real server (port 0,
 * SQLite and the user id key in a temp DATA_DIR), the page at /, the local
 * Direct Line. A user chats and closes the tab; the same browser opens the page
 * again: a new conversation, and the bot sees the same signed user id. A page
 * that rewrites `from.id` in what it posts changes nothing. Another browser
 * profile is another user. "What the bot saw" is read from the bot's own
 * replies as the page polls them: the bot addresses each reply to the `from` of
 * the activity it answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { newWebChatUserId } from '../../src/entry-points/http/webchat/user-id';
import { isSignedWebChatUserId } from '../../src/domain/conversation/returning-user';
import { silentLogger } from '../../src/logger';
import type { ActivitySetJson, DirectLineActivityJson } from '../support/direct-line-client';
import { browserTestsEnabled, launchBrowser, send, waitForText, type BrowserSession } from '../support/webchat-browser';

const enabled = browserTestsEnabled();
if (!enabled.run) process.stderr.write(`\nwebchat-returning-user.test.ts ${enabled.reason}\n\n`);
const describeInBrowser = enabled.run ? describe : describe.skip;

const ACTIVITIES = /\/v3\/directline\/conversations\/([^/?]+)\/activities(\?|$)/;

interface Visit {
  conversationId: string;
  /** `from.id` of the user's message as the stand-in passed it to the bot. */
  sentAs: string;
  /** Whom the bot's replies to that message were addressed to. */
  botSaw: string[];
  /** Posts whose `from` the test rewrote. */
  rewritten: number;
}

/** Every activity the page polled, as the page received it. */
function recordPolls(page: Page): DirectLineActivityJson[] {
  const polled: DirectLineActivityJson[] = [];
  page.on('response', (response) => {
    if (response.request().method() !== 'GET' || !ACTIVITIES.test(response.url()) || !response.ok()) return;
    void response
      .json()
      .then((body: ActivitySetJson) => polled.push(...body.activities))
      .catch(() => undefined);
  });
  return polled;
}

/** Opens the page, asks for help, waits for the bot's answer, closes the tab; `rewriteFrom` makes the page claim another id. */
async function visit(browser: BrowserSession, serverUrl: string, rewriteFrom?: string): Promise<Visit> {
  const page = await browser.newPage();
  const polled = recordPolls(page);
  let rewritten = 0;
  if (rewriteFrom) {
    await page.route(ACTIVITIES, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.fallback();
      const activity = request.postDataJSON() as Record<string, unknown>;
      rewritten += 1;
      return route.fallback({ postData: JSON.stringify({ ...activity, from: { id: rewriteFrom, role: 'user' } }) });
    });
  }
  await page.goto(`${serverUrl}/?locale=en-US`);
  // Not the welcome card: the bot greets a user once, and this may be their second visit.
  await page.locator('[data-id="webchat-sendbox-input"]').waitFor({ state: 'visible', timeout: 15_000 });
  await send(page, 'help');
  await waitForText(page, CARD_TEXTS.en.help.title);

  let message: DirectLineActivityJson | undefined;
  let replies: DirectLineActivityJson[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    message = polled.find((activity) => activity.type === 'message' && activity.text === 'help' && activity.from.role === 'user');
    replies = polled.filter((activity) => message !== undefined && activity.replyToId === message.id);
    if (replies.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!message || replies.length === 0) throw new Error(`no reply to "help" among ${polled.length} polled activities`);
  // The page's scripts cannot read the cookie (HttpOnly, and only sent to the token route).
  expect(String(await page.evaluate('document.cookie'))).not.toContain('bt_user');
  await page.close();
  return { conversationId: message.conversation.id, sentAs: message.from.id, botSaw: replies.map((reply) => reply.recipient?.id ?? ''), rewritten };
}

describeInBrowser(`a returning web chat user in headless Chromium${enabled.run ? '' : ` (${enabled.reason})`}`, () => {
  jest.setTimeout(120_000);
  let server: RunningServer;
  let storage: SqliteStorage;
  let dataDir: string;
  const browsers: BrowserSession[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'backup-bot-returning-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, silentLogger);
  });

  afterEach(() => {
    for (const browser of browsers) {
      expect(browser.blocked).toEqual([]);
      expect(browser.problems).toEqual([]);
    }
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
    storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function newProfile(): Promise<BrowserSession> {
    const browser = await launchBrowser();
    browsers.push(browser);
    return browser;
  }

  it('When a user closes the tab and comes back in the same browser, Then a new conversation starts and the bot sees the same signed id, whatever from.id the page sends', async () => {
    const browser = await newProfile();
    const first = await visit(browser, server.url);
    expect(isSignedWebChatUserId(first.sentAs)).toBe(true);
    expect(first.botSaw.every((id) => id === first.sentAs)).toBe(true);

    const [cookie] = (await browser.context.cookies(server.url + '/v3/directline/tokens/generate')).filter((candidate) => candidate.name === 'bt_user');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/v3/directline/tokens/generate' });
    expect(cookie!.value.startsWith(`${first.sentAs}.`)).toBe(true);
    const weekFromNow = Date.now() / 1000 + 7 * 24 * 60 * 60;
    expect(Math.abs(cookie!.expires - weekFromNow)).toBeLessThan(120);

    // Back in the same browser; this page claims to be somebody else in every activity it posts.
    const somebodyElse = newWebChatUserId();
    const second = await visit(browser, server.url, somebodyElse);
    expect(second.rewritten).toBeGreaterThan(0);
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.sentAs).toBe(first.sentAs);
    expect(second.botSaw.every((id) => id === first.sentAs)).toBe(true);
  });

  it('When another browser profile opens the page, Then the bot sees another user', async () => {
    const [first, second] = [await newProfile(), await newProfile()];
    const mine = await visit(first, server.url);
    const theirs = await visit(second, server.url);
    expect(isSignedWebChatUserId(theirs.sentAs)).toBe(true);
    expect(theirs.sentAs).not.toBe(mine.sentAs);
    expect(theirs.botSaw.every((id) => id === theirs.sentAs)).toBe(true);
  });
});
