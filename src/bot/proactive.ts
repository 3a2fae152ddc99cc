/**
 * Messages to a conversation outside a turn (ticket references, "an agent took
 * your case"), through the adapter and a stored conversation reference.
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';

export interface ProactiveMessenger {
  send(reference: Partial<ConversationReference>, text: string): Promise<void>;
}

export function adapterMessenger(adapter: CloudAdapter, appId: string | undefined): ProactiveMessenger {
  return {
    send: (reference, text) =>
      adapter.continueConversationAsync(appId ?? '', reference, async (context) => {
        await context.sendActivity(text);
      }),
  };
}
