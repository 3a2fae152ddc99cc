/**
 * The figures the helpdesk reads (issue 10), computed from stored sessions:
 * totals and rates, per error the outcomes and the cause-by-cause funnel, per
 * guest OS, language and channel, per day, and the top unrecognised texts.
 * `insights --json` prints this object and GET /insights/data.json serves it.
 *
 * Definitions (README, "Insights"): rates of resolution, escalation and
 * abandonment are over engaged sessions; an escalation of a session that never
 * engaged (the not-covered card's helpdesk button) is in `escalated` but not in
 * the escalation rate.
 */
import { ERROR_IDS, type ErrorId } from '../knowledge/schema';
import type { WalkStepId } from '../flow/walk';
import type { TextCount } from './insights-store';
import { outcomeAt, type SessionRecord } from './session';

export interface Period {
  /** First day, YYYY-MM-DD (UTC), included. */
  since: string;
  /** Last day, YYYY-MM-DD (UTC), included. */
  until: string;
}

export interface Rates {
  engagement: number;
  resolution: number;
  /** Resolutions the user confirmed after the next backup (the follow-up), over engaged sessions. */
  confirmedResolution: number;
  escalation: number;
  abandon: number;
}

export interface Totals {
  sessions: number;
  engaged: number;
  /** "This fixed it", confirmed or not; a resolution reopened by the follow-up is not one. */
  resolved: number;
  /** Of those, confirmed by the follow-up ("Yes, it succeeded"). */
  confirmed: number;
  /** "No, it failed again": the walk went on (counted apart, not as resolved). */
  reopened: number;
  escalated: number;
  abandoned: number;
  unrecognised: number;
  rates: Rates;
}

export interface CauseFunnel {
  shown: number;
  fixed: number;
  wentOn: number;
}

export interface ErrorFigures {
  category: ErrorId;
  sessions: number;
  resolved: number;
  escalated: number;
  abandoned: number;
  /** Sessions resolved at each cause, in the article's order. */
  fixedBy: Record<string, number>;
  /** Engaged sessions that ended (abandoned or escalated) with this cause the last one shown. */
  dropOff: Record<string, number>;
  funnel: Record<string, CauseFunnel>;
}

export interface DayFigures {
  date: string;
  sessions: number;
  resolved: number;
  escalated: number;
  abandoned: number;
}

export interface BreakdownFigures {
  sessions: number;
  engaged: number;
  resolved: number;
  escalated: number;
  abandoned: number;
}

export interface Insights extends Totals {
  period: Period;
  /** The period of the same length just before, for the change shown on the dashboard's tiles. */
  previous: Totals & { period: Period };
  errors: ErrorFigures[];
  byOs: Record<string, BreakdownFigures>;
  byLanguage: Record<string, BreakdownFigures>;
  byChannel: Record<string, BreakdownFigures>;
  /** How sessions began: text, image (a screenshot), browse, follow-up. */
  byEntry: Record<string, BreakdownFigures>;
  days: DayFigures[];
  unrecognisedTexts: { text: string; count: number; lastSeen: string }[];
}

export interface InsightsInput {
  period: Period;
  sessions: readonly SessionRecord[];
  previousSessions: readonly SessionRecord[];
  texts: readonly TextCount[];
  now: Date;
  abandonAfterMinutes: number;
  /** An error's causes in the article's order (the extra checks of later issues after them). */
  causesOf: (category: ErrorId) => readonly WalkStepId[];
  /** How many unrecognised texts to list. */
  topTexts?: number;
}

const DAY_MS = 86_400_000;

/** Days as dates: "2026-12-07" → the instant it starts (UTC). */
export function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function dayOf(instant: Date | string): string {
  return (typeof instant === 'string' ? instant : instant.toISOString()).slice(0, 10);
}

/** [since 00:00, the day after until 00:00). */
export function periodBounds(period: Period): { since: Date; until: Date } {
  return { since: dayStart(period.since), until: new Date(dayStart(period.until).getTime() + DAY_MS) };
}

export function previousPeriod(period: Period): Period {
  const { since, until } = periodBounds(period);
  const length = until.getTime() - since.getTime();
  return { since: dayOf(new Date(since.getTime() - length)), until: dayOf(new Date(since.getTime() - DAY_MS)) };
}

