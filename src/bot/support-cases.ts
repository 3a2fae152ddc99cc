/**
 * Cases posted to the helpdesk's Teams channel, kept in the bot's storage so
 * that "Take this case" (clicked in another conversation, maybe after a
 * restart) can find the user to tell. Taking a case writes with the stored
 * eTag: of two agents clicking at once, one wins and the other hears who did.
 */
import type { ConversationReference, Storage, StoreItem } from 'botbuilder';
import type { HandoffCase } from '../domain/handoff/handoff-case';

export interface SupportCaseRecord {
  handoffCase: HandoffCase;
  userConversation: Partial<ConversationReference>;
  /** The agent's display name once taken; '' when the agent's client gave none. */
  takenBy?: string;
}

const keyOf = (caseId: string) => `support-cases/${caseId}`;

export async function saveSupportCase(storage: Storage, record: SupportCaseRecord): Promise<void> {
  await storage.write({ [keyOf(record.handoffCase.caseId)]: { ...record, eTag: '*' } });
}

/** `by`: who holds the case ('' when unnamed); absent when the case is unknown. */
export type TakeResult = { taken: true; record: SupportCaseRecord } | { taken: false; by?: string };

export async function takeSupportCase(storage: Storage, caseId: string, agentName: string): Promise<TakeResult> {
  const stored = (await storage.read([keyOf(caseId)]))[keyOf(caseId)] as (SupportCaseRecord & StoreItem) | undefined;
  if (!stored) return { taken: false };
  if (stored.takenBy !== undefined) return { taken: false, by: stored.takenBy };
  const record: SupportCaseRecord = { handoffCase: stored.handoffCase, userConversation: stored.userConversation, takenBy: agentName };
  try {
    await storage.write({ [keyOf(caseId)]: { ...record, eTag: stored.eTag } });
  } catch {
    const again = (await storage.read([keyOf(caseId)]))[keyOf(caseId)] as SupportCaseRecord | undefined;
    return { taken: false, ...(again?.takenBy !== undefined ? { by: again.takenBy } : {}) };
  }
  return { taken: true, record };
}
