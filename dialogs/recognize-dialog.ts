/**
 * From a paste (or a wish to browse) to one of the five errors: matched goes
 * straight on with a card naming the error and the evidence; ambiguous asks
 * "Did you mean"; none says so plainly and offers the five and the helpdesk.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { CardActionData } from '../src/domain/flow/card-action';
import type { ErrorId } from '../src/domain/knowledge/schema';
import type { Hints } from '../src/domain/matching/hints';
import { otherErrorOf } from '../src/domain/matching/other-error';
import type { OtherErrorCode } from '../src/domain/knowledge/current-schema';
import { checkText, MAX_PASTE_BYTES } from '../src/domain/paste/decode-paste';
import { recognisedCard } from '../src/domain/cards/index';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { sendStandingCard } from './card-activity';
import { CARD_PROMPT, CardPrompt, type CardPromptOptions } from './card-prompt';
import { conversationDataOf, currentCardContext, languageOf, type DialogServices } from './dialog-services';
import { recognised, unrecognised } from '../src/domain/insights/session';
import { imageReadOf } from './image-read';
import { beginSession, recognisedHow, updateSession } from './session-milestones';

export const RECOGNIZE_DIALOG = 'recognize';
const STEPS = 'recognize-steps';

/** How much of a paste is kept in conversation state for the helpdesk (the matcher reads all of it). */
export const KEPT_PASTE_CHARS = 4_000;

export type RecognizeOptions =
  | { paste: string }
  | { category: ErrorId }
  | { browse: 'browse' | 'none-of-these' };

export type RecognizeResult = { category: ErrorId; hints?: Hints } | { helpdesk: true } | { retry: true };

export class RecognizeDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(RECOGNIZE_DIALOG);
    this.addDialog(new CardPrompt(services));
    this.addDialog(new WaterfallDialog(STEPS, [this.classify.bind(this), this.takeChoice.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async classify(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as RecognizeOptions;
    await beginSession(this.services, step.context, 'paste' in options ? (imageReadOf(step.context) ? 'image' : 'text') : 'browse');
    if ('category' in options) {
      await updateSession(this.services, step.context, (session) => recognised(session, options.category, 'chosen'));
      return step.endDialog({ category: options.category } satisfies RecognizeResult);
    }
    if ('browse' in options) return this.ask(step, { kind: 'error-choice', reason: options.browse });

    const language = await languageOf(this.services, step.context);
    const checked = checkText(options.paste);
    if (!checked.ok) {
      await step.context.sendActivity(BOT_TEXTS[language].pasteProblem(checked.problem, Math.round(MAX_PASTE_BYTES / 1024)));
      return step.endDialog({ retry: true } satisfies RecognizeResult);
    }
    const result = this.services.matcher.classify(checked.text);
    await this.rememberPaste(step.context, checked.text, result.hints, result.category ?? undefined, otherErrorOf(result));
    if (result.status === 'matched' && result.category) {
      const category = result.category;
      await updateSession(this.services, step.context, (session) => recognised(session, category, recognisedHow(result, category)));
      const image = imageReadOf(step.context);
      const card = recognisedCard(await currentCardContext(this.services, step.context), result, image ? { image } : undefined);
      await sendStandingCard(step.context, this.services, card);
      return step.endDialog({ category: result.category, hints: result.hints } satisfies RecognizeResult);
    }
    if (result.status === 'ambiguous') return this.ask(step, { kind: 'did-you-mean', candidates: result.candidates });
    await updateSession(this.services, step.context, (session) => unrecognised(session));
    this.services.insights.unrecognisedText(step.context, checked.text);
    // An error of the current article outside the five is named and linked, not just "none" (issue 12).
    const other = otherErrorOf(result);
    if (other) return this.ask(step, { kind: 'other-error', code: other });
    return this.ask(step, { kind: 'error-choice', reason: 'not-covered' });
  }

  private async takeChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = step.result as CardActionData;
    const data = await conversationDataOf(this.services, step.context);
    switch (choice.action) {
      case 'choose-category': {
        if (!choice.category) break;
        const category = choice.category;
        if (data.paste) data.paste.category = category;
        await updateSession(this.services, step.context, (session) => recognised(session, category, 'chosen'));
        return step.endDialog({ category, ...(data.paste ? { hints: data.paste.hints } : {}) } satisfies RecognizeResult);
      }
      case 'none-of-these':
        await updateSession(this.services, step.context, (session) => unrecognised(session));
        return step.replaceDialog(STEPS, { browse: 'none-of-these' } satisfies RecognizeOptions);
      case 'browse':
        return step.replaceDialog(STEPS, { browse: 'browse' } satisfies RecognizeOptions);
      case 'helpdesk':
        return step.endDialog({ helpdesk: true } satisfies RecognizeResult);
      default:
        break;
    }
    return step.endDialog({ retry: true } satisfies RecognizeResult);
  }

  private ask(step: WaterfallStepContext, card: CardPromptOptions['card']): Promise<DialogTurnResult> {
    const options: CardPromptOptions = { card };
    return step.prompt(CARD_PROMPT, options);
  }

  /** The paste is kept for the helpdesk; its language counts until the user picks one. */
  private async rememberPaste(context: TurnContext, text: string, hints: Hints, category: ErrorId | undefined, otherError: OtherErrorCode | undefined): Promise<void> {
    const data = await conversationDataOf(this.services, context);
    data.paste = { text: text.slice(0, KEPT_PASTE_CHARS), hints, ...(category ? { category } : {}), ...(otherError ? { otherError } : {}), at: new Date().toISOString() };
    const profile = await this.services.userProfile.get(context, {});
    if (!profile.chosenLanguage) profile.detectedLanguage = hints.language;
  }
}
