/**
 * The query of the insights (the dashboard's data and export routes, and the
 * `insights` command's options):
 * `?since=YYYY-MM-DD&until=YYYY-MM-DD&abandonAfter=MINUTES`. Days are UTC and
 * both ends are included. Missing values take the defaults (the 30 days ending
 * today, 30 minutes); a value that is given but wrong is a problem that names
 * its parameter, never a silent default, so a script asking for the wrong
 * period hears about it.
 */
import { dayOf, dayStart, defaultPeriod, type Period } from './figures';

/** Copilot Studio's session time-out, the figures' usual abandon time. */
export const DEFAULT_ABANDON_AFTER_MINUTES = 30;
/** A week: beyond that, "abandoned" says little and every open session stays open. */
export const MAX_ABANDON_AFTER_MINUTES = 7 * 24 * 60;
/** At most a year (a leap year's) in one request: the figures are computed in memory. */
export const MAX_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;

export type InsightsParameter = 'since' | 'until' | 'abandonAfter';

export interface InsightsParameters {
  period: Period;
  abandonAfterMinutes: number;
}

export interface ParameterProblem {
  parameter: InsightsParameter;
  message: string;
}

export type ParsedParameters = { ok: true; value: InsightsParameters } | { ok: false; problem: ParameterProblem };

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const start = dayStart(value);
  return !Number.isNaN(start.getTime()) && dayOf(start) === value;
}

function addDays(day: string, days: number): string {
  return dayOf(new Date(dayStart(day).getTime() + days * DAY_MS));
}

function problem(parameter: InsightsParameter, message: string): ParsedParameters {
  return { ok: false, problem: { parameter, message } };
}

export function parseInsightsParameters(query: URLSearchParams, now: Date = new Date()): ParsedParameters {
  const since = query.get('since');
  const until = query.get('until');
  const abandonAfter = query.get('abandonAfter');

  if (since !== null && !isDay(since)) return problem('since', 'since must be a day written YYYY-MM-DD');
  if (until !== null && !isDay(until)) return problem('until', 'until must be a day written YYYY-MM-DD');
  const defaults = defaultPeriod(now);
  const last = until ?? defaults.until;
  const first = since ?? (until !== null ? addDays(until, -29) : defaults.since);
  if (first > last) return problem('since', `since (${first}) must not be after until (${last})`);
  const days = Math.round((dayStart(last).getTime() - dayStart(first).getTime()) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) return problem('since', `the period from since to until spans ${days} days; at most ${MAX_PERIOD_DAYS}`);

  let minutes = DEFAULT_ABANDON_AFTER_MINUTES;
  if (abandonAfter !== null) {
    minutes = /^\d{1,5}$/.test(abandonAfter) ? Number(abandonAfter) : Number.NaN;
    if (!(minutes >= 1 && minutes <= MAX_ABANDON_AFTER_MINUTES)) {
      return problem('abandonAfter', `abandonAfter must be a whole number of minutes from 1 to ${MAX_ABANDON_AFTER_MINUTES}`);
    }
  }
  return { ok: true, value: { period: { since: first, until: last }, abandonAfterMinutes: minutes } };
}

/** The same parameters written back as a query string (for links: the CSV export of the period shown). */
export function parametersQuery(parameters: InsightsParameters): string {
  return new URLSearchParams({ since: parameters.period.since, until: parameters.period.until, abandonAfter: String(parameters.abandonAfterMinutes) }).toString();
}
