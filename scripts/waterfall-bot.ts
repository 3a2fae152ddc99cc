/**
 * The second baseline of the turn benchmark: a bare two-step WaterfallDialog on
 * MemoryStorage, on the same stack as the echo bot (turn-bench/baseline-server.ts).
 * It shows what dialogs and state cost by themselves: the real bot's turn can
 * hardly be cheaper than this one's.
 */
import { ActivityHandler, ConversationState, MemoryStorage, UserState, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type WaterfallStepContext } from 'botbuilder-dialogs';
import { serveBaseline, type RunningBaseline } from './turn-bench/baseline-server';

const STEPS = 'steps';

export class WaterfallBot extends ActivityHandler {
  private readonly storage = new MemoryStorage();
  private readonly conversationState = new ConversationState(this.storage);
  private readonly userState = new UserState(this.storage);
  private readonly dialogs: DialogSet;

  constructor() {
    super();
    const dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    const seen = this.userState.createProperty<number>('seen');
    this.dialogs = new DialogSet(dialogState).add(
      new WaterfallDialog(STEPS, [
        async (step: WaterfallStepContext) => {
          await seen.set(step.context, ((await seen.get(step.context, 0)) ?? 0) + 1);
          await step.context.sendActivity(`Step 1: ${step.context.activity.text ?? ''}`);
          return step.next();
        },
        async (step: WaterfallStepContext) => {
          await step.context.sendActivity('Step 2');
          return step.endDialog();
        },
      ]),
    );
    this.onMessage(async (context, next) => {
      const dc = await this.dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(STEPS);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}

export function startWaterfallBot(port = 0, host = '127.0.0.1'): Promise<RunningBaseline> {
  const bot = new WaterfallBot();
  return serveBaseline('waterfall bot', (context) => bot.run(context), port, host);
}
