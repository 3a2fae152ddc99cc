/**
 * Writes what a turn did to the insights: each session the turn moved, once, in
 * its final state of the turn; the unrecognised texts, redacted and grouped; and
 * the milestone events for a telemetry sink. Runs after the state is saved; a
 * failure is logged and never fails the turn (the user has their answer).
 */
import type { TurnContext } from 'botbuilder';
import type { InsightsRecorder } from '../../dialogs/insights-recorder';
import type { InsightsStore, TextSighting } from '../domain/insights/insights-store';
import { milestonesBetween, NO_SINK, type MilestoneSink } from '../domain/insights/milestones';
import type { SessionRecord } from '../domain/insights/session';
import { sightingOf } from '../domain/insights/unrecognised-text';
import { describeError, type Logger } from '../logger';

const PENDING = Symbol('insights-pending');

interface Pending {
  /** By session id: its state when the turn first moved it, and its state now. */
  sessions: Map<string, { before: SessionRecord | undefined; after: SessionRecord }>;
  texts: TextSighting[];
}

export interface InsightsRecorderOptions {
  keepTexts: boolean;
  sink?: MilestoneSink;
  logger: Logger;
}

export class StoreInsightsRecorder implements InsightsRecorder {
  private readonly sink: MilestoneSink;

  constructor(private readonly store: InsightsStore, private readonly options: InsightsRecorderOptions) {
    this.sink = options.sink ?? NO_SINK;
  }

  track(context: TurnContext, before: SessionRecord | undefined, after: SessionRecord): void {
    const pending = this.pendingOf(context);
    const known = pending.sessions.get(after.id);
    pending.sessions.set(after.id, { before: known ? known.before : before, after });
  }

  unrecognisedText(context: TurnContext, text: string): void {
    this.pendingOf(context).texts.push(sightingOf(text, this.options.keepTexts));
  }

  async flush(context: TurnContext): Promise<void> {
    const pending = context.turnState.get(PENDING) as Pending | undefined;
    if (!pending) return;
    context.turnState.delete(PENDING);
    try {
      const moved = [...pending.sessions.values()];
      await this.store.saveSessions(moved.map(({ after }) => after));
      for (const sighting of pending.texts) await this.store.countText(sighting);
      this.sink.emit(moved.flatMap(({ before, after }) => milestonesBetween(before, after)));
    } catch (error) {
      this.options.logger.log('error', 'insights-write-failed', describeError(error));
    }
  }

  private pendingOf(context: TurnContext): Pending {
    let pending = context.turnState.get(PENDING) as Pending | undefined;
    if (!pending) {
      pending = { sessions: new Map(), texts: [] };
      context.turnState.set(PENDING, pending);
    }
    return pending;
  }
}
