/**
 * The HTML of the insights dashboard and of its sign-in form, and their
 * Content-Security-Policy. The server writes the frame (headings, the period
 * form, table heads) in the page's language; public/insights/dashboard.js
 * fetches data.json and draws the tiles, charts and table rows. The script's
 * settings (texts, titles of errors and causes, the period) travel as JSON in
 * a data attribute, HTML-escaped: no inline script, nothing from another origin.
 */
import type { Language } from '../../../domain/knowledge/schema';
import { escapeHtml } from '../webchat/page';
import { parametersQuery, type InsightsParameters } from '../../../domain/insights/query-parameters';
import type { InsightsTexts } from './texts';

/** What dashboard.js reads from `<body data-insights>`. */
export interface DashboardSettings {
  language: Language;
  locale: 'ja-JP' | 'en-US';
  texts: InsightsTexts;
  /** Titles in the page's language, by id: the errors and causes of the article. */
  titles: { errors: Record<string, string>; causes: Record<string, string> };
  /** The routes, without a query: the script adds the period's. */
  dataUrl: string;
  csvUrl: string;
  initial: InsightsParameters;
  /** parameters.ts's limits, which the script checks before it asks. */
  limits: { maxPeriodDays: number; maxAbandonAfterMinutes: number };
}

export interface PageAssets {
  chartScript: string;
  pageScript: string;
  pageStyle: string;
  icon: string;
}

/** The same policy for both pages: scripts, styles, data and form posts from this server only; never in a frame. */
export function insightsPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const attr = escapeHtml;

function head(title: string, assets: PageAssets, scripts: boolean): string {
  return `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${attr(assets.icon)}" type="image/svg+xml">
<link rel="stylesheet" href="${attr(assets.pageStyle)}">
${scripts ? `<script src="${attr(assets.chartScript)}" defer></script>\n<script src="${attr(assets.pageScript)}" defer></script>\n` : ''}</head>`;
}

function otherLanguageLink(path: string, language: Language, texts: InsightsTexts): string {
  const other: Language = language === 'ja' ? 'en' : 'ja';
  return `<a class="top__language" href="${attr(`${path}?lang=${other}`)}" lang="${other}" hreflang="${other}">${escapeHtml(texts.otherLanguage)}</a>`;
}

/** The first column names the row; the others hold numbers, right-aligned like their figures. */
function tableHead(cells: readonly string[]): string {
  return `<thead><tr>${cells.map((cell, index) => `<th scope="col"${index > 0 ? ' class="number"' : ''}>${escapeHtml(cell)}</th>`).join('')}</tr></thead>`;
}

function segmentTable(id: string, caption: string, first: string, texts: InsightsTexts): string {
  const s = texts.segments;
  return `<div class="panel"><table id="${id}" class="table">
<caption>${escapeHtml(caption)}</caption>
${tableHead([first, s.sessions, s.engaged, s.resolved, s.escalated, s.abandoned])}
<tbody></tbody>
</table></div>`;
}

