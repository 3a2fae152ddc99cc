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
import { periodBounds, type Insights } from '../../domain/insights/figures';
import { parseInsightsParameters, type InsightsParameter } from '../../domain/insights/query-parameters';
import { readInsights } from '../../domain/insights/read-insights';
import { sessionsCsv } from '../../domain/insights/sessions-csv';

export interface InsightsOptions {
  since?: string;
  until?: string;
  abandonAfter?: string;
  format: 'person' | 'json' | 'csv';
}

/** The command's name for each parameter of the shared query (query-parameters.ts). */
const OPTION_NAMES: Record<InsightsParameter, string> = { since: '--since', until: '--until', abandonAfter: '--abandon-after' };

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
    `unrecognized  ${insights.unrecognised}`,
    '',
    'per error: sessions / resolved / escalated / abandoned; fixed by and stopped at, cause by cause',
  ];
  for (const error of insights.errors) {
    lines.push(`  ${error.category}: ${error.sessions} / ${error.resolved} / ${error.escalated} / ${error.abandoned}`);
    for (const [causeId, funnel] of Object.entries(error.funnel)) {
      lines.push(`    ${causeId}: shown ${funnel.shown}, fixed ${error.fixedBy[causeId] ?? 0}, went on ${funnel.wentOn}, stopped ${error.dropOff[causeId] ?? 0}`);
    }
  }
  for (const [title, breakdown] of [['guest OS', insights.byOs], ['language', insights.byLanguage], ['channel', insights.byChannel], ['way in', insights.byEntry]] as const) {
    lines.push('', `per ${title}: sessions / engaged / resolved / escalated / abandoned`);
    for (const [key, figures] of Object.entries(breakdown)) lines.push(`  ${key}: ${figures.sessions} / ${figures.engaged} / ${figures.resolved} / ${figures.escalated} / ${figures.abandoned}`);
  }
  lines.push('', 'per day: sessions / resolved / escalated / abandoned');
  for (const day of insights.days) if (day.sessions > 0) lines.push(`  ${day.date}: ${day.sessions} / ${day.resolved} / ${day.escalated} / ${day.abandoned}`);
  lines.push('', 'top unrecognized texts (count, last seen)');
  for (const text of insights.unrecognisedTexts) lines.push(`  ${String(text.count).padStart(4)}  ${text.lastSeen.slice(0, 16)}  ${JSON.stringify(text.text)}`);
  return `${lines.join('\n')}\n`;
}

/** Prints the figures; returns a usage message instead when an option is wrong. */
export async function runInsights(options: InsightsOptions, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const query = new URLSearchParams();
  if (options.since !== undefined) query.set('since', options.since);
  if (options.until !== undefined) query.set('until', options.until);
  if (options.abandonAfter !== undefined) query.set('abandonAfter', options.abandonAfter);
  const parsed = parseInsightsParameters(query);
  if (!parsed.ok) return `${OPTION_NAMES[parsed.problem.parameter]}: ${parsed.problem.message}`;
  const { period, abandonAfterMinutes } = parsed.value;
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
