/**
 * The third baseline of the turn benchmark, the floor: the work the bot's
 * paste-to-first-cause turn cannot do without, done straight in an
 * ActivityHandler with no dialog, no lock, no insights and no follow-ups. It
 * reads conversation and user state from the same SQLite storage, writes the
 * user's line into the transcript, classifies the paste, keeps it, starts the
 * walk and sends the same two cards the bot sends (recognised, first cause),
 * then saves both states. Its turns/s is what the real bot could reach if
 * everything it does beyond that cost nothing: a target above it cannot be met
 * by making the bot's own layers cheaper.
 */
import { ActivityHandler, ConversationState, UserState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { SqliteStorage } from '../src/data-access/sqlite-storage';
import { causeCard, recognisedCard } from '../src/domain/cards/index';
import type { RenderedCard } from '../src/domain/cards/rendered-card';
import { liveCardOf, type ConversationData, type UserProfile } from '../src/domain/conversation/conversation-data';
import { appendTranscript } from '../src/domain/conversation/transcript';
import { startWalk } from '../src/domain/flow/walk';
import { languageOfLocale } from '../src/domain/i18n/localized';
import { defaultLibrary } from '../src/domain/knowledge/load-articles';
import { defaultMatcher } from '../src/domain/matching/load-signatures';
import { cardActivity } from '../dialogs/card-activity';
import { newFlowId } from '../dialogs/dialog-services';
import { KEPT_PASTE_CHARS } from '../dialogs/recognize-dialog';
import { serveBaseline, type RunningBaseline } from './turn-bench/baseline-server';
import { temporarySqliteStorage } from './turn-bench/temporary-storage';

export class FloorBot extends ActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly userState: UserState;
  private readonly conversationData: StatePropertyAccessor<ConversationData>;
  private readonly userProfile: StatePropertyAccessor<UserProfile>;
  private readonly library = defaultLibrary();
  private readonly matcher = defaultMatcher();

  constructor(storage: SqliteStorage) {
    super();
    this.conversationState = new ConversationState(storage);
    this.userState = new UserState(storage);
    this.conversationData = this.conversationState.createProperty<ConversationData>('conversationData');
    this.userProfile = this.userState.createProperty<UserProfile>('userProfile');
    this.onMessage(async (context, next) => {
      await this.firstCause(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /** Every paste of the benchmark names a recognisable error and its guest OS: no question in between. */
  private async firstCause(context: TurnContext): Promise<void> {
    const data = await this.conversationData.get(context, { flowId: newFlowId(), step: 0 });
    const profile = await this.userProfile.get(context, {});
    const text = context.activity.text ?? '';
    data.transcript = appendTranscript(data.transcript, { from: 'user', text, at: new Date().toISOString() });
    const result = this.matcher.classify(text);
    if (!result.category) throw new Error(`the floor bot takes recognisable pastes only: "${text.slice(0, 80)}"`);
    const language = profile.chosenLanguage ?? languageOfLocale(context.activity.locale) ?? result.hints.language;
    profile.detectedLanguage = result.hints.language;
    data.paste = { text: text.slice(0, KEPT_PASTE_CHARS), hints: result.hints, category: result.category, at: new Date().toISOString() };
    data.walk = startWalk(this.library[language], result.category, result.hints.guestOs ?? 'unknown');
    await this.send(context, data, recognisedCard({ language, flowId: data.flowId, step: data.step }, result), false);
    data.step += 1;
    await this.send(context, data, causeCard({ language, flowId: data.flowId, step: data.step }, data.walk), true);
  }

  /** As the bot sends them: the recognised card stands, the cause card waits for an answer. */
  private async send(context: TurnContext, data: ConversationData, card: RenderedCard, expectingInput: boolean): Promise<void> {
    data.live = liveCardOf(card, data.flowId, data.step);
    await context.sendActivity(cardActivity(card, expectingInput));
  }
}

/** The floor bot on a SQLite file of its own in a temporary folder, removed on close. */
export async function startFloorBot(port = 0, host = '127.0.0.1'): Promise<RunningBaseline> {
  const { storage, remove } = temporarySqliteStorage('floor-bot-');
  const bot = new FloorBot(storage);
  const running = await serveBaseline('floor bot', (context) => bot.run(context), port, host);
  return {
    url: running.url,
    close: async () => {
      await running.close();
      remove();
    },
  };
}
