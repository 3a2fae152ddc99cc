/**
 * The insights dashboard in real headless Chromium: the real server (port 0,
 * loopback, auth off), a SQLite insights store seeded with a few dozen sessions
 * over this period and the one before, the page in Japanese and in English.
 * The charts must be drawn, the tiles must show the figures the core computes,
 * the period picker must reload them, the CSV link must download the period's
 * sessions, and axe must find nothing serious on the dashboard or on the chat
 * page. Any request that is not to loopback is aborted and fails the test; so
 * do page errors and Content-Security-Policy violations. Screenshots go to
 * test-output/screenshots/.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { causesInArticleOrder } from '../../src/domain/insights/article-order';
import { dayOf, defaultPeriod, previousPeriod, type Insights, type Period } from '../../src/domain/insights/figures';
import { readInsights } from '../../src/domain/insights/read-insights';
import { abandoned, causeAnswered, causeShown, engaged, escalated, recognised, startSession, unrecognised, type SessionRecord, followUpMoved } from '../../src/domain/insights/session';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import { ERROR_IDS, type Language } from '../../src/domain/knowledge/schema';
import { INSIGHTS_TEXTS } from '../../src/entry-points/http/insights/texts';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { SCREENSHOT_DIR, browserTestsEnabled, launchBrowser, type BrowserSession } from '../support/webchat-browser';

const enabled = browserTestsEnabled();
if (!enabled.run) process.stderr.write(`\ninsights-dashboard.test.ts ${enabled.reason}\n\n`);
const describeInBrowser = enabled.run ? describe : describe.skip;

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const TOKEN = 'insights-token-0123456789-abcdefghij';
/** Both servers share the seeded store: a retention longer than the seed keeps each server's start-up sweep off it. */
const RETENTION = { INSIGHTS_RETENTION_DAYS: '400' };
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Text that would run if the page ever put a text in as HTML. */
const HOSTILE_TEXT = '<img src=x onerror="document.body.dataset.owned=1">復元したい';

// ---------------------------------------------------------------------------
// Seeded sessions: six kinds in turn, spread over the days, languages, channels, guest OSes and errors.

function seededSession(index: number, start: Date): SessionRecord {
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
  const language: Language = index % 3 === 0 ? 'ja' : 'en';
  const channel = index % 4 === 0 ? 'msteams' : 'webchat';
  const category = ERROR_IDS[index % ERROR_IDS.length]!;
  const causes = causesInArticleOrder(category);
  const base = startSession({ id: `browser-${index}`, via: 'text', language, channel }, start);
  if (index % 6 === 4) return unrecognised(base, at(1));
  let session = engaged(recognised(base, category, index % 2 === 0 ? 'code' : 'description', at(1)), index % 2 === 0 ? 'windows' : 'linux', at(2));
  const walk = (answers: ('fixed' | 'still-failing')[]) =>
    answers.forEach((answer, step) => {
      session = causeAnswered(causeShown(session, causes[step]!, at(3 + step)), causes[step]!, answer, at(4 + step));
    });
  switch (index % 6) {
    case 0:
      walk(['fixed']);
      // Every other of these was confirmed by the follow-up: the tile beside the resolution rate shows it.
      return index % 12 === 0 ? followUpMoved(session, 'confirmed', at(60)) : session;
    case 1:
      walk(['still-failing', 'still-failing', 'fixed']);
      return session;
    case 2:
      walk(['still-failing']);
      return escalated(session, at(10));
    case 3:
      walk(['still-failing', 'still-failing']);
      return abandoned(session, at(10));
    default:
      // Shown its first cause and left: abandoned by the idle rule.
      session = causeShown(session, causes[0]!, at(3));
      return session;
  }
}

