/**
 * The milestones between two states of a session, as events for a telemetry
 * sink (Application Insights custom events). Derived from the session records,
 * so the events and the stored sessions cannot disagree.
 */
import type { CauseAnswer, SessionOutcome, SessionRecord } from './session';

export type MilestoneName = 'SessionStarted' | 'ErrorRecognised' | 'CauseShown' | 'CauseAnswered' | 'SessionOutcome';

/** Properties are ids and categories only: never a text, a note or a name. */
export interface MilestoneEvent {
  name: MilestoneName;
  properties: {
    sessionId: string;
    language: string;
    channel: string;
    category?: string;
    how?: string;
    os?: string;
    causeId?: string;
    position?: string;
    answer?: CauseAnswer;
    outcome?: SessionOutcome | 'unrecognised';
  };
}

export function milestonesBetween(before: SessionRecord | undefined, after: SessionRecord): MilestoneEvent[] {
  const base = { sessionId: after.id, language: after.language, channel: after.channel };
  const of = (name: MilestoneName, extra: Omit<MilestoneEvent['properties'], keyof typeof base> = {}): MilestoneEvent => ({ name, properties: { ...base, ...extra } });
  const events: MilestoneEvent[] = [];
  if (!before) events.push(of('SessionStarted'));
  if (after.category && (after.category !== before?.category || after.how !== before?.how)) {
    events.push(of('ErrorRecognised', { category: after.category, ...(after.how ? { how: after.how } : {}) }));
  }
  const category = after.category ? { category: after.category } : {};
  const os = after.os ? { os: after.os } : {};
  after.causes.forEach((step, index) => {
    const earlier = before?.causes[index];
    if (!earlier) events.push(of('CauseShown', { ...category, ...os, causeId: step.causeId, position: String(index + 1) }));
    if (step.answer && earlier?.answer !== step.answer) {
      events.push(of('CauseAnswered', { ...category, ...os, causeId: step.causeId, position: String(index + 1), answer: step.answer }));
    }
  });
  if (after.outcome && after.outcome !== before?.outcome) events.push(of('SessionOutcome', { ...category, ...os, outcome: after.outcome }));
  else if (after.unrecognised && !before?.unrecognised) events.push(of('SessionOutcome', { outcome: 'unrecognised' }));
  return events;
}

/** Where milestone events go besides the store (Application Insights when configured). */
export interface MilestoneSink {
  emit(events: readonly MilestoneEvent[]): void;
}

export const NO_SINK: MilestoneSink = { emit: () => undefined };
