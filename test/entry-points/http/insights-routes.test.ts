/**
 * The insights routes over HTTP on the real server (port 0, loopback), with
 * sessions seeded into a SQLite insights store: the figures and the export are
 * what the core computes, wrong parameters are named, and only the right
 * callers get in (auth off: this machine; auth on: the token, as a bearer or
 * through the sign-in form's cookie; no token: nothing there at all).
 */
import { loadConfig } from '../../../src/config';
import { SqliteInsightsStore } from '../../../src/data-access/sqlite-insights-store';
import { SqliteStorage } from '../../../src/data-access/sqlite-storage';
import { causesInArticleOrder } from '../../../src/domain/insights/article-order';
import { defaultPeriod } from '../../../src/domain/insights/figures';
import { readInsights } from '../../../src/domain/insights/read-insights';
import { abandoned, causeAnswered, causeShown, engaged, escalated, recognised, startSession, unrecognised, type SessionRecord } from '../../../src/domain/insights/session';
import type { ErrorId, Language } from '../../../src/domain/knowledge/schema';
import { insightsAccess, isLocalCaller, judge } from '../../../src/entry-points/http/insights/access';
import type { DashboardSettings } from '../../../src/entry-points/http/insights/page';
import { parseInsightsParameters } from '../../../src/domain/insights/query-parameters';
import { SESSION_MAX_AGE_SECONDS, isValidSessionCookie, sessionCookieValue } from '../../../src/entry-points/http/insights/session-cookie';
import { INSIGHTS_TEXTS } from '../../../src/entry-points/http/insights/texts';
import { startServer, type RunningServer } from '../../../src/entry-points/http/server';
import type { Logger } from '../../../src/logger';

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const TOKEN = 'insights-token-0123456789-abcdefghij';
const MINUTE = 60_000;
const DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Seeded sessions

let seq = 0;
function walked(start: Date, category: ErrorId, answers: ('fixed' | 'still-failing')[], options: { language?: Language; channel?: string; os?: 'windows' | 'linux' } = {}): SessionRecord {
  seq += 1;
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
  let session = startSession({ id: `seed-${seq}`, via: 'text', language: options.language ?? 'en', channel: options.channel ?? 'webchat' }, start);
  session = engaged(recognised(session, category, 'code', at(1)), options.os ?? 'windows', at(2));
  const causes = causesInArticleOrder(category);
  answers.forEach((answer, index) => {
    session = causeAnswered(causeShown(session, causes[index]!, at(3 + index)), causes[index]!, answer, at(4 + index));
  });
  return session;
}

/** Five sessions in the default period (one idle 45 minutes), one in the period before, one unrecognised text. */
async function seed(store: SqliteInsightsStore, now: Date): Promise<SessionRecord[]> {
  const ago = (days: number, minutes = 0) => new Date(now.getTime() - days * DAY - minutes * MINUTE);
  const idleStart = ago(0, 50);
  const idle = causeShown(engaged(recognised(startSession({ id: 'seed-idle', via: 'text', language: 'en', channel: 'webchat' }, idleStart), 'no-network', 'message', idleStart), 'linux', idleStart), 'no-internet', ago(0, 45));
  const sessions = [
    walked(ago(2), 'agent-unreachable', ['still-failing', 'fixed']),
    escalated(walked(ago(3), 'agent-unresponsive', ['still-failing'], { language: 'ja', channel: 'msteams', os: 'linux' }), ago(3, -10)),
    abandoned(walked(ago(5), 'internal-error', []), ago(5, -10)),
    unrecognised(startSession({ id: 'seed-unrecognised', via: 'text', language: 'ja', channel: 'webchat' }, ago(1)), ago(1)),
    idle,
    walked(ago(40), 'no-network', ['fixed']),
  ];
  await store.saveSessions(sessions);
  await store.countText({ key: 'restore', text: 'how do I restore a file', at: ago(1).toISOString() });
  return sessions;
}

// ---------------------------------------------------------------------------
// HTTP helpers

interface Started {
  running: RunningServer;
  store: SqliteInsightsStore;
  lines: string[];
}

