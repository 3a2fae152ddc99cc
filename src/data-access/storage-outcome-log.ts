/**
 * Keeps walk outcomes in the bot's Storage, one item per flow, so they sit in
 * the same durable store as the conversation state.
 */
import type { Storage } from 'botbuilder';
import type { OutcomeLog } from '../domain/flow/outcome-log';
import type { Outcome } from '../domain/flow/walk';

export const OUTCOME_KEY_PREFIX = 'outcomes/';

export class StorageOutcomeLog implements OutcomeLog {
  constructor(private readonly storage: Storage) {}

  async record(flowId: string, outcome: Outcome): Promise<void> {
    await this.storage.write({ [`${OUTCOME_KEY_PREFIX}${outcome.at.slice(0, 10)}/${flowId}`]: { ...outcome, eTag: '*' } });
  }
}
