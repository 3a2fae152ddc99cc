/**
 * Hands the case to the helpdesk: shows the user what will be sent (secrets
 * and personal data already masked), takes a note (typed on the card or as a
 * message), and sends it on "Send". With no helpdesk configured, the user gets
 * the summary to copy and where to send it.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { CardActionData } from '../src/domain/flow/card-action';
import type { HandoffReason } from '../src/domain/handoff/handoff-case';
import { buildHandoffCase } from '../src/domain/handoff/build-case';
import { escalated } from '../src/domain/insights/session';
import { HANDOFF_TEXTS } from '../src/domain/i18n/handoff-texts';
import { CARD_PROMPT, CardPrompt, type CardPromptOptions } from './card-prompt';
import { sendCaseSummary } from './case-summary-message';
import { conversationDataOf, languageOf, type DialogServices } from './dialog-services';
import { updateSession } from './session-milestones';

export const HANDOFF_DIALOG = 'handoff';
const STEPS = 'handoff-steps';

export interface HandoffOptions {
  reason: HandoffReason;
  /** Kept across re-shows of the preview, so the case keeps its id (the helpdesk's idempotency key). */
  caseId?: string;
  note?: string;
}

export class HandoffDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(HANDOFF_DIALOG);
    this.addDialog(new CardPrompt(services));
    this.addDialog(new WaterfallDialog(STEPS, [this.preview.bind(this), this.decide.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async preview(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffOptions;
    if (!this.services.handoff.configured) {
      const language = await languageOf(this.services, step.context);
      await sendCaseSummary(step.context, this.services);
      await step.context.sendActivity(HANDOFF_TEXTS[language].messages.noHelpdesk(this.services.handoff.contact));
      return step.endDialog();
    }
    const handoffCase = await this.caseFor(step.context, options);
    const prompt: CardPromptOptions = { card: { kind: 'case-preview', handoffCase }, acceptsText: true };
    return step.prompt(CARD_PROMPT, prompt);
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffOptions;
    const choice = step.result as CardActionData;
    const texts = HANDOFF_TEXTS[await languageOf(this.services, step.context)].messages;
    const data = await conversationDataOf(this.services, step.context);
    if (choice.action === 'add-note') {
      if (choice.note) data.handoffNote = choice.note;
      await step.context.sendActivity(texts.noteAdded);
      return step.replaceDialog(STEPS, { ...options, note: choice.note } satisfies HandoffOptions);
    }
    if (choice.action !== 'send-case') {
      data.handoffNote = undefined;
      await step.context.sendActivity(texts.cancelled);
      return step.endDialog();
    }
    const note = choice.note?.trim() || options.note;
    const handoffCase = await this.caseFor(step.context, { ...options, ...(note ? { note } : {}) });
    const result = await this.services.handoff.submit(step.context, handoffCase);
    data.handoffNote = undefined;
    if (result.queued) await step.context.sendActivity(texts.queued);
    if (result.channelQueued) await step.context.sendActivity(texts.channelQueued);
    if (result.agentNotified) await step.context.sendActivity(texts.agentConnecting);
    await updateSession(this.services, step.context, (session) => escalated(session));
    return step.endDialog();
  }

  private async caseFor(context: TurnContext, options: HandoffOptions) {
    const data = await conversationDataOf(this.services, context);
    const handoffCase = buildHandoffCase(this.services.library, {
      language: await languageOf(this.services, context),
      channelId: context.activity.channelId,
      reason: options.reason,
      transcript: data.transcript ?? [],
      ...(data.walk ? { walk: data.walk } : {}),
      ...(data.paste ? { paste: data.paste } : {}),
      ...((options.note ?? data.handoffNote) ? { note: options.note ?? data.handoffNote } : {}),
      ...(options.caseId ? { caseId: options.caseId } : {}),
    });
    options.caseId = handoffCase.caseId;
    return handoffCase;
  }
}