async function start(env: Record<string, string>): Promise<Started> {
  const store = new SqliteInsightsStore(':memory:');
  const lines: string[] = [];
  const logger: Logger = { log: (level, event, fields = {}) => lines.push(JSON.stringify({ level, event, ...fields })) };
  const running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', ...env }), new SqliteStorage(':memory:'), logger, { insights: store });
  // After start: the retention sweep runs when the server starts.
  await seed(store, new Date());
  return { running, store, lines };
}

async function stop(started: Started | undefined): Promise<void> {
  await started?.running.close();
  started?.store.close();
}

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { headers, redirect: 'manual' });
}

function postForm(base: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/insights/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

function settingsOf(html: string): DashboardSettings {
  const encoded = /<body data-insights="([^"]*)">/.exec(html)?.[1];
  if (encoded === undefined) throw new Error('the page has no data-insights');
  const decoded = encoded.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  return JSON.parse(decoded) as DashboardSettings;
}

const ROUTES = ['/insights', '/insights/data.json', '/insights/sessions.csv', '/insights/sign-in', '/insights/dashboard.js', '/insights/dashboard.css', '/insights/chart.umd.js'];

// ---------------------------------------------------------------------------

describe('the insights routes with auth off (local use)', () => {
  let started: Started;
  let base: string;
  beforeAll(async () => {
    started = await start({});
    base = started.running.url;
  });
  afterAll(() => stop(started));

  it('When data.json is asked without parameters, Then it is readInsights of the last 30 days with 30 minutes, not cached', async () => {
    const response = await get(base, '/insights/data.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body: unknown = await response.json();
    const expected = await readInsights(started.store, { period: defaultPeriod(), abandonAfterMinutes: 30, causesOf: causesInArticleOrder });
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected).toMatchObject({ sessions: 5, engaged: 4, resolved: 1, escalated: 1, abandoned: 2, unrecognised: 1 });
    expect(expected.previous).toMatchObject({ sessions: 1, resolved: 1 });
    expect(expected.unrecognisedTexts).toEqual([expect.objectContaining({ text: 'how do I restore a file', count: 1 })]);
  });

  it('When a period and an abandon time are given, Then data.json computes them (the idle session is open at 60 minutes)', async () => {
    const period = defaultPeriod();
    const response = await get(base, `/insights/data.json?since=${period.since}&until=${period.until}&abandonAfter=60`);
    const body = (await response.json()) as { abandoned: number };
    const expected = await readInsights(started.store, { period, abandonAfterMinutes: 60, causesOf: causesInArticleOrder });
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.abandoned).toBe(1);
  });

  it('When a period holds no sessions, Then data.json answers zeros for every day, not an error', async () => {
    const response = await get(base, '/insights/data.json?since=2020-01-01&until=2020-01-07');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sessions: number; rates: Record<string, number>; days: { sessions: number }[]; errors: { sessions: number }[] };
    expect(body.sessions).toBe(0);
    expect(body.rates).toEqual({ engagement: 0, resolution: 0, confirmedResolution: 0, escalation: 0, abandon: 0 });
    expect(body.days).toHaveLength(7);
    expect(body.days.every((day) => day.sessions === 0)).toBe(true);
    expect(body.errors.every((error) => error.sessions === 0)).toBe(true);
  });

  it('When the sessions are exported, Then the CSV has its header and one row per session of the period, as an attachment', async () => {
    const period = defaultPeriod();
    const response = await get(base, `/insights/sessions.csv?since=${period.since}&until=${period.until}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="insights-${period.since}-${period.until}.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('sessionId,startedAt,lastAt,language,channel,via,category,how,os,engaged,unrecognised,outcome,causesShown,fixedBy');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(['seed-1', 'seed-2', 'seed-3', 'seed-idle', 'seed-unrecognised']);
    expect(lines.find((line) => line.startsWith('seed-idle'))).toContain(',abandoned,');
    const open = await (await get(base, `/insights/sessions.csv?since=${period.since}&until=${period.until}&abandonAfter=60`)).text();
    expect(open.split('\r\n').find((line) => line.startsWith('seed-idle'))).toContain(',open,');
  });

  it.each([
    ['since=2026-13-01', 'since'],
    ['since=2026-02-30', 'since'],
    ['since=yesterday', 'since'],
    ['until=2026-1-5', 'until'],
    ['since=2026-12-08&until=2026-12-07', 'since'],
    ['since=2025-01-01&until=2026-01-02', 'since'],
    ['abandonAfter=0', 'abandonAfter'],
    ['abandonAfter=abc', 'abandonAfter'],
    ['abandonAfter=99999', 'abandonAfter'],
    ['abandonAfter=1.5', 'abandonAfter'],
  ])('When the query is %s, Then data.json and the CSV answer 400 naming %s', async (query, parameter) => {
    for (const route of ['/insights/data.json', '/insights/sessions.csv']) {
      const response = await get(base, `${route}?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; parameter: string; message: string } };
      expect(body.error).toEqual({ code: 'InvalidParameter', parameter, message: expect.stringContaining(parameter) });
    }
  });

  it('When a period of exactly 366 days is asked, Then it is accepted', async () => {
    expect((await get(base, '/insights/data.json?since=2024-01-01&until=2024-12-31')).status).toBe(200);
  });

  it('When the page is opened with ?lang=ja, Then it is Japanese, under a policy with no inline script, in no frame', async () => {
    const response = await get(base, '/insights?lang=ja', { 'accept-language': 'en' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain(`<h1 class="top__title">${INSIGHTS_TEXTS.ja.title}</h1>`);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // No inline script: every script element has a src on this server.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    expect(scripts).toEqual([expect.stringMatching(/^ src="\/insights\/chart\.umd\.js\?v=\w+" defer$/), expect.stringMatching(/^ src="\/insights\/dashboard\.js\?v=\w+" defer$/)]);
    expect(html).not.toMatch(/\sstyle="/);
    const settings = settingsOf(html);
    expect(settings.texts).toEqual(INSIGHTS_TEXTS.ja);
    expect(settings.titles.causes['no-internet']).toBe('VM からインターネットに接続できない');
    expect(settings.initial).toEqual({ period: defaultPeriod(), abandonAfterMinutes: 30 });
  });

  it('When no lang is given, Then Accept-Language decides, and English is the default', async () => {
    expect(await (await get(base, '/insights', { 'accept-language': 'fr-FR, ja;q=0.8, en;q=0.5' })).text()).toContain('<html lang="ja">');
    expect(await (await get(base, '/insights', { 'accept-language': 'fr-FR' })).text()).toContain('<html lang="en">');
    expect(await (await get(base, '/insights?lang=en', { 'accept-language': 'ja' })).text()).toContain('<html lang="en">');
  });

  it('When the page is opened with a period, Then the form starts with it; a wrong one falls back to the defaults, escaped', async () => {
    const html = await (await get(base, '/insights?lang=en&since=2026-11-01&until=2026-11-07&abandonAfter=45')).text();
    expect(settingsOf(html).initial).toEqual({ period: { since: '2026-11-01', until: '2026-11-07' }, abandonAfterMinutes: 45 });
    expect(html).toContain('href="/insights/sessions.csv?since=2026-11-01&#38;until=2026-11-07&#38;abandonAfter=45"');
    const wrong = await (await get(base, `/insights?since=${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(wrong).not.toContain('<script>alert');
    expect(settingsOf(wrong).initial.period).toEqual(defaultPeriod());
  });

  it('When the page\'s files are asked, Then the script, the style and Chart.js come from this server with their types', async () => {
    const types: Record<string, RegExp> = {
      '/insights/dashboard.js': /^application\/javascript/,
      '/insights/dashboard.css': /^text\/css/,
      '/insights/chart.umd.js': /^application\/javascript/,
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await get(base, path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(type);
    }
    expect(await (await get(base, '/insights/chart.umd.js')).text()).toContain('window.Chart=');
  });

  it('When the sign-in form is asked with auth off, Then it is not there (no token to sign in with)', async () => {
    expect((await get(base, '/insights/sign-in')).status).toBe(404);
    expect((await postForm(base, { token: TOKEN })).status).toBe(404);
  });
});

describe('who may see the insights when auth is off', () => {
  const local = insightsAccess({ auth: undefined, insights: { retentionDays: 30, keepTexts: true } });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('When a request comes from %s, Then it is allowed', (address) => {
    expect(judge(local, { remoteAddress: address, headers: {} })).toBe('allowed');
  });

  it.each(['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', undefined])('When a request comes from %s, Then the dashboard is hidden (404)', (address) => {
    expect(judge(local, { remoteAddress: address, headers: {} })).toBe('hidden');
  });

  it('When a loopback request carries proxy headers, Then it came from elsewhere through a proxy and is hidden', () => {
    expect(isLocalCaller({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } })).toBe(false);
    expect(judge(local, { remoteAddress: '127.0.0.1', headers: { forwarded: 'for=203.0.113.9' } })).toBe('hidden');
  });
});

describe('the insights routes with auth on and no INSIGHTS_TOKEN', () => {
  let started: Started;
  beforeAll(async () => {
    started = await start({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' });
  });
  afterAll(() => stop(started));

  it('When any insights route is asked, even with a bearer, Then it answers 404 as if it did not exist', async () => {
    for (const path of ROUTES) {
      expect([path, (await get(started.running.url, path)).status]).toEqual([path, 404]);
      expect([path, (await get(started.running.url, path, { authorization: `Bearer ${TOKEN}` })).status]).toEqual([path, 404]);
    }
    expect((await postForm(started.running.url, { token: TOKEN })).status).toBe(404);
  });

  it('When the hidden dashboard is asked, Then the answer is the one restify gives for a route it does not have', async () => {
    const hidden = await get(started.running.url, '/insights/data.json');
    const absent = await get(started.running.url, '/insights/no-such-route');
    expect(await hidden.json()).toEqual({ code: 'ResourceNotFound', message: '/insights/data.json does not exist' });
    expect(await absent.json()).toEqual({ code: 'ResourceNotFound', message: '/insights/no-such-route does not exist' });
    expect(hidden.headers.get('content-type')).toBe(absent.headers.get('content-type'));
  });
});

describe('the insights routes with auth on and INSIGHTS_TOKEN', () => {
  let started: Started;
  let base: string;
  beforeAll(async () => {
    started = await start({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', INSIGHTS_TOKEN: TOKEN });
    base = started.running.url;
  });
  afterAll(() => stop(started));

  it('When a browser opens the page without credentials, Then it is sent to the sign-in form (303), in its language', async () => {
    const response = await get(base, '/insights?lang=ja');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/insights/sign-in?lang=ja');
  });

  it('When data, the export or the script are asked without credentials, Then 401 with a JSON error; the stylesheet is public', async () => {
    for (const path of ['/insights/data.json', '/insights/sessions.csv', '/insights/dashboard.js', '/insights/chart.umd.js']) {
      const response = await get(base, path);
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="insights"');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    }
    expect((await get(base, '/insights/dashboard.css')).status).toBe(200);
  });

  it('When the bearer token is wrong, Then 401; when it is right, Then the page, the figures and the export answer 200', async () => {
    expect((await get(base, '/insights/data.json', { authorization: 'Bearer not-the-token-at-all-0000000' })).status).toBe(401);
    expect((await get(base, '/insights/data.json', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await get(base, '/insights', { authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(401);
    const right = { authorization: `Bearer ${TOKEN}` };
    const data = await get(base, '/insights/data.json', right);
    expect(data.status).toBe(200);
    expect(((await data.json()) as { sessions: number }).sessions).toBe(5);
    expect((await get(base, '/insights/sessions.csv', right)).status).toBe(200);
    expect((await get(base, '/insights', right)).status).toBe(200);
  });

  it('When the sign-in form is opened, Then it is a bilingual form posting to itself, under the same policy', async () => {
    const response = await get(base, '/insights/sign-in?lang=ja');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('<form class="sign-in__form" action="/insights/sign-in" method="post">');
    expect(html).toContain(`<label for="token">${INSIGHTS_TEXTS.ja.signIn.token}</label>`);
    expect(html).not.toContain('<script');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await (await get(base, '/insights/sign-in', { 'accept-language': 'en-GB' })).text()).toContain('<html lang="en">');
  });

  it('When the right token is posted, Then an HttpOnly SameSite=Strict cookie for /insights is set (not Secure on loopback http) and it opens the dashboard', async () => {
    const response = await postForm(base, { token: TOKEN, lang: 'en' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/insights?lang=en');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^insights_session=v1\.\d+\.[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/insights');
    expect(setCookie).toContain(`Max-Age=${SESSION_MAX_AGE_SECONDS}`);
    expect(setCookie).not.toContain('Secure');
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    expect((await get(base, '/insights', { cookie })).status).toBe(200);
    expect((await get(base, '/insights/data.json', { cookie })).status).toBe(200);
    expect((await get(base, '/insights/sessions.csv', { cookie: `other=1; ${cookie}` })).status).toBe(200);
    expect((await get(base, '/insights/dashboard.js', { cookie })).status).toBe(200);
    // Tampered: one character of the MAC changed.
    const tampered = cookie.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect((await get(base, '/insights', { cookie: tampered })).status).toBe(303);
    expect((await get(base, '/insights/data.json', { cookie: tampered })).status).toBe(401);
  });

  it('When a proxy says the request came from elsewhere, Then the cookie is Secure', async () => {
    const response = await postForm(base, { token: TOKEN }, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' });
    expect(response.headers.get('set-cookie')).toContain('; Secure');
  });

  it('When a wrong token is posted, Then 401 and the form again with the error, and no cookie', async () => {
    const response = await postForm(base, { token: 'not-the-token-at-all-0000000', lang: 'ja' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(html).toContain(`<p class="error" role="alert">${INSIGHTS_TEXTS.ja.signIn.wrong}</p>`);
    expect((await postForm(base, {})).status).toBe(401);
  });

  it('When the sign-in is posted as JSON, Then it is refused (415): only the form is taken', async () => {
    const response = await fetch(`${base}/insights/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }), redirect: 'manual' });
    expect(response.status).toBe(415);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('When people sign in and fail, Then the log says so without the token or the cookie', async () => {
    const response = await postForm(base, { token: TOKEN });
    const cookieValue = response.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
    await get(base, '/insights/data.json', { authorization: `Bearer ${TOKEN}-wrong` });
    const log = started.lines.join('\n');
    expect(log).toContain('"event":"insights-sign-in"');
    expect(log).toContain('"event":"insights-refused"');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(cookieValue);
  });
});

describe('the session cookie', () => {
  const now = new Date('2026-12-07T09:00:00Z');

  it('When a cookie is made, Then it is valid for eight hours with the same token only', () => {
    const value = sessionCookieValue(TOKEN, now);
    expect(isValidSessionCookie(TOKEN, value, now)).toBe(true);
    expect(isValidSessionCookie(TOKEN, value, new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000 - 1000))).toBe(true);
    expect(isValidSessionCookie(TOKEN, value, new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000))).toBe(false);
    expect(isValidSessionCookie(`${TOKEN}-rotated`, value, now)).toBe(false);
  });

  it('When the expiry is moved later by hand, Then the MAC no longer fits', () => {
    const [version, expiry, mac] = sessionCookieValue(TOKEN, now).split('.');
    expect(isValidSessionCookie(TOKEN, `${version}.${Number(expiry) + 60}.${mac}`, now)).toBe(false);
    expect(isValidSessionCookie(TOKEN, 'garbage', now)).toBe(false);
  });
});

describe('the period parameters', () => {
  const now = new Date('2026-12-07T09:00:00Z');

  it('When only until is given, Then the period is the 30 days ending then; when nothing is, the 30 days ending today', () => {
    expect(parseInsightsParameters(new URLSearchParams('until=2026-11-30'), now)).toEqual({ ok: true, value: { period: { since: '2026-11-01', until: '2026-11-30' }, abandonAfterMinutes: 30 } });
    expect(parseInsightsParameters(new URLSearchParams(''), now)).toEqual({ ok: true, value: { period: { since: '2026-11-08', until: '2026-12-07' }, abandonAfterMinutes: 30 } });
  });

  it('When only since is given and it is after today, Then since is named', () => {
    expect(parseInsightsParameters(new URLSearchParams('since=2026-12-08'), now)).toMatchObject({ ok: false, problem: { parameter: 'since' } });
  });
});
