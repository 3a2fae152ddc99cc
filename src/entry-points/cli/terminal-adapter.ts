/**
 * A Bot Framework adapter for a terminal, after the console adapter of the
 * Bot Framework samples: each message the user enters becomes a message
 * activity on the `terminal` channel, and the bot's replies are printed: text
 * as it is, an Adaptive Card as its plain text with its buttons numbered. A
 * number typed afterwards is sent as the click on that button of the last card
 * that had buttons, the way a channel sends a card's Action.Submit.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ChannelAccount,
  type ConversationAccount,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { activityText } from './activity-text';

export const TERMINAL_CHANNEL = 'terminal';

export type BotLogic = (context: TurnContext) => Promise<void>;

export interface TerminalAdapterOptions {
  /** Where the replies are printed. */
  output: NodeJS.WritableStream;
  /** The locale of every activity the user sends, e.g. "ja-JP"; none when the terminal has no real locale. */
  locale: string | undefined;
  /** Fixed for the adapter's life; a fresh one by default. */
  conversationId?: string;
}

const USER: ChannelAccount = { id: 'user', name: 'User', role: 'user' };
const BOT: ChannelAccount = { id: 'bot', name: 'Bot', role: 'bot' };

export class TerminalAdapter extends BotAdapter {
  private readonly output: NodeJS.WritableStream;
  private readonly locale: string | undefined;
  private readonly conversation: ConversationAccount;
  private nextId = 1;
  /** The click data of the last card that had buttons, numbered from 1. */
  private buttons: unknown[] = [];

  constructor(options: TerminalAdapterOptions) {
    super();
    this.output = options.output;
    this.locale = options.locale;
    this.conversation = {
      id: options.conversationId ?? `terminal-${randomUUID().slice(0, 8)}`,
      isGroup: false,
      conversationType: 'personal',
      name: 'terminal',
    };
  }

  /** The conversation starts: the user joins, so the bot shows its welcome. */
  join(logic: BotLogic): Promise<void> {
    return this.receive({ type: ActivityTypes.ConversationUpdate, membersAdded: [USER] }, logic);
  }

  /**
   * One message from the user. A number that names a button of the last card
   * with buttons is that button's click; anything else is sent as text.
   */
  say(message: string, logic: BotLogic): Promise<void> {
    const click = this.buttonFor(message);
    if (click !== undefined) return this.receive({ type: ActivityTypes.Message, value: click }, logic);
    return this.receive({ type: ActivityTypes.Message, text: message, textFormat: 'plain' }, logic);
  }

  /** The data of button `message` ("1", "２", " 3 ") of the last card with buttons, if there is one. */
  buttonFor(message: string): unknown {
    const typed = message.normalize('NFKC').trim();
    if (!/^\d{1,2}$/.test(typed)) return undefined;
    return this.buttons[Number(typed) - 1];
  }

  /** Runs one turn; errors go to `onTurnError` (set it), as with the channel adapters. */
  private async receive(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    const incoming: Partial<Activity> = {
      ...activity,
      id: `user-${this.nextId++}`,
      channelId: TERMINAL_CHANNEL,
      conversation: this.conversation,
      from: USER,
      recipient: BOT,
      ...(this.locale ? { locale: this.locale } : {}),
      timestamp: new Date(),
    };
    const context = new TurnContext(this, incoming);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      responses.push({ id: `bot-${this.nextId++}` });
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
        continue;
      }
      if (activity.type !== ActivityTypes.Message) continue; // typing, trace, invoke responses: nothing to show
      this.show(activity);
    }
    return responses;
  }

  override async updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.output.write('(The bot changed an earlier message; it now reads:)\n');
    this.show(activity);
  }

  override async deleteActivity(): Promise<void> {
    this.output.write('(The bot deleted an earlier message.)\n\n');
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private show(activity: Partial<Activity>): void {
    const shown = activityText(activity);
    if (shown.buttons) this.buttons = shown.buttons;
    if (shown.text !== '') this.output.write(`${shown.text}\n\n`);
  }
}
