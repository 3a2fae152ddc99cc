/**
 * What the local Direct Line keeps per conversation: its user, its locale and
 * the activities the client has not necessarily fetched yet, each numbered so
 * that a watermark says where a client is. Everything is bounded: activities
 * per conversation, conversations, characters held overall, and idle time.
 */
import { randomBytes } from 'node:crypto';

/** An activity as the Direct Line API hands it out (ids and timestamps set here). */
export type DirectLineActivity = Record<string, unknown> & { id: string; type: string; timestamp: string };

export interface StoreLimits {
  /** Activities kept per conversation; the oldest go first. */
  maxActivitiesPerConversation: number;
  /** Conversations kept; the least recently used goes first. */
  maxConversations: number;
  /** Characters of JSON kept over all conversations; least recently used conversations go first. */
  maxStoredChars: number;
  /** A conversation nobody asked about for this long is dropped. */
  idleMs: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxActivitiesPerConversation: 200,
  maxConversations: 500,
  maxStoredChars: 32 * 1024 * 1024,
  idleMs: 60 * 60 * 1000,
};

interface Entry {
  seq: number;
  activity: DirectLineActivity;
  chars: number;
}

export interface StoredConversation {
  readonly id: string;
  readonly userId: string;
  locale?: string;
  /** Whether the client has started it (and the bot has been told about the members). */
  started: boolean;
  lastActive: number;
  /** Turns for the bot run one after the other: concurrent turns of one conversation would lose state. */
  queue: Promise<unknown>;
  nextSeq: number;
  entries: Entry[];
  chars: number;
}

export interface ActivitySet {
  activities: DirectLineActivity[];
  watermark?: string;
}

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

export class ConversationStore {
  private readonly conversations = new Map<string, StoredConversation>();
  private totalChars = 0;

  constructor(
    readonly limits: StoreLimits = DEFAULT_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.conversations.size;
  }

  get storedChars(): number {
    return this.totalChars;
  }

  create(userId: string, locale?: string): StoredConversation {
    this.sweep();
    while (this.conversations.size >= this.limits.maxConversations) this.evictOldest();
    const conversation: StoredConversation = {
      id: newConversationId(),
      userId,
      ...(locale ? { locale } : {}),
      started: false,
      lastActive: this.now(),
      queue: Promise.resolve(),
      nextSeq: 0,
      entries: [],
      chars: 0,
    };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** A conversation the client asks about: it counts as active again. */
  touch(id: string): StoredConversation | undefined {
    this.sweep();
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    conversation.lastActive = this.now();
    // Map order is the eviction order: the most recently used goes to the end.
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** A conversation the bot writes to: looked up without counting as the client's activity. */
  peek(id: string): StoredConversation | undefined {
    this.sweep();
    return this.conversations.get(id);
  }

  /** Stores a new activity with the next id and (unless given) the current time. */
  append(conversation: StoredConversation, fields: Record<string, unknown> & { type: string }): DirectLineActivity {
    const seq = conversation.nextSeq++;
    const activity: DirectLineActivity = {
      ...fields,
      id: `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: new Date(this.now()).toISOString(),
    };
    this.push(conversation, seq, activity);
    return activity;
  }

  /**
   * Replaces a stored activity (same id, same timestamp) and moves it past every
   * watermark handed out, so that clients polling on get the new version.
   */
  replace(conversation: StoredConversation, activityId: string, fields: Record<string, unknown> & { type: string }): DirectLineActivity | undefined {
    const index = conversation.entries.findIndex((entry) => entry.activity.id === activityId);
    if (index < 0) return undefined;
    const [old] = conversation.entries.splice(index, 1);
    this.forget(conversation, old!);
    const activity: DirectLineActivity = { ...fields, id: activityId, timestamp: old!.activity.timestamp };
    this.push(conversation, conversation.nextSeq++, activity);
    return activity;
  }

  remove(conversation: StoredConversation, activityId: string): boolean {
    const index = conversation.entries.findIndex((entry) => entry.activity.id === activityId);
    if (index < 0) return false;
    const [old] = conversation.entries.splice(index, 1);
    this.forget(conversation, old!);
    return true;
  }

  /** The activities after the watermark (all of them without one), and the watermark to ask with next. */
  since(conversation: StoredConversation, watermark: number | undefined): ActivitySet {
    const entries = watermark === undefined ? conversation.entries : conversation.entries.filter((entry) => entry.seq > watermark);
    const last = conversation.entries[conversation.entries.length - 1];
    const next = last ? Math.max(last.seq, watermark ?? -1) : watermark;
    return { activities: entries.map((entry) => entry.activity), ...(next !== undefined && next >= 0 ? { watermark: String(next) } : {}) };
  }

  private push(conversation: StoredConversation, seq: number, activity: DirectLineActivity): void {
    const chars = JSON.stringify(activity).length;
    conversation.entries.push({ seq, activity, chars });
    conversation.chars += chars;
    this.totalChars += chars;
    while (conversation.entries.length > this.limits.maxActivitiesPerConversation) this.forget(conversation, conversation.entries.shift()!);
    while (this.totalChars > this.limits.maxStoredChars) {
      const oldest = [...this.conversations.values()].find((candidate) => candidate !== conversation);
      if (oldest) this.drop(oldest);
      else if (conversation.entries.length > 1) this.forget(conversation, conversation.entries.shift()!);
      else break;
    }
  }

  private forget(conversation: StoredConversation, entry: Entry): void {
    conversation.chars -= entry.chars;
    this.totalChars -= entry.chars;
  }

  private drop(conversation: StoredConversation): void {
    this.totalChars -= conversation.chars;
    this.conversations.delete(conversation.id);
  }

  private evictOldest(): void {
    const oldest = this.conversations.values().next();
    if (!oldest.done) this.drop(oldest.value);
  }

  /** Drops idle conversations; the map is in order of last use, so it stops at the first one still in use. */
  private sweep(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const conversation of this.conversations.values()) {
      if (conversation.lastActive > cutoff) break;
      this.drop(conversation);
    }
  }
}