/** 36 sessions in the last 30 days, 20 in the 30 days before, and unrecognised texts. */
async function seed(store: SqliteInsightsStore, now: Date): Promise<void> {
  const current = Array.from({ length: 36 }, (_, index) => seededSession(index, new Date(now.getTime() - (1 + (index % 28)) * DAY - (index * 7) * MINUTE)));
  const before = Array.from({ length: 20 }, (_, index) => seededSession(100 + index, new Date(now.getTime() - (31 + (index % 28)) * DAY)));
  await store.saveSessions([...current, ...before]);
  for (let i = 0; i < 3; i++) await store.countText({ key: 'hostile', text: HOSTILE_TEXT, at: new Date(now.getTime() - 2 * DAY).toISOString() });
  await store.countText({ key: 'restore', text: 'how do I restore a single file?', at: new Date(now.getTime() - 3 * DAY).toISOString() });
}

// ---------------------------------------------------------------------------
// Page helpers

/** The query data.json was asked with, as the page writes it into data-ready. */
function readyQuery(period: Period, abandonAfter = 30): string {
  return new URLSearchParams({ since: period.since, until: period.until, abandonAfter: String(abandonAfter) }).toString();
}

async function waitUntilDrawn(page: Page, period: Period, abandonAfter = 30): Promise<void> {
  await page.locator(`body[data-ready="${readyQuery(period, abandonAfter)}"]`).waitFor({ state: 'attached', timeout: 15_000 });
}

/** Canvases with a Chart.js chart, and canvases with at least one painted pixel. */
async function charts(page: Page): Promise<{ canvases: number; charts: number; painted: number }> {
  return page.evaluate<{ canvases: number; charts: number; painted: number }>(`(() => {
    const canvases = Array.from(document.querySelectorAll('canvas'));
    const painted = canvases.filter((canvas) => {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
      return false;
    });
    return { canvases: canvases.length, charts: canvases.filter((canvas) => window.Chart.getChart(canvas) !== undefined).length, painted: painted.length };
  })()`);
}

async function tile(page: Page, key: string): Promise<{ value: number; text: string; change: string; previous: string }> {
  const item = page.locator(`.tile[data-kpi="${key}"]`);
  const value = item.locator('.tile__value');
  return {
    value: Number(await value.getAttribute('data-value')),
    text: (await value.textContent()) ?? '',
    change: (await item.locator('.tile__change').textContent()) ?? '',
    previous: (await item.locator('.tile__previous').textContent()) ?? '',
  };
}

