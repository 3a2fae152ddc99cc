/**
 * The base of the root dialog: before the active step sees a message, it
 * handles what may come at any time — help, start over, cancel, helpdesk, a
 * language switch, a click on an old card, and a new paste in the middle of a
 * walk (asks whether to switch). Everything else goes on to the active step.
 */
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { readCardAction, type CardActionData } from '../src/domain/flow/card-action';
import { readReply, type Reply } from '../src/domain/conversation/read-reply';
import { buttonForReply } from '../src/domain/conversation/typed-answer';
import { liveCardOf } from '../src/domain/conversation/conversation-data';
import { helpCard, switchErrorCard, welcomeCard } from '../src/domain/cards/index';
import { walkState } from '../src/domain/flow/walk';
import type { Language } from '../src/domain/knowledge/schema';
import { BOT_TEXTS } from '../src/domain/i18n/bot-texts';
import { cardActivity, sendStandingCard } from './card-activity';
import { imageReadOf, markImageRead } from './image-read';
import { recordAbandoned } from './case-summary-message';
import { conversationDataOf, currentCardContext, languageOf, type DialogServices } from './dialog-services';
import { answerFollowUp, FOLLOW_UP_ACTIONS } from './follow-up-answers';

/** Actions any card may carry, handled here whatever step is active (the follow-up's answers too: they come at any time). */
const GLOBAL_ACTIONS = new Set(['start-over', 'helpdesk', 'set-language', 'switch-error', 'keep-error', ...FOLLOW_UP_ACTIONS]);