export function renderDashboard(settings: DashboardSettings, assets: PageAssets): string {
  const t = settings.texts;
  const { period, abandonAfterMinutes } = settings.initial;
  const presets = [7, 30, 90]
    .map((days) => `<button type="button" class="button" data-days="${days}">${escapeHtml(t.period.lastDays.replace('{days}', String(days)))}</button>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${settings.language}">
${head(t.title, assets, true)}
<body data-insights="${attr(JSON.stringify(settings))}">
<a class="skip-link" href="#main">${escapeHtml(t.skipToContent)}</a>
<header class="top">
<h1 class="top__title">${escapeHtml(t.title)}</h1>
${otherLanguageLink('/insights', settings.language, t)}
</header>
<main id="main" class="main" tabindex="-1">
<noscript><p class="notice">${escapeHtml(t.noScript)}</p></noscript>

<section class="panel controls" aria-labelledby="period-heading">
<h2 id="period-heading">${escapeHtml(t.period.heading)}</h2>
<form id="period-form" class="period" action="/insights" method="get" novalidate>
<input type="hidden" name="lang" value="${settings.language}">
<div class="field"><label for="since">${escapeHtml(t.period.since)}</label><input type="date" id="since" name="since" value="${attr(period.since)}" required></div>
<div class="field"><label for="until">${escapeHtml(t.period.until)}</label><input type="date" id="until" name="until" value="${attr(period.until)}" required></div>
<div class="field"><label for="abandon-after">${escapeHtml(t.period.abandonAfter)}</label><input type="number" id="abandon-after" name="abandonAfter" min="1" max="${settings.limits.maxAbandonAfterMinutes}" step="1" value="${abandonAfterMinutes}" aria-describedby="abandon-after-hint" required><span id="abandon-after-hint" class="hint">${escapeHtml(t.period.abandonAfterHint)}</span></div>
<button type="submit" class="button button--primary">${escapeHtml(t.period.apply)}</button>
</form>
<div class="presets" role="group" aria-label="${attr(t.period.presets)}">
${presets}
</div>
<p class="controls__footer"><a id="csv-link" class="download" href="${attr(`${settings.csvUrl}?${parametersQuery(settings.initial)}`)}" download>${escapeHtml(t.period.csv)}</a>
<span id="status" class="status" role="status" aria-live="polite"></span></p>
</section>

<section class="section" aria-labelledby="kpi-heading">
<h2 id="kpi-heading">${escapeHtml(t.kpi.heading)}</h2>
<p id="kpi-compared" class="hint"></p>
<ul id="kpis" class="tiles"></ul>
</section>

<div class="columns">
<section class="panel" aria-labelledby="days-heading">
<h2 id="days-heading">${escapeHtml(t.overTime.heading)}</h2>
<div class="chart chart--days"><canvas id="chart-days" role="img" aria-label="${attr(t.overTime.chartLabel)}">${escapeHtml(t.overTime.chartLabel)}</canvas></div>
<details class="as-table"><summary>${escapeHtml(t.overTime.showTable)}</summary>
<table id="table-days" class="table">
<caption>${escapeHtml(t.overTime.tableCaption)}</caption>
${tableHead([t.overTime.date, t.overTime.sessions, t.outcomes.resolved, t.outcomes.escalated, t.outcomes.abandoned])}
<tbody></tbody>
</table>
</details>
</section>

<section class="panel" aria-labelledby="breakdown-heading">
<h2 id="breakdown-heading">${escapeHtml(t.breakdown.heading)}</h2>
<div class="chart chart--doughnut"><canvas id="chart-breakdown" role="img" aria-label="${attr(t.breakdown.chartLabel)}">${escapeHtml(t.breakdown.chartLabel)}</canvas></div>
<table id="table-breakdown" class="table">
<caption>${escapeHtml(t.breakdown.tableCaption)}</caption>
${tableHead([t.breakdown.outcome, t.breakdown.count, t.breakdown.share])}
<tbody></tbody>
</table>
</section>
</div>

<section class="section" aria-labelledby="errors-heading">
<h2 id="errors-heading">${escapeHtml(t.errors.heading)}</h2>
<p class="hint">${escapeHtml(t.errors.intro)}</p>
<div id="errors" class="errors"></div>
</section>

<section class="section" aria-labelledby="segments-heading">
<h2 id="segments-heading">${escapeHtml(t.segments.heading)}</h2>
<div class="segments">
${segmentTable('table-os', t.segments.byOs, t.segments.os, t)}
${segmentTable('table-language', t.segments.byLanguage, t.segments.language, t)}
${segmentTable('table-channel', t.segments.byChannel, t.segments.channel, t)}
${segmentTable('table-entry', t.segments.byEntry, t.segments.entry, t)}
</div>
</section>

<section class="section" aria-labelledby="unrecognised-heading">
<h2 id="unrecognised-heading">${escapeHtml(t.unrecognised.heading)}</h2>
<p class="hint">${escapeHtml(t.unrecognised.intro)}</p>
<div class="panel"><table id="table-unrecognised" class="table table--texts">
<caption>${escapeHtml(t.unrecognised.caption)}</caption>
${tableHead([t.unrecognised.text, t.unrecognised.count, t.unrecognised.lastSeen])}
<tbody></tbody>
</table></div>
</section>
</main>
</body>
</html>
`;
}

export interface SignInView {
  language: Language;
  texts: InsightsTexts;
  /** The last attempt had the wrong token. */
  failed: boolean;
}

export function renderSignIn(view: SignInView, assets: PageAssets): string {
  const t = view.texts;
  return `<!DOCTYPE html>
<html lang="${view.language}">
${head(t.signIn.title, assets, false)}
<body>
<header class="top">
<p class="top__title">${escapeHtml(t.title)}</p>
${otherLanguageLink('/insights/sign-in', view.language, t)}
</header>
<main id="main" class="main sign-in">
<h1>${escapeHtml(t.signIn.title)}</h1>
<p>${escapeHtml(t.signIn.intro)}</p>
${view.failed ? `<p class="error" role="alert">${escapeHtml(t.signIn.wrong)}</p>\n` : ''}<form class="sign-in__form" action="/insights/sign-in" method="post">
<input type="hidden" name="lang" value="${view.language}">
<label for="token">${escapeHtml(t.signIn.token)}</label>
<input type="password" id="token" name="token" autocomplete="current-password" required spellcheck="false"${view.failed ? ' aria-invalid="true"' : ''}>
<button type="submit" class="button button--primary">${escapeHtml(t.signIn.submit)}</button>
</form>
</main>
</body>
</html>
`;
}
