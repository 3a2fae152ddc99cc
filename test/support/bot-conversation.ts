/**
 * Drives the real bot (all dialogs, MemoryStorage) through botbuilder's
 * TestAdapter: send text or click a button, get the replies of that turn.
 */
import { ActivityTypes, MemoryStorage, TestAdapter, type Activity, type Attachment } from 'botbuilder';
import { composeBot, type BotExtras } from '../../src/bot/compose-bot';
import { silentLogger } from '../../src/logger';
import { readCardAction, type CardActionData } from '../../src/domain/flow/card-action';
import type { AdaptiveCardJson, CardElement } from '../../src/domain/cards/rendered-card';
import type { SessionRecord } from '../../src/domain/insights/session';
import type { InsightsRecorder } from '../../dialogs/insights-recorder';
import { StoreInsightsRecorder } from '../../src/bot/insights-recorder';
import { SqliteInsightsStore } from '../../src/data-access/sqlite-insights-store';
import { TurnContext as BotTurnContext, type ConversationReference } from 'botbuilder';
import type { FollowUpService } from '../../dialogs/follow-up-service';
import type { FollowUpRef } from '../../src/domain/conversation/conversation-data';
import { followUpId, type FollowUp } from '../../src/domain/follow-up/follow-up';
import type { TroubleshooterBot } from '../../src/bot/troubleshooter-bot';

/** Follow-ups kept in memory: what the dialogs promised, cancelled and settled; `due` hands out the next one. */
export class MemoryFollowUps implements FollowUpService {
  readonly promised: (FollowUpRef & { reference: Partial<ConversationReference>; dueAt: number })[] = [];
  readonly cancelled = new Set<string>();
  readonly settled = new Set<string>();

  constructor(readonly afterMs: number | null = 60_000) {}

  async promise(context: BotTurnContext, followUp: FollowUp): Promise<string> {
    const id = followUpId(followUp.sessionId, followUp.ask);
    this.promised.push({ id, followUp, reference: BotTurnContext.getConversationReference(context.activity), dueAt: Date.now() + (this.afterMs ?? 0) });
    return id;
  }

  async cancel(id: string): Promise<void> {
    this.cancelled.add(id);
  }

  async settle(id: string): Promise<void> {
    this.settled.add(id);
  }

  async openFor(): Promise<FollowUpRef[]> {
    return this.open().reverse();
  }

  /** Promised and neither cancelled nor settled, oldest first. */
  open(): (FollowUpRef & { reference: Partial<ConversationReference> })[] {
    return this.promised.filter((entry) => !this.cancelled.has(entry.id) && !this.settled.has(entry.id));
  }
}

export interface SubmitButton {
  title: string;
  data: CardActionData;
}

export class BotConversation {
  readonly storage = new MemoryStorage();
  private readonly adapter: TestAdapter;
  /** Sessions as they were when they reached an outcome, in that order. */
  readonly outcomes: SessionRecord[] = [];
  /** The real insights store, in memory: what the turns wrote. */
  readonly insightsStore = new SqliteInsightsStore(':memory:');
  private readonly recorder: StoreInsightsRecorder;
  private readonly bot: TroubleshooterBot;
  /** Off unless the test passes `followUps` (then the bot promises follow-ups after "This fixed it"). */
  readonly followUps: MemoryFollowUps;
  /** Activities the bot updated in place (Teams). */
  readonly updates: Partial<Activity>[] = [];

  /** Every session the turns wrote, oldest first. */
  async sessions(): Promise<SessionRecord[]> {
    await this.recorder.drain();
    return this.insightsStore.sessionsStartedBetween(new Date(0), new Date(8.64e15));
  }

