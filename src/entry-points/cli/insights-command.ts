/**
 * `backup-troubleshooter insights`: the helpdesk's figures from the configured
 * store (DATA_DIR/bot.sqlite, or Azure Table storage with STORAGE=azure-blob):
 * totals and rates, per error, per guest OS, language and channel, per day, and
 * the top unrecognised texts. `--json` prints the object GET /insights/data.json
 * serves; `--csv` prints the sessions, one row each.
 */
import { loadConfig } from '../../config';
import { createStorage } from '../../data-access/create-storage';
import { causesInArticleOrder } from '../../domain/insights/article-order';
import { defaultPeriod, periodBounds, type Insights, type Period } from '../../domain/insights/figures';
import { readInsights } from '../../domain/insights/read-insights';
import { sessionsCsv } from '../../domain/insights/sessions-csv';

export interface InsightsOptions {
  since?: string;
  until?: string;
  abandonAfter?: string;
  format: 'person' | 'json' | 'csv';
}

export const DEFAULT_ABANDON_AFTER_MINUTES = 30;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period asked for, or a message naming the option that is wrong. */
export function periodOf(since: string | undefined, until: string | undefined, now: Date = new Date()): Period | string {
  for (const [name, value] of [['--since', since], ['--until', until]] as const) {
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) return `${name} must be a date such as 2026-12-01`;
  }
  const fallback = defaultPeriod(now);
  const period = { since: since ?? (until ? until : fallback.since), until: until ?? fallback.until };
  if (period.since > period.until) return '--since must not be after --until';
  return period;
}

export function abandonAfterOf(value: string | undefined): number | string {
  if (value === undefined) return DEFAULT_ABANDON_AFTER_MINUTES;
  return /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : '--abandon-after must be a number of minutes (1 or more)';
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatInsights(insights: Insights): string {
  const lines = [
    `Insights ${insights.period.since} … ${insights.period.until}`,
    '',
    `sessions      ${insights.sessions}`,
    `engaged       ${insights.engaged}   (engagement ${percent(insights.rates.engagement)})`,
    `resolved      ${insights.resolved}   (resolution ${percent(insights.rates.resolution)} of engaged)`,
    `escalated     ${insights.escalated}   (escalation ${percent(insights.rates.escalation)} of engaged)`,
    `abandoned     ${insights.abandoned}   (abandon ${percent(insights.rates.abandon)} of engaged)`,
    `unrecognised  ${insights.unrecognised}`,
    '',
    'per error: sessions / resolved / escalated / abandoned; fixed by and stopped at, cause by cause',
  ];
  for (const error of insights.errors) {
    lines.push(`  ${error.category}: ${error.sessions} / ${error.resolved} / ${error.escalated} / ${error.abandoned}`);
    for (const [causeId, funnel] of Object.entries(error.funnel)) {
      lines.push(`    ${causeId}: shown ${funnel.shown}, fixed ${error.fixedBy[causeId] ?? 0}, went on ${funnel.wentOn}, stopped ${error.dropOff[causeId] ?? 0}`);
    }
  }
  for (const [title, breakdown] of [['guest OS', insights.byOs], ['language', insights.byLanguage], ['channel', insights.byChannel]] as const) {
    lines.push('', `per ${title}: sessions / engaged / resolved / escalated / abandoned`);
    for (const [key, figures] of Object.entries(breakdown)) lines.push(`  ${key}: ${figures.sessions} / ${figures.engaged} / ${figures.resolved} / ${figures.escalated} / ${figures.abandoned}`);
  }
  lines.push('', 'per day: sessions / resolved / escalated / abandoned');
  for (const day of insights.days) if (day.sessions > 0) lines.push(`  ${day.date}: ${day.sessions} / ${day.resolved} / ${day.escalated} / ${day.abandoned}`);
  lines.push('', 'top unrecognised texts (count, last seen)');
  for (const text of insights.unrecognisedTexts) lines.push(`  ${String(text.count).padStart(4)}  ${text.lastSeen.slice(0, 16)}  ${JSON.stringify(text.text)}`);
  return `${lines.join('\n')}\n`;
}

/** Prints the figures; returns a usage message instead when an option is wrong. */
export async function runInsights(options: InsightsOptions, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const period = periodOf(options.since, options.until);
  if (typeof period === 'string') return period;
  const abandonAfterMinutes = abandonAfterOf(options.abandonAfter);
  if (typeof abandonAfterMinutes === 'string') return abandonAfterMinutes;
  const store = createStorage(loadConfig(env));
  try {
    if (options.format === 'csv') {
      const { since, until } = periodBounds(period);
      process.stdout.write(sessionsCsv(await store.insights.sessionsStartedBetween(since, until), new Date(), abandonAfterMinutes));
      return undefined;
    }
    const insights = await readInsights(store.insights, { period, abandonAfterMinutes, causesOf: causesInArticleOrder });
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(insights)}\n` : formatInsights(insights));
    return undefined;
  } finally {
    await store.close();
  }
}
