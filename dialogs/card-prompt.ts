/**
 * A prompt whose question is an Adaptive Card. It answers with the button the
 * user clicked, or the button a typed answer stands for ("1", "yes", 「次」).
 * Each time it shows its card it takes the next step number, so clicks on any
 * earlier copy are recognised as stale by the interruption layer.
 */
import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import { readCardAction, type CardActionData } from '../src/domain/flow/card-action';
import { renderPromptCard, type PromptCard } from '../src/domain/cards/prompt-cards';
import { buttonForReply } from '../src/domain/conversation/typed-answer';
import { liveCardOf } from '../src/domain/conversation/conversation-data';
import { readReply } from '../src/domain/conversation/read-reply';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { cardActivity } from './card-activity';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';

export interface CardPromptOptions extends PromptOptions {
  card: PromptCard;
  /** Free text that is no answer to a button becomes an `add-note` answer carrying it. */
  acceptsText?: boolean;
}

export const CARD_PROMPT = 'card-prompt';

export class CardPrompt extends Prompt<CardActionData> {
  constructor(private readonly services: DialogServices, dialogId = CARD_PROMPT) {
    super(dialogId);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const language = await languageOf(this.services, context);
    if (isRetry) {
      // The card is still on screen; repeating it would only push it out of sight.
      await context.sendActivity(BOT_TEXTS[language].notUnderstood);
      return;
    }
    const data = await conversationDataOf(this.services, context);
    data.step += 1;
    const rendered = renderPromptCard((options as CardPromptOptions).card, { language, flowId: data.flowId, step: data.step });
    // A prompt waits for its answer: a follow-up question must not come in between (follow-up-turn.ts).
    const live = { ...liveCardOf(rendered, data.flowId, data.step), awaitsAnswer: true };
    if ((options as CardPromptOptions).acceptsText) live.acceptsText = true;
    data.live = live;
    const sent = await context.sendActivity(cardActivity(rendered, true));
    if (sent?.id) live.activityId = sent.id;
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<CardActionData>> {
    const { live } = await conversationDataOf(this.services, context);
    if (!live) return { succeeded: false };
    const clicked = readCardAction(context.activity.value);
    if (clicked) {
      const onThisCard = clicked.flowId === live.flowId && clicked.step === live.step && live.buttons.some((button) => sameButton(button.data, clicked));
      return onThisCard ? { succeeded: true, value: clicked } : { succeeded: false };
    }
    const text = typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    const typed = text ? buttonForReply(readReply(text), live.buttons) : undefined;
    if (typed) return { succeeded: true, value: typed };
    if (live.acceptsText && text) return { succeeded: true, value: { action: 'add-note', flowId: live.flowId, step: live.step, note: text.slice(0, 2000) } };
    return { succeeded: false };
  }
}

function sameButton(a: CardActionData, b: CardActionData): boolean {
  return a.action === b.action && a.category === b.category && a.causeId === b.causeId && a.os === b.os && a.language === b.language;
}
