/** Where walk outcomes go for later statistics. The core only knows this interface. */
import type { Outcome } from './walk';

export interface OutcomeLog {
  record(flowId: string, outcome: Outcome): Promise<void>;
}