async function expectTilesToShow(page: Page, expected: Insights, locale: string): Promise<void> {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const sessions = await tile(page, 'sessions');
  expect(sessions.value).toBe(expected.sessions);
  expect(sessions.text).toBe(String(expected.sessions));
  expect(sessions.previous).toContain(String(expected.previous.sessions));
  const rates = {
    engagement: expected.rates.engagement,
    resolution: expected.rates.resolution,
    confirmedResolution: expected.rates.confirmedResolution,
    escalation: expected.rates.escalation,
    abandon: expected.rates.abandon,
  };
  expect(expected.rates.confirmedResolution).toBeGreaterThan(0);
  for (const [key, rate] of Object.entries(rates)) {
    const shown = await tile(page, key);
    expect([key, shown.value, shown.text]).toEqual([key, rate, percent.format(rate)]);
  }
  expect((await tile(page, 'unrecognised')).value).toBe(expected.unrecognised);
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`).slice(0, 5) }));
  if (serious.length > 0) process.stderr.write(`axe on ${what}:\n${JSON.stringify(serious, null, 2)}\n`);
  expect(serious).toEqual([]);
}

async function fullScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

// ---------------------------------------------------------------------------

describeInBrowser(`the insights dashboard in headless Chromium${enabled.run ? '' : ` (${enabled.reason})`}`, () => {
  jest.setTimeout(120_000);
  let server: RunningServer;
  let store: SqliteInsightsStore;
  let browser: BrowserSession;
  const figures = (period: Period, abandonAfterMinutes = 30) => readInsights(store, { period, abandonAfterMinutes, causesOf: causesInArticleOrder });

  beforeAll(async () => {
    store = new SqliteInsightsStore(':memory:');
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', ...RETENTION }), new SqliteStorage(':memory:'), silentLogger, { insights: store });
    await seed(store, new Date());
    browser = await launchBrowser();
  });

  afterEach(() => {
    // Nothing outside this machine, no script errors, no policy violations.
    expect(browser.blocked).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
  });

  it.each([
    ['ja', 'ja-JP'],
    ['en', 'en-US'],
  ] as const)('When the dashboard is opened with ?lang=%s, Then its charts are drawn, its tiles show the seeded figures and its tables the same', async (language, locale) => {
    const texts = INSIGHTS_TEXTS[language];
    const period = defaultPeriod();
    const expected = await figures(period);
    expect([expected.sessions, expected.previous.sessions]).toEqual([36, 20]);

    const page = await browser.newPage();
    await page.setViewportSize({ width: 1320, height: 900 });
    await page.goto(`${server.url}/insights?lang=${language}`);
    await waitUntilDrawn(page, period);
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await page.title()).toBe(texts.title);

    // Two charts for the period and one per error, each a Chart.js chart with something painted.
    expect(await charts(page)).toEqual({ canvases: 2 + ERROR_IDS.length, charts: 2 + ERROR_IDS.length, painted: 2 + ERROR_IDS.length });
    await expectTilesToShow(page, expected, locale);
    expect((await tile(page, 'sessions')).change).toContain('+16');

    // Per error: the causes in the article's order, titled in the page's language, with the core's counts.
    const error = expected.errors.find((entry) => entry.category === 'agent-unreachable')!;
    const causes = causesInArticleOrder('agent-unreachable');
    const rows = page.locator('#error-agent-unreachable tbody tr');
    expect(await rows.count()).toBe(causes.length);
    const first = (await rows.first().locator('th, td').allTextContents()).map((cell) => cell.trim());
    const funnel = error.funnel[causes[0]!]!;
    expect(first).toEqual([`1. ${defaultLibrary()[language].cause(defaultLibrary()[language].error('agent-unreachable').causes[0]!).title}`, String(funnel.shown), String(funnel.fixed), String(funnel.wentOn), String(error.dropOff[causes[0]!] ?? 0)]);
    expect(await page.locator('#error-heading-agent-unreachable').textContent()).toBe(defaultLibrary()[language].error('agent-unreachable').title);

    // The days' table has every day of the period; the segments have their rows.
    expect(await page.locator('#table-days tbody tr').count()).toBe(30);
    expect(await page.locator('#table-language tbody tr').count()).toBe(2);
    expect(await page.locator('#table-channel tbody tr').count()).toBe(2);

    // Unrecognised texts are text: the markup in one shows as it was typed and nothing runs.
    const textCells = page.locator('#table-unrecognised tbody th');
    expect(await textCells.allTextContents()).toEqual([HOSTILE_TEXT, 'how do I restore a single file?']);
    expect(await page.locator('#table-unrecognised img').count()).toBe(0);
    expect(await page.locator('body').getAttribute('data-owned')).toBeNull();

    // Nothing wider than the window (no sideways scrolling at 1320 px).
    const overflow = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('body *')).filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((node) => node.tagName + '#' + node.id + '.' + node.className + ' ' + Math.round(node.getBoundingClientRect().right)).slice(0, 10)`);
    expect(overflow).toEqual([]);
    await fullScreenshot(page, `insights-${language}`);
    await expectNoSeriousViolations(page, `/insights?lang=${language}`);
    await page.close();
  });

  it('When a preset, then a period and an abandon time are chosen, Then the figures reload for them and the address and CSV link follow', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/insights?lang=en`);
    await waitUntilDrawn(page, defaultPeriod());

    const today = dayOf(new Date());
    const lastWeek = { since: dayOf(new Date(Date.now() - 6 * DAY)), until: today };
    await page.getByRole('button', { name: INSIGHTS_TEXTS.en.period.lastDays.replace('{days}', '7') }).click();
    await waitUntilDrawn(page, lastWeek);
    await expectTilesToShow(page, await figures(lastWeek), 'en-US');
    expect(await page.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#table-days tbody tr').count()).toBe(7);

    const before = previousPeriod(defaultPeriod());
    await page.getByLabel(INSIGHTS_TEXTS.en.period.since, { exact: true }).fill(before.since);
    await page.getByLabel(INSIGHTS_TEXTS.en.period.until, { exact: true }).fill(before.until);
    await page.getByLabel(INSIGHTS_TEXTS.en.period.abandonAfter, { exact: true }).fill('90');
    await page.getByRole('button', { name: INSIGHTS_TEXTS.en.period.apply, exact: true }).click();
    await waitUntilDrawn(page, before, 90);
    await expectTilesToShow(page, await figures(before, 90), 'en-US');
    expect(new URL(page.url()).search).toBe(`?lang=en&${readyQuery(before, 90)}`);
    expect(await page.locator('.top__language').getAttribute('href')).toBe(`/insights?lang=ja&${readyQuery(before, 90)}`);
    expect(await page.locator('#csv-link').getAttribute('href')).toBe(`/insights/sessions.csv?${readyQuery(before, 90)}`);
    await page.close();
  });

  it('When only the keyboard is used, Then Tab reaches the skip link, the period\'s fields, the presets and the export in order, and Enter picks a preset', async () => {
    const texts = INSIGHTS_TEXTS.en;
    const page = await browser.newPage();
    await page.goto(`${server.url}/insights?lang=en`);
    await waitUntilDrawn(page, defaultPeriod());
    const focused: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate<string>(`(() => { const node = document.activeElement; return node.id || node.getAttribute('href') || node.textContent.trim(); })()`));
    }
    // (A date input takes several Tab stops, one per part of the date: only the first stop of each field is compared.)
    const stops = focused.filter((stop, index) => stop !== focused[index - 1]);
    const presets = [7, 30, 90].map((days) => texts.period.lastDays.replace('{days}', String(days)));
    expect(stops.slice(0, 10)).toEqual(['#main', `/insights?lang=ja&${readyQuery(defaultPeriod())}`, 'since', 'until', 'abandon-after', texts.period.apply, ...presets, 'csv-link']);
    await page.getByRole('button', { name: presets[0] }).focus();
    await page.keyboard.press('Enter');
    await waitUntilDrawn(page, { since: dayOf(new Date(Date.now() - 6 * DAY)), until: dayOf(new Date()) });
    await page.close();
  });

  it('When the period is wrong, Then the page says which field, in its language, without asking the server, and keeps the figures it had', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/insights?lang=ja`);
    await waitUntilDrawn(page, defaultPeriod());
    const asked: string[] = [];
    page.on('request', (request) => asked.push(request.url()));
    const since = page.getByLabel(INSIGHTS_TEXTS.ja.period.since, { exact: true });
    await since.fill('2026-12-20');
    await page.getByLabel(INSIGHTS_TEXTS.ja.period.until, { exact: true }).fill('2026-12-01');
    await page.getByRole('button', { name: INSIGHTS_TEXTS.ja.period.apply, exact: true }).click();
    await page.getByText(INSIGHTS_TEXTS.ja.status.invalid.since).waitFor();
    expect(await since.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('since');

    await since.fill('2026-11-20');
    await page.getByLabel(INSIGHTS_TEXTS.ja.period.abandonAfter, { exact: true }).fill('0');
    await page.getByRole('button', { name: INSIGHTS_TEXTS.ja.period.apply, exact: true }).click();
    await page.getByText(INSIGHTS_TEXTS.ja.status.invalid.abandonAfter).waitFor();
    expect(await since.getAttribute('aria-invalid')).toBeNull();
    expect(asked).toEqual([]);
    expect(await page.locator('.tile').count()).toBe(7);
    await page.close();
  });

  it('When a period holds no sessions, Then the page draws zeros and says "none", with no error', async () => {
    const empty = { since: '2020-01-01', until: '2020-01-07' };
    const page = await browser.newPage();
    await page.goto(`${server.url}/insights?lang=en&${readyQuery(empty)}`);
    await waitUntilDrawn(page, empty);
    expect(await charts(page)).toMatchObject({ canvases: 2 + ERROR_IDS.length, charts: 2 + ERROR_IDS.length });
    for (const key of ['sessions', 'engagement', 'resolution', 'escalation', 'abandon', 'unrecognised']) expect([key, (await tile(page, key)).value]).toEqual([key, 0]);
    expect(await page.locator('#table-unrecognised tbody').textContent()).toBe(INSIGHTS_TEXTS.en.unrecognised.none);
    expect(await page.locator('#table-os tbody').textContent()).toBe(INSIGHTS_TEXTS.en.segments.none);
    expect(await page.locator('#table-days tbody tr').count()).toBe(7);
    expect(await page.locator('#status').textContent()).toBe('Showing the figures of 2020-01-01 to 2020-01-07.');
    await page.close();
  });

  it('When the CSV link is followed, Then the period\'s sessions download, one row each', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/insights?lang=en`);
    const period = defaultPeriod();
    await waitUntilDrawn(page, period);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-link').click()]);
    expect(download.suggestedFilename()).toBe(`insights-${period.since}-${period.until}.csv`);
    const csv = readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n');
    expect(csv[0]!.startsWith('sessionId,startedAt,')).toBe(true);
    expect(csv).toHaveLength(1 + 36);
    await page.close();
  });

  describe('with auth on and INSIGHTS_TOKEN', () => {
    let secured: RunningServer;
    beforeAll(async () => {
      const env = { PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', INSIGHTS_TOKEN: TOKEN, ...RETENTION };
      secured = await startServer(loadConfig(env), new SqliteStorage(':memory:'), silentLogger, { insights: store });
    });
    afterAll(() => secured?.close());

    it('When a browser opens the dashboard, Then it is sent to the sign-in form, a wrong token is refused, and the right one opens the dashboard with an HttpOnly cookie', async () => {
      const texts = INSIGHTS_TEXTS.ja;
      const page = await browser.newPage();
      await page.goto(`${secured.url}/insights?lang=ja`);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/insights/sign-in?lang=ja');
      await expectNoSeriousViolations(page, '/insights/sign-in?lang=ja');

      await page.getByLabel(texts.signIn.token, { exact: true }).fill('not-the-token-at-all-0000000');
      await page.getByRole('button', { name: texts.signIn.submit }).click();
      await page.getByRole('alert').filter({ hasText: texts.signIn.wrong }).waitFor();
      expect(await browser.context.cookies(`${secured.url}/insights/`)).toEqual([]);
      await fullScreenshot(page, 'insights-sign-in-ja');
      // The refused form comes back with 401, which Chromium reports on the console; that one is expected.
      browser.problems.splice(0, browser.problems.length, ...browser.problems.filter((problem) => !/status of 401/.test(problem)));

      await page.getByLabel(texts.signIn.token, { exact: true }).fill(TOKEN);
      await page.getByRole('button', { name: texts.signIn.submit }).click();
      await waitUntilDrawn(page, defaultPeriod());
      expect(await charts(page)).toMatchObject({ charts: 2 + ERROR_IDS.length });
      expect((await tile(page, 'sessions')).value).toBe(36);
      const cookies = await browser.context.cookies(`${secured.url}/insights/`);
      expect(cookies.map(({ name, path, httpOnly, sameSite, secure }) => ({ name, path, httpOnly, sameSite, secure }))).toEqual([
        { name: 'insights_session', path: '/insights', httpOnly: true, sameSite: 'Strict', secure: false },
      ]);
      expect(cookies[0]!.value).not.toContain(TOKEN);
      await browser.context.clearCookies();
      await page.close();
    });
  });

  it('When axe checks the chat page, Then it finds nothing serious or critical', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?locale=ja-JP`);
    await page.locator('[data-id="webchat-sendbox-input"]').waitFor({ timeout: 15_000 });
    await page.locator('.webchat__basic-transcript__activity').first().waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(page, '/ (ja)');
    await page.goto(`${server.url}/?locale=en-US`);
    await page.locator('.webchat__basic-transcript__activity').first().waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(page, '/ (en)');
    await page.close();
  });
});
