// PLACEHOLDER written by the lead so that the build compiles while the store is being written: replace this file whole.
import type { InsightsStore, TextCount } from '../domain/insights/insights-store';
import type { SessionRecord } from '../domain/insights/session';

export class AzureTableInsightsStore implements InsightsStore {
  constructor(_connectionString: string, _options?: { sessionsTable?: string; textsTable?: string }) {}
  async saveSessions(): Promise<void> {}
  async countText(): Promise<void> {}
  async sessionsStartedBetween(): Promise<SessionRecord[]> {
    return [];
  }
  async textsSeenBetween(): Promise<TextCount[]> {
    return [];
  }
  async pruneBefore(): Promise<void> {}
}
