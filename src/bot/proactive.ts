/**
 * Messages to a conversation outside a turn (ticket references, "an agent took
 * your case"), through the adapter and a stored conversation reference.
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';

export interface ProactiveMessenger {
  send(reference: Partial<ConversationReference>, text: string): Promise<void>;
}

/** Rejects when the send fails: caught inside the turn, since the adapter's onTurnError would apologise and swallow it. */
export function adapterMessenger(adapter: CloudAdapter, appId: string | undefined): ProactiveMessenger {
  return {
    send: async (reference, text) => {
      let failure: { error: unknown } | undefined;
      await adapter.continueConversationAsync(appId ?? '', reference, async (context) => {
        try {
          await context.sendActivity(text);
        } catch (error) {
          failure = { error };
        }
      });
      if (failure) throw failure.error;
    },
  };
}
