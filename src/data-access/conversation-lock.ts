/**
 * One turn at a time per conversation. botbuilder saves state with eTag `*`
 * (last writer wins), so two turns of one conversation running together would
 * lose one's changes: a double click, or a Teams retry. Turns of a conversation
 * therefore queue behind each other, here in the process (the default SQLite
 * store has one process) and, for a store shared by several instances, behind a
 * lock of that store (azure-blob-lock.ts).
 */
export interface ConversationLock {
  /** Runs `work` while no other turn of the conversation runs. */
  withLock<T>(conversationKey: string, work: () => Promise<T>): Promise<T>;
}

/** Queues turns per conversation in this process; the queue entry is dropped when it empties. */
export class InProcessLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<T>(conversationKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(conversationKey, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(conversationKey) === tail) this.tails.delete(conversationKey);
    }
  }

  /** Conversations with a turn running or waiting: for tests and shutdown. */
  get busy(): number {
    return this.tails.size;
  }
}

/** Holds the in-process queue first, then a lock shared with other instances: fewer round trips to the store. */
export function layered(local: ConversationLock, shared: ConversationLock): ConversationLock {
  return { withLock: (key, work) => local.withLock(key, () => shared.withLock(key, work)) };
}
