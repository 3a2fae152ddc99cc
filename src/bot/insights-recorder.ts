/**
 * Writes what the turns did to the insights: each session a turn moved, in its
 * final state; the unrecognised texts, redacted and grouped; and the milestone
 * events for a telemetry sink.
 *
 * Writes are behind the turns: at the end of a turn the sessions it moved join a
 * buffer that is written to the store in one batch every `writeDelayMs` (default
 * 200 ms), so a busy bot makes one store transaction for many turns instead of one
 * per turn. A crash can lose the last batch's milestones (at most `writeDelayMs` of
 * them); a graceful stop writes it (`drain`). A store that fails keeps the buffer
 * for the next batch, up to `maxBuffered` sessions. Nothing here ever fails a turn.
 */
import type { TurnContext } from 'botbuilder';
import type { InsightsRecorder } from '../../dialogs/insights-recorder';
import type { InsightsStore, TextSighting } from '../domain/insights/insights-store';
import { milestonesBetween, NO_SINK, type MilestoneSink } from '../domain/insights/milestones';
import type { SessionRecord } from '../domain/insights/session';
import { sightingOf } from '../domain/insights/unrecognised-text';
import { describeError, type Logger } from '../logger';

const PENDING = Symbol('insights-pending');
export const DEFAULT_WRITE_DELAY_MS = 200;
const DEFAULT_MAX_BUFFERED = 20_000;

interface Pending {
  /** By session id: its state when the turn first moved it, and its state now. */
  sessions: Map<string, { before: SessionRecord | undefined; after: SessionRecord }>;
  texts: TextSighting[];
}

export interface InsightsRecorderOptions {
  keepTexts: boolean;
  sink?: MilestoneSink;
  logger: Logger;
  writeDelayMs?: number;
  maxBuffered?: number;
}

export class StoreInsightsRecorder implements InsightsRecorder {
  private readonly sink: MilestoneSink;
  private readonly writeDelayMs: number;
  private readonly maxBuffered: number;
  /** Sessions and texts of finished turns, not yet written. */
  private sessions = new Map<string, SessionRecord>();
  private texts: TextSighting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: InsightsStore, private readonly options: InsightsRecorderOptions) {
    this.sink = options.sink ?? NO_SINK;
    this.writeDelayMs = options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  }

  track(context: TurnContext, before: SessionRecord | undefined, after: SessionRecord): void {
    const pending = this.pendingOf(context);
    const known = pending.sessions.get(after.id);
    pending.sessions.set(after.id, { before: known ? known.before : before, after });
  }

  unrecognisedText(context: TurnContext, text: string): void {
    this.pendingOf(context).texts.push(sightingOf(text, this.options.keepTexts));
  }

  /** End of the turn: the telemetry events go now, the store writes with the next batch. */
  async flush(context: TurnContext): Promise<void> {
    const pending = context.turnState.get(PENDING) as Pending | undefined;
    if (!pending) return;
    context.turnState.delete(PENDING);
    const moved = [...pending.sessions.values()];
    if (this.sink !== NO_SINK) this.emit(moved.flatMap(({ before, after }) => milestonesBetween(before, after)));
    for (const { after } of moved) this.sessions.set(after.id, after);
    this.texts.push(...pending.texts);
    this.schedule();
  }

  /** Writes everything buffered now (graceful stop, tests); resolves once it is in the store or has failed. */
  async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private emit(events: ReturnType<typeof milestonesBetween>): void {
    try {
      this.sink.emit(events);
    } catch (error) {
      this.options.logger.log('error', 'insights-telemetry-failed', describeError(error));
    }
  }

  private schedule(): void {
    if (this.timer || (this.sessions.size === 0 && this.texts.length === 0)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.writeDelayMs);
    this.timer.unref();
  }

  /** One batch at a time: a write that starts while another runs waits for it. */
  private write(): Promise<void> {
    this.writing = this.writing.then(() => this.writeBatch());
    return this.writing;
  }

  private async writeBatch(): Promise<void> {
    if (this.sessions.size === 0 && this.texts.length === 0) return;
    const sessions = this.sessions;
    const texts = this.texts;
    this.sessions = new Map();
    this.texts = [];
    try {
      await this.store.saveSessions([...sessions.values()]);
    } catch (error) {
      this.options.logger.log('error', 'insights-write-failed', describeError(error));
      this.keepForNextBatch(sessions);
    }
    for (const [index, sighting] of texts.entries()) {
      try {
        await this.store.countText(sighting);
      } catch (error) {
        this.options.logger.log('error', 'insights-write-failed', describeError(error));
        this.texts.push(...texts.slice(index));
        break;
      }
    }
    this.schedule();
  }

  /** Newer states of the same sessions (buffered meanwhile) win; beyond the bound the oldest are dropped, said in the log. */
  private keepForNextBatch(failed: Map<string, SessionRecord>): void {
    const merged = new Map([...failed, ...this.sessions]);
    const overflow = merged.size - this.maxBuffered;
    if (overflow > 0) {
      [...merged.keys()].slice(0, overflow).forEach((id) => merged.delete(id));
      this.options.logger.log('error', 'insights-buffer-full', { dropped: overflow });
    }
    this.sessions = merged;
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
