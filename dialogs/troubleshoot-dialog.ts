/**
 * The walk through one error's causes: a waterfall that shows the cause on
 * screen, takes the answer, and either ends (fixed, exhausted, helpdesk) or
 * starts again on the next cause. The order comes from the core's walk.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { Language } from '../src/domain/knowledge/schema';
import { answerCause, currentCause, walkState } from '../src/domain/flow/walk';
import { causeAnswered, causeShown, followUpMoved } from '../src/domain/insights/session';
import { describeDelay, followUpOf } from '../src/domain/follow-up/follow-up';
import type { CardActionData } from '../src/domain/flow/card-action';
import { exhaustedCard, fixedCard } from '../src/domain/cards/index';
import { caseSummaryText } from '../src/domain/handoff/case-summary';
import { sendStandingCard } from './card-activity';
import { CARD_PROMPT, CardPrompt, type CardPromptOptions } from './card-prompt';
import { conversationDataOf, currentCardContext, languageOf, type DialogServices } from './dialog-services';
import { updateSession } from './session-milestones';

export const TROUBLESHOOT_DIALOG = 'troubleshoot';
const STEPS = 'troubleshoot-steps';

export type TroubleshootResult = { outcome: 'fixed' | 'exhausted' | 'helpdesk' };

export class TroubleshootDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(TROUBLESHOOT_DIALOG);
    this.addDialog(new CardPrompt(services));
    this.addDialog(new WaterfallDialog(STEPS, [this.showCause.bind(this), this.takeAnswer.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async showCause(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { walk } = await conversationDataOf(this.services, step.context);
    if (!walk) return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
    const causeId = currentCause(walk);
    if (causeId) await updateSession(this.services, step.context, (session) => causeShown(session, causeId));
    const options: CardPromptOptions = { card: { kind: 'cause', walk } };
    return step.prompt(CARD_PROMPT, options);
  }

  private async takeAnswer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as CardActionData;
    const data = await conversationDataOf(this.services, step.context);
    if (!data.walk || answer.action === 'helpdesk') return step.endDialog({ outcome: 'helpdesk' } satisfies TroubleshootResult);

    const language = await languageOf(this.services, step.context);
    const causeId = currentCause(data.walk);
    const given = answer.action === 'resolved' ? 'fixed' : 'still-failing';
    data.walk = answerCause(data.walk, given);
    if (causeId) await updateSession(this.services, step.context, (session) => causeAnswered(session, causeId, given));
    const state = walkState(data.walk);
    if (state === 'in-progress') return step.replaceDialog(STEPS);

    const ctx = await currentCardContext(this.services, step.context);
    const checkBackIn = state === 'fixed' ? await this.promiseFollowUp(step.context, language) : undefined;
    const card =
      state === 'fixed'
        ? fixedCard(ctx, data.walk, checkBackIn)
        : exhaustedCard(ctx, data.walk, caseSummaryText(this.services.library, { language, walk: data.walk, ...(data.paste ? { paste: data.paste } : {}) }));
    await sendStandingCard(step.context, this.services, card);
    return step.endDialog({ outcome: state } satisfies TroubleshootResult);
  }

  /** After "This fixed it": the bot will ask later whether the next backup succeeded. Answers the delay written out, or undefined when follow-ups are off. */
  private async promiseFollowUp(context: TurnContext, language: Language): Promise<string | undefined> {
    const { afterMs } = this.services.followUps;
    const data = await conversationDataOf(this.services, context);
    if (afterMs === null || !data.walk || !data.session) return undefined;
    await updateSession(this.services, context, (session) => followUpMoved(session, 'pending'));
    const followUp = followUpOf(data.walk, data.session, language, data.paste?.hints.identifiers.vmName);
    if (!followUp) return undefined;
    data.promisedFollowUp = { id: await this.services.followUps.promise(context, followUp), followUp };
    return describeDelay(afterMs, language);
  }
}