/** The default period: the 30 days ending today. */
export function defaultPeriod(now: Date = new Date()): Period {
  return { since: dayOf(new Date(now.getTime() - 29 * DAY_MS)), until: dayOf(now) };
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

interface Counted {
  session: SessionRecord;
  outcome: ReturnType<typeof outcomeAt>;
}

function totals(counted: readonly Counted[]): Totals {
  let engaged = 0;
  let resolved = 0;
  let confirmed = 0;
  let reopened = 0;
  let engagedConfirmed = 0;
  let escalated = 0;
  let abandoned = 0;
  let unrecognised = 0;
  let engagedResolved = 0;
  let engagedEscalated = 0;
  for (const { session, outcome } of counted) {
    if (session.engaged) engaged += 1;
    if (session.unrecognised && !session.engaged) unrecognised += 1;
    if (outcome === 'resolved') resolved += 1;
    if (outcome === 'resolved' && session.followUp === 'confirmed') confirmed += 1;
    if (session.engaged && outcome === 'resolved' && session.followUp === 'confirmed') engagedConfirmed += 1;
    if (session.outcome === 'resolved' && session.followUp === 'reopened') reopened += 1;
    if (outcome === 'escalated') escalated += 1;
    if (outcome === 'abandoned') abandoned += 1;
    if (session.engaged && outcome === 'resolved') engagedResolved += 1;
    if (session.engaged && outcome === 'escalated') engagedEscalated += 1;
  }
  const sessions = counted.length;
  return {
    sessions,
    engaged,
    resolved,
    confirmed,
    reopened,
    escalated,
    abandoned,
    unrecognised,
    rates: {
      engagement: ratio(engaged, sessions),
      resolution: ratio(engagedResolved, engaged),
      confirmedResolution: ratio(engagedConfirmed, engaged),
      escalation: ratio(engagedEscalated, engaged),
      abandon: ratio(abandoned, engaged),
    },
  };
}

function breakdown(counted: readonly Counted[], keyOf: (session: SessionRecord) => string | undefined): Record<string, BreakdownFigures> {
  const result: Record<string, BreakdownFigures> = {};
  for (const { session, outcome } of counted) {
    const key = keyOf(session);
    if (key === undefined) continue;
    const entry = (result[key] ??= { sessions: 0, engaged: 0, resolved: 0, escalated: 0, abandoned: 0 });
    entry.sessions += 1;
    if (session.engaged) entry.engaged += 1;
    if (outcome) entry[outcome] += 1;
  }
  return result;
}

function errorFigures(counted: readonly Counted[], category: ErrorId, causes: readonly WalkStepId[]): ErrorFigures {
  const zeros = () => Object.fromEntries(causes.map((causeId) => [causeId, 0])) as Record<string, number>;
  const figures: ErrorFigures = {
    category,
    sessions: 0,
    resolved: 0,
    escalated: 0,
    abandoned: 0,
    fixedBy: zeros(),
    dropOff: zeros(),
    funnel: Object.fromEntries(causes.map((causeId) => [causeId, { shown: 0, fixed: 0, wentOn: 0 }])),
  };
  for (const { session, outcome } of counted) {
    if (session.category !== category) continue;
    figures.sessions += 1;
    if (outcome) figures[outcome] += 1;
    for (const step of session.causes) {
      const funnel = (figures.funnel[step.causeId] ??= { shown: 0, fixed: 0, wentOn: 0 });
      funnel.shown += 1;
      if (step.answer === 'fixed') {
        funnel.fixed += 1;
        figures.fixedBy[step.causeId] = (figures.fixedBy[step.causeId] ?? 0) + 1;
      }
      if (step.answer === 'still-failing') funnel.wentOn += 1;
    }
    const last = session.causes[session.causes.length - 1];
    if (session.engaged && last && (outcome === 'abandoned' || outcome === 'escalated')) {
      figures.dropOff[last.causeId] = (figures.dropOff[last.causeId] ?? 0) + 1;
    }
  }
  return figures;
}

function days(counted: readonly Counted[], period: Period): DayFigures[] {
  const { since, until } = periodBounds(period);
  const byDate = new Map<string, DayFigures>();
  for (let t = since.getTime(); t < until.getTime(); t += DAY_MS) {
    const date = dayOf(new Date(t));
    byDate.set(date, { date, sessions: 0, resolved: 0, escalated: 0, abandoned: 0 });
  }
  for (const { session, outcome } of counted) {
    const day = byDate.get(dayOf(session.startedAt));
    if (!day) continue;
    day.sessions += 1;
    if (outcome) day[outcome] += 1;
  }
  return [...byDate.values()];
}

export function computeInsights(input: InsightsInput): Insights {
  const abandonAfterMs = input.abandonAfterMinutes * 60_000;
  const count = (sessions: readonly SessionRecord[]): Counted[] => sessions.map((session) => ({ session, outcome: outcomeAt(session, input.now, abandonAfterMs) }));
  const counted = count(input.sessions);
  const texts = [...input.texts]
    .filter((entry): entry is TextCount & { text: string } => entry.text !== null)
    .sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, input.topTexts ?? 20)
    .map(({ text, count: times, lastSeen }) => ({ text, count: times, lastSeen }));
  return {
    period: input.period,
    ...totals(counted),
    previous: { period: previousPeriod(input.period), ...totals(count(input.previousSessions)) },
    errors: ERROR_IDS.map((category) => errorFigures(counted, category, input.causesOf(category))),
    byOs: breakdown(counted, (session) => session.os),
    byLanguage: breakdown(counted, (session) => session.language),
    byChannel: breakdown(counted, (session) => session.channel),
    byEntry: breakdown(counted, (session) => session.via),
    days: days(counted, input.period),
    unrecognisedTexts: texts,
  };
}
