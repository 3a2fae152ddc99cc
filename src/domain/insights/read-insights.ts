/** Reads the stored sessions of a period (and the one before it) and computes the figures. */
import type { ErrorId } from '../knowledge/schema';
import type { WalkStepId } from '../flow/walk';
import { computeInsights, periodBounds, previousPeriod, type Insights, type Period } from './figures';
import type { InsightsStore } from './insights-store';

export interface InsightsQuery {
  period: Period;
  abandonAfterMinutes: number;
  now?: Date;
  causesOf: (category: ErrorId) => readonly WalkStepId[];
}

export async function readInsights(store: InsightsStore, query: InsightsQuery): Promise<Insights> {
  const current = periodBounds(query.period);
  const before = periodBounds(previousPeriod(query.period));
  const [sessions, previousSessions, texts] = await Promise.all([
    store.sessionsStartedBetween(current.since, current.until),
    store.sessionsStartedBetween(before.since, before.until),
    store.textsSeenBetween(current.since, current.until),
  ]);
  return computeInsights({ period: query.period, sessions, previousSessions, texts, now: query.now ?? new Date(), abandonAfterMinutes: query.abandonAfterMinutes, causesOf: query.causesOf });
}
