import { TurnContext, TestAdapter, type Activity } from 'botbuilder';
import { StoreInsightsRecorder } from '../../src/bot/insights-recorder';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import type { InsightsStore } from '../../src/domain/insights/insights-store';
import type { MilestoneEvent } from '../../src/domain/insights/milestones';
import { recognised, startSession } from '../../src/domain/insights/session';
import { captureLog } from '../operations/helpers';

function turn(): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', text: 'x', channelId: 'test', conversation: { id: 'c' } } as Partial<Activity> as Activity);
}
const everything = (store: InsightsStore) => store.sessionsStartedBetween(new Date(0), new Date(8.64e15));

describe('the insights recorder', () => {
  it('When turns end, Then their sessions are written in one batch after the delay, in their last state', async () => {
    const store = new SqliteInsightsStore(':memory:');
    const saved: number[] = [];
    const counting: InsightsStore = { ...store, saveSessions: async (sessions) => { saved.push(sessions.length); await store.saveSessions(sessions); }, countText: (s) => store.countText(s), sessionsStartedBetween: (a, b) => store.sessionsStartedBetween(a, b), textsSeenBetween: (a, b) => store.textsSeenBetween(a, b), pruneBefore: (d) => store.pruneBefore(d) };
    const recorder = new StoreInsightsRecorder(counting, { keepTexts: true, logger: captureLog().logger, writeDelayMs: 30 });
    for (let i = 0; i < 5; i++) {
      const context = turn();
      const started = startSession({ id: `s${i}`, via: 'text', language: 'en', channel: 'test' });
      recorder.track(context, undefined, started);
      recorder.track(context, started, recognised(started, 'no-network', 'code'));
      await recorder.flush(context);
    }
    expect(await everything(store)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(saved).toEqual([5]);
    expect((await everything(store)).map((session) => session.category)).toEqual(Array(5).fill('no-network'));
  });

  it('When the store fails, Then the batch is kept for the next one and the turn never sees it', async () => {
    const store = new SqliteInsightsStore(':memory:');
    let failures = 1;
    const flaky: InsightsStore = { ...store, saveSessions: async (sessions) => { if (failures-- > 0) throw new Error('store down'); await store.saveSessions(sessions); }, countText: (s) => store.countText(s), sessionsStartedBetween: (a, b) => store.sessionsStartedBetween(a, b), textsSeenBetween: (a, b) => store.textsSeenBetween(a, b), pruneBefore: (d) => store.pruneBefore(d) };
    const log = captureLog();
    const recorder = new StoreInsightsRecorder(flaky, { keepTexts: true, logger: log.logger, writeDelayMs: 10 });
    const context = turn();
    recorder.track(context, undefined, startSession({ id: 'kept', via: 'text', language: 'ja', channel: 'test' }));
    recorder.unrecognisedText(context, 'how do I restore a file?');
    await recorder.flush(context);
    await recorder.drain();
    expect(log.events('insights-write-failed')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await everything(store)).map((session) => session.id)).toEqual(['kept']);
    expect(await store.textsSeenBetween(new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000))).toHaveLength(1);
  });

  it('When a telemetry sink throws, Then it is logged and the sessions are still written', async () => {
    const store = new SqliteInsightsStore(':memory:');
    const log = captureLog();
    const seen: MilestoneEvent[] = [];
    const recorder = new StoreInsightsRecorder(store, { keepTexts: true, logger: log.logger, sink: { emit: (events) => { seen.push(...events); throw new Error('exporter down'); } } });
    const context = turn();
    recorder.track(context, undefined, startSession({ id: 't', via: 'browse', language: 'en', channel: 'test' }));
    await recorder.flush(context);
    await recorder.drain();
    expect(seen.map((event) => event.name)).toEqual(['SessionStarted']);
    expect(log.events('insights-telemetry-failed')).toHaveLength(1);
    expect(await everything(store)).toHaveLength(1);
  });
});
