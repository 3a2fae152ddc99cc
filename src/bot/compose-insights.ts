/**
 * The insights beside the bot: the recorder the dialogs report to, writing to
 * the store the configuration chose; the Application Insights sink when a
 * connection string is set; and the retention sweep (INSIGHTS_RETENTION_DAYS)
 * at start and every six hours.
 */
import type { InsightsConfig } from '../config';
import type { InsightsStore } from '../domain/insights/insights-store';
import { NO_SINK } from '../domain/insights/milestones';
import { startApplicationInsights } from '../data-access/telemetry/application-insights';
import { describeError, type Logger } from '../logger';
import { StoreInsightsRecorder } from './insights-recorder';

const SWEEP_EVERY_MS = 6 * 60 * 60_000;
const DAY_MS = 86_400_000;

export interface ComposedInsights {
  recorder: StoreInsightsRecorder;
  /** Stops the sweep, writes the milestones still buffered, and flushes the telemetry exporter. */
  stop(): Promise<void>;
}

export function composeInsights(config: InsightsConfig, store: InsightsStore, logger: Logger): ComposedInsights {
  const telemetry = config.applicationInsightsConnectionString ? startApplicationInsights(config.applicationInsightsConnectionString, logger) : undefined;
  const recorder = new StoreInsightsRecorder(store, { keepTexts: config.keepTexts, sink: telemetry?.sink ?? NO_SINK, logger });
  const sweep = () => {
    store.pruneBefore(new Date(Date.now() - config.retentionDays * DAY_MS)).catch((error: unknown) => logger.log('error', 'insights-prune-failed', describeError(error)));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return {
    recorder,
    stop: async () => {
      clearInterval(timer);
      await recorder.drain();
      await telemetry?.shutdown();
    },
  };
}