export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(dialogId: string, protected readonly services: DialogServices) {
    super(dialogId);
  }

  /** Back to waiting for a paste, with `options` for the first step. */
  protected abstract restart(innerDc: DialogContext, options: object): Promise<DialogTurnResult>;

  /** To the helpdesk, keeping what was learned. */
  protected abstract handOff(innerDc: DialogContext): Promise<DialogTurnResult>;

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = innerDc.context;
    if (activity.type !== 'message') return super.onContinueDialog(innerDc);
    const data = await conversationDataOf(this.services, innerDc.context);
    const language = await languageOf(this.services, innerDc.context);

    if (activity.value !== undefined && activity.value !== null) {
      const clicked = readCardAction(activity.value);
      if (!clicked) return this.say(innerDc, BOT_TEXTS[language].unknownButton);
      if (clicked.flowId !== data.flowId || clicked.step !== data.step) return this.say(innerDc, BOT_TEXTS[language].staleClick);
      if (GLOBAL_ACTIONS.has(clicked.action)) return this.onGlobalAction(innerDc, clicked);
      return super.onContinueDialog(innerDc);
    }

    const reply = readReply(activity.text ?? '');
    if (reply.kind === 'command') return this.onCommand(innerDc, reply.command);
    if (reply.kind === 'language') return this.switchLanguage(innerDc, reply.language);
    const typed = buttonForReply(reply, data.live?.buttons ?? []);
    if (typed && GLOBAL_ACTIONS.has(typed.action)) return this.onGlobalAction(innerDc, typed);
    if (typed || data.awaiting === 'paste' || data.live?.acceptsText) return super.onContinueDialog(innerDc);
    return this.onFreeText(innerDc, reply);
  }

  private async onCommand(innerDc: DialogContext, command: 'help' | 'start-over' | 'cancel' | 'helpdesk'): Promise<DialogTurnResult> {
    const language = await languageOf(this.services, innerDc.context);
    switch (command) {
      case 'help':
        await innerDc.context.sendActivity(cardActivity(helpCard(await currentCardContext(this.services, innerDc.context)), false));
        return Dialog.EndOfTurn;
      case 'cancel':
        await recordAbandoned(innerDc.context, this.services);
        await innerDc.context.sendActivity(BOT_TEXTS[language].cancelled);
        return this.restart(innerDc, {});
      case 'start-over':
        await recordAbandoned(innerDc.context, this.services);
        await innerDc.context.sendActivity(`${BOT_TEXTS[language].startOver} ${BOT_TEXTS[language].askPaste}`);
        return this.restart(innerDc, {});
      case 'helpdesk':
        return this.handOff(innerDc);
    }
  }

  private async onGlobalAction(innerDc: DialogContext, action: CardActionData): Promise<DialogTurnResult> {
    const data = await conversationDataOf(this.services, innerDc.context);
    if (FOLLOW_UP_ACTIONS.has(action.action)) {
      const resume = await answerFollowUp(this.services, innerDc.context, action.action);
      if (resume) {
        await recordAbandoned(innerDc.context, this.services);
        return this.restart(innerDc, { resume });
      }
      return Dialog.EndOfTurn;
    }
    switch (action.action) {
      case 'start-over':
        return this.onCommand(innerDc, 'start-over');
      case 'helpdesk':
        return this.onCommand(innerDc, 'helpdesk');
      case 'set-language':
        return this.switchLanguage(innerDc, action.language ?? 'en');
      case 'switch-error': {
        const paste = data.pendingSwitch?.paste;
        // The recognised card of the switch says the text came from the screenshot, as it would have at once.
        if (data.pendingSwitch?.image) markImageRead(innerDc.context, data.pendingSwitch.image);
        data.pendingSwitch = undefined;
        await recordAbandoned(innerDc.context, this.services);
        return this.restart(innerDc, paste ? { paste } : action.category ? { category: action.category } : {});
      }
      default: {
        // keep-error: back to the cause on screen, shown again with a fresh stamp.
        data.pendingSwitch = undefined;
        if (data.walk) {
          const language = await languageOf(this.services, innerDc.context);
          await innerDc.context.sendActivity(BOT_TEXTS[language].keepGoing(this.services.library[language].error(data.walk.category).title));
        }
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
    }
  }

  private async switchLanguage(innerDc: DialogContext, language: Language): Promise<DialogTurnResult> {
    const profile = await this.services.userProfile.get(innerDc.context, {});
    profile.chosenLanguage = language;
    await innerDc.context.sendActivity(BOT_TEXTS[language].languageSwitched);
    // The card on screen is shown again in the new language (with a fresh stamp). While the bot waits for a
    // paste, no card waits for an answer: the welcome is shown (a Teams user whose client is in English picks
    // 日本語 on it and gets it in Japanese).
    const waitingForPaste = (await conversationDataOf(this.services, innerDc.context)).awaiting === 'paste';
    if (waitingForPaste || !innerDc.activeDialog) {
      await sendStandingCard(innerDc.context, this.services, welcomeCard(await currentCardContext(this.services, innerDc.context)));
    } else await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  /**
   * Text that is neither a command nor an answer to the card on screen: if it
   * is another error, offer to switch (mid-walk) or simply start on it.
   */
  private async onFreeText(innerDc: DialogContext, reply: Reply): Promise<DialogTurnResult> {
    if (reply.kind !== 'text') return super.onContinueDialog(innerDc);
    const data = await conversationDataOf(this.services, innerDc.context);
    const result = this.services.matcher.classify(reply.text);
    if (result.status === 'none') return super.onContinueDialog(innerDc);
    const next = result.category ?? result.candidates[0]?.category;
    if (!data.walk || walkState(data.walk) !== 'in-progress') {
      await recordAbandoned(innerDc.context, this.services);
      return this.restart(innerDc, { paste: reply.text });
    }
    if (next === undefined || (result.status === 'matched' && next === data.walk.category)) return super.onContinueDialog(innerDc);

    const ctx = await currentCardContext(this.services, innerDc.context);
    data.step += 1;
    const image = imageReadOf(innerDc.context);
    const card = switchErrorCard({ ...ctx, step: data.step }, data.walk.category, next, image ? { image } : undefined);
    const live = liveCardOf(card, data.flowId, data.step);
    data.live = live;
    data.pendingSwitch = { paste: reply.text, category: next, ...(image ? { image } : {}) };
    const sent = await innerDc.context.sendActivity(cardActivity(card, true));
    if (sent?.id) live.activityId = sent.id;
    return Dialog.EndOfTurn;
  }

  private async say(innerDc: DialogContext, text: string): Promise<DialogTurnResult> {
    await innerDc.context.sendActivity(text);
    return Dialog.EndOfTurn;
  }
}