  constructor(readonly locale: string = 'en-US', conversationId = 'conversation-1', readonly channelId = 'test', extras: BotExtras = {}) {
    const recorder = new StoreInsightsRecorder(this.insightsStore, { keepTexts: true, logger: silentLogger });
    this.recorder = recorder;
    const watching: InsightsRecorder = {
      track: (context, before, after) => {
        if (after.outcome && after.outcome !== before?.outcome) this.outcomes.push(after);
        recorder.track(context, before, after);
      },
      unrecognisedText: (context, text) => recorder.unrecognisedText(context, text),
      flush: (context) => recorder.flush(context),
    };
    this.followUps = extras.followUps instanceof MemoryFollowUps ? extras.followUps : new MemoryFollowUps(null);
    const { bot, onTurnError } = composeBot(this.storage, silentLogger, { insights: watching, ...extras, followUps: this.followUps });
    this.bot = bot;
    this.adapter = new TestAdapter(async (context) => bot.run(context), {
      channelId,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'test' },
      locale,
    } as Partial<Activity>);
    this.adapter.onTurnError = onTurnError;
    this.adapter.updateActivity = async (_context, activity) => {
      this.updates.push(activity);
    };
  }

  async join(): Promise<Partial<Activity>[]> {
    return this.turn({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: 'user1', name: 'User' }],
      recipient: { id: 'bot', name: 'Bot' },
    });
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.turn({ type: ActivityTypes.Message, text });
  }

  click(data: CardActionData | Record<string, unknown> | string): Promise<Partial<Activity>[]> {
    return this.turn({ type: ActivityTypes.Message, value: data, text: '' });
  }

  /** The oldest open follow-up comes due: the bot's proactive turn, as the delivery would run it. Answers what it showed and whether it asked. */
  async followUpDue(): Promise<{ replies: Partial<Activity>[]; shown: string }> {
    const [due] = this.followUps.open();
    if (!due) throw new Error('no follow-up is open');
    const before = this.adapter.activeQueue.length;
    let shown = '';
    // TestAdapter has no continueConversation: a context of the event a proactive turn gets, on the same adapter.
    const activity = BotTurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, due.reference, true);
    shown = await this.bot.askFollowUp(new BotTurnContext(this.adapter, activity), { id: due.id, followUp: due.followUp });
    return { replies: this.adapter.activeQueue.splice(before), shown };
  }

  async turn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.adapter.activeQueue.length;
    await this.adapter.receiveActivity({ locale: this.locale, from: { id: 'user1', name: 'User' }, ...activity });
    return this.adapter.activeQueue.splice(before);
  }
}

export function cardsOf(replies: readonly Partial<Activity>[]): AdaptiveCardJson[] {
  return replies.flatMap((reply) => reply.attachments ?? []).map((attachment: Attachment) => attachment.content as AdaptiveCardJson);
}

export function lastCard(replies: readonly Partial<Activity>[]): AdaptiveCardJson {
  const cards = cardsOf(replies);
  const card = cards[cards.length - 1];
  if (!card) throw new Error(`no card in replies: ${JSON.stringify(replies.map((reply) => reply.text))}`);
  return card;
}

/** Every Action.Submit of a card, in order, wherever it sits (actions, ShowCards, containers). */
export function buttonsOf(card: AdaptiveCardJson): SubmitButton[] {
  const found: SubmitButton[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const element = value as CardElement;
    if (element.type === 'Action.Submit') {
      const data = readCardAction(element['data']);
      if (data) found.push({ title: String(element['title']), data });
    }
    Object.values(element).forEach(visit);
  };
  visit(card.body);
  visit(card.actions ?? []);
  return found;
}

export function button(card: AdaptiveCardJson, action: CardActionData['action'], extra: Partial<CardActionData> = {}): CardActionData {
  const match = buttonsOf(card).find(
    (candidate) => candidate.data.action === action && Object.entries(extra).every(([key, value]) => candidate.data[key as keyof CardActionData] === value),
  );
  if (!match) throw new Error(`no ${action} button ${JSON.stringify(extra)} on card: ${JSON.stringify(buttonsOf(card).map((b) => b.data))}`);
  return match.data;
}

/** All visible text of the replies (message text and card TextBlocks), for assertions. */
export function textOf(replies: readonly Partial<Activity>[]): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const element = value as CardElement;
    if (typeof element['text'] === 'string') parts.push(element['text']);
    if (typeof element['title'] === 'string') parts.push(element['title']);
    Object.values(element).forEach(visit);
  };
  for (const reply of replies) {
    if (reply.text) parts.push(reply.text);
    visit(cardsOf([reply]));
  }
  return parts.join('\n');
}
