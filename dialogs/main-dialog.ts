/**
 * The root dialog: wait for a paste → recognise the error → settle the guest
 * OS → walk the causes → back to waiting. It never ends on its own, so the
 * interruptions of its base apply on every turn.
 */
import { Dialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogContext, type DialogState, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { readCardAction, type CardActionData, type GuestOsChoice } from '../src/domain/flow/card-action';
import type { ErrorId } from '../src/domain/knowledge/schema';
import { startWalk, walkState, walkSteps } from '../src/domain/flow/walk';
import { engaged, recognised } from '../src/domain/insights/session';
import { resumedWalk, type FollowUp } from '../src/domain/follow-up/follow-up';
import { exhaustedCard } from '../src/domain/cards/index';
import { caseSummaryText } from '../src/domain/handoff/case-summary';
import { sendStandingCard } from './card-activity';
import type { HandoffReason } from '../src/domain/handoff/handoff-case';
import { HANDOFF_DIALOG, HandoffDialog, type HandoffOptions } from './handoff-dialog';
import type { CardButton } from '../src/domain/cards/rendered-card';
import { buttonForReply } from '../src/domain/conversation/typed-answer';
import { readReply } from '../src/domain/conversation/read-reply';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { CARD_PROMPT, CardPrompt, type CardPromptOptions } from './card-prompt';
import { conversationDataOf, languageOf, newFlowId, type DialogServices } from './dialog-services';
import { InterruptibleDialog } from './interruptible-dialog';
import { beginSession, updateSession } from './session-milestones';
import { RECOGNIZE_DIALOG, RecognizeDialog, type RecognizeOptions, type RecognizeResult } from './recognize-dialog';
import { TROUBLESHOOT_DIALOG, TroubleshootDialog, type TroubleshootResult } from './troubleshoot-dialog';

export const MAIN_DIALOG = 'main';
const STEPS = 'main-steps';

/** What the waterfall keeps between its steps. */
interface StepValues {
  category: ErrorId;
}

/**
 * Set to skip the wait: a paste typed mid-flow, a category chosen, "browse", a handoff to run first,
 * or a walk to resume after the follow-up heard "it failed again".
 */
export type MainOptions = Partial<{ paste: string; category: ErrorId; browse: 'browse'; handoff: HandoffReason; resume: FollowUp }>;

export class MainDialog extends InterruptibleDialog {
  constructor(services: DialogServices) {
    super(MAIN_DIALOG, services);
    this.addDialog(new CardPrompt(services));
    this.addDialog(new RecognizeDialog(services));
    this.addDialog(new TroubleshootDialog(services));
    this.addDialog(new HandoffDialog(services));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        this.waitForPaste.bind(this),
        this.recognize.bind(this),
        this.settleGuestOs.bind(this),
        this.troubleshoot.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  /** Runs one turn: starts the root dialog if needed (waiting for a paste), then continues it with the activity. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    if (!dc.activeDialog) await dc.beginDialog(this.id, {} satisfies MainOptions);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id, {} satisfies MainOptions);
  }

  protected async restart(innerDc: DialogContext, options: MainOptions): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    // A new flow: every card shown so far becomes stale.
    const data = await conversationDataOf(this.services, innerDc.context);
    data.flowId = newFlowId();
    data.live = undefined;
    data.walk = undefined;
    data.pendingSwitch = undefined;
    return innerDc.beginDialog(STEPS, options);
  }

  private async waitForPaste(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as MainOptions;
    const data = await conversationDataOf(this.services, step.context);
    if (options.handoff) return step.beginDialog(HANDOFF_DIALOG, { reason: options.handoff } satisfies HandoffOptions);
    if (options.resume) return this.resume(step, options.resume);
    if (options.paste !== undefined || options.category || options.browse) {
      data.awaiting = undefined;
      return step.next(options);
    }
    data.awaiting = 'paste';
    return Dialog.EndOfTurn;
  }

  private async recognize(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // After a wait, the waterfall hands this step the activity's text; options come as an object.
    const data = await conversationDataOf(this.services, step.context);
    // Back from a handoff, or from a resumed walk: the walk's own ending decides what comes next.
    const options = step.options as MainOptions | undefined;
    if (options?.handoff) return step.replaceDialog(STEPS, {} satisfies MainOptions);
    if (options?.resume) return this.finish(step);
    const request = toRecognizeOptions(
      typeof step.result === 'object' && step.result !== null ? (step.result as MainOptions) : readIntake(step.context, data.live?.buttons ?? []),
    );
    data.awaiting = undefined;
    if (!request) {
      await step.context.sendActivity(BOT_TEXTS[await languageOf(this.services, step.context)].askPaste);
      return step.replaceDialog(STEPS, {} satisfies MainOptions);
    }
    // A new flow: buttons of cards from the previous one become stale.
    data.flowId = newFlowId();
    data.walk = undefined;
    data.paste = undefined;
    return step.beginDialog(RECOGNIZE_DIALOG, request);
  }

  private async settleGuestOs(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as RecognizeResult;
    if ('helpdesk' in result) return step.replaceDialog(STEPS, { handoff: 'not-covered' } satisfies MainOptions);
    if ('retry' in result) return step.replaceDialog(STEPS, {} satisfies MainOptions);
    (step.values as StepValues).category = result.category;
    if (result.hints?.guestOs) return step.next({ os: result.hints.guestOs });
    const options: CardPromptOptions = { card: { kind: 'choose-os', category: result.category } };
    return step.prompt(CARD_PROMPT, options);
  }

  private async troubleshoot(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const os: GuestOsChoice = (step.result as Pick<CardActionData, 'os'>).os ?? 'unknown';
    const language = await languageOf(this.services, step.context);
    const data = await conversationDataOf(this.services, step.context);
    data.walk = startWalk(this.services.library[language], (step.values as StepValues).category, os);
    await updateSession(this.services, step.context, (session) => engaged(session, os));
    return step.beginDialog(TROUBLESHOOT_DIALOG);
  }

  /**
   * "No, it failed again": a new session goes on at the cause after the one that seemed
   * to fix it; after the last cause, the summary and the helpdesk offer, as any walk.
   */
  private async resume(step: WaterfallStepContext, followUp: FollowUp): Promise<DialogTurnResult> {
    const language = await languageOf(this.services, step.context);
    const data = await conversationDataOf(this.services, step.context);
    data.awaiting = undefined;
    data.walk = resumedWalk(followUp);
    await beginSession(this.services, step.context, 'follow-up');
    await updateSession(this.services, step.context, (session) => engaged(recognised(session, followUp.category, followUp.session.how ?? 'chosen'), followUp.os));
    const texts = BOT_TEXTS[language];
    if (walkState(data.walk) === 'exhausted') {
      await step.context.sendActivity(texts.followUpReopenedLast);
      const summary = caseSummaryText(this.services.library, { language, walk: data.walk, ...(data.paste ? { paste: data.paste } : {}) });
      await sendStandingCard(step.context, this.services, exhaustedCard({ language, flowId: data.flowId, step: data.step }, data.walk, summary));
      return step.replaceDialog(STEPS, {} satisfies MainOptions);
    }
    // Counted within the article's causes, or within the current article's checks once past them (issue 12).
    const { position, causes } = data.walk;
    const inChecks = position >= causes.length;
    await step.context.sendActivity(
      inChecks ? texts.followUpReopenedCheck(position - causes.length + 1, walkSteps(data.walk).length - causes.length) : texts.followUpReopened(position + 1, causes.length),
    );
    return step.beginDialog(TROUBLESHOOT_DIALOG);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { outcome } = step.result as TroubleshootResult;
    return step.replaceDialog(STEPS, (outcome === 'helpdesk' ? { handoff: 'user-request' } : {}) satisfies MainOptions);
  }

  /** "Talk to the helpdesk" at any time: the walk and paste stay, for the case. */
  protected async handOff(innerDc: DialogContext): Promise<DialogTurnResult> {
    const data = await conversationDataOf(this.services, innerDc.context);
    await innerDc.cancelAllDialogs();
    const reason: HandoffReason = data.walk ? (walkState(data.walk) === 'exhausted' ? 'exhausted' : 'user-request') : data.paste?.category ? 'user-request' : 'not-covered';
    return innerDc.beginDialog(STEPS, { handoff: reason } satisfies MainOptions);
  }
}

/** What the user sent while the bot waited: a paste, or a click (or its typed number) on "browse" / an error. */
function readIntake(context: TurnContext, liveButtons: readonly CardButton[]): MainOptions {
  const text = context.activity.text ?? '';
  const chosen = readCardAction(context.activity.value) ?? buttonForReply(readReply(text), liveButtons);
  if (chosen?.action === 'browse' || chosen?.action === 'none-of-these') return { browse: 'browse' };
  if (chosen?.action === 'choose-category' && chosen.category) return { category: chosen.category };
  return { paste: text };
}

function toRecognizeOptions(options: MainOptions): RecognizeOptions | undefined {
  if (options.category) return { category: options.category };
  if (options.browse) return { browse: options.browse };
  if (options.paste !== undefined && options.paste.trim() !== '') return { paste: options.paste };
  return undefined;
}
