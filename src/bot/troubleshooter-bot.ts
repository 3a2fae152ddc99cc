/**
 * The ActivityHandler: greets each user once, runs the root dialog on every
 * message and saves state at the end of the turn. Everything it says comes
 * from the dialogs and the core.
 */
import { ActivityHandler, type Activity, type ConversationState, type StatePropertyAccessor, type Storage, type TurnContext, type UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { welcomeCard } from '../domain/cards/index';
import { sendStandingCard } from '../../dialogs/card-activity';
import { conversationDataOf, currentCardContext, type DialogServices } from '../../dialogs/dialog-services';
import type { MainDialog } from '../../dialogs/main-dialog';
import { answeredCardUpdate, cleanIncomingText, explainCutPaste, isTeams } from './teams-turn';
import { HANDOFF_STATUS_EVENT, onHandoffStatus, onTakeCase } from './handoff-events';
import type { ProactiveMessenger } from './proactive';
import type { ConversationLock } from '../data-access/conversation-lock';
import { recordTranscript } from './transcript-recorder';
import { showFollowUp, type FollowUpShown } from './follow-up-turn';
import type { FollowUpRef } from '../domain/conversation/conversation-data';
import { readTurnImages, type ImageReader } from './images/image-turn';

export class TroubleshooterBot extends ActivityHandler {
  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly dialog: MainDialog,
    private readonly dialogState: StatePropertyAccessor<DialogState>,
    private readonly services: DialogServices,
    private readonly storage: Storage,
    private readonly messenger: ProactiveMessenger,
    private readonly lock: ConversationLock,
    /** Reads pictures sent in a message; without it a picture-only message is asked for the text. */
    private readonly images?: ImageReader,
  ) {
    super();
    this.onEvent(async (context, next) => {
      if (context.activity.name === HANDOFF_STATUS_EVENT) await onHandoffStatus(context, this.services);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // Teams sends installationUpdate and conversationUpdate together on install, often at
      // the same moment: greeting on the first only keeps the welcome single.
      const newcomers = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient.id);
      if (newcomers.length > 0 && !isTeams(context)) {
        await this.welcome(context);
        await this.offerOpenFollowUp(context);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      if (await onTakeCase(context, this.storage, this.messenger, this.services.handoff.language)) return next();
      const { cutByTeams } = cleanIncomingText(context);
      if (cutByTeams) await explainCutPaste(context, this.services);
      // Text read from pictures joins the message's text; false: answered already (nothing readable, nothing typed).
      if (this.images && !(await readTurnImages(context, this.services, this.images))) return next();
      const answered = await answeredCardUpdate(context, this.services);
      await this.dialog.run(context, this.dialogState);
      if (answered) await this.updateAnsweredCard(context, answered);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const { channelId, conversation } = context.activity;
    // State is read and written inside the lock: no two turns of a conversation interleave.
    await this.lock.withLock(`${channelId}/${conversation?.id ?? ''}`, async () => {
      await recordTranscript(context, this.services);
      await super.run(context);
      await this.conversationState.saveChanges(context, false);
      await this.userState.saveChanges(context, false);
      await this.services.insights.flush(context);
    });
  }

  /**
   * The follow-up's proactive turn (a delivery that is due): the question goes on
   * screen under the conversation's lock, with the state saved as after a turn;
   * 'busy' when the user is in the middle of a walk (asked after it instead).
   */
  async askFollowUp(context: TurnContext, ref: FollowUpRef): Promise<FollowUpShown> {
    const { channelId, conversation } = context.activity;
    return this.lock.withLock(`${channelId}/${conversation?.id ?? ''}`, async () => {
      const shown = await showFollowUp(context, this.services, ref);
      await this.conversationState.saveChanges(context, false);
      await this.userState.saveChanges(context, false);
      await this.services.insights.flush(context);
      return shown;
    });
  }

  /** A user back in a new web chat conversation (the tab was closed): the question they have not answered yet. */
  private async offerOpenFollowUp(context: TurnContext): Promise<void> {
    const [newest] = await this.services.followUps.openFor(context);
    if (newest) await showFollowUp(context, this.services, newest);
  }

  /** The card stays as it was if the channel refuses the update: the turn itself went through. */
  private async updateAnsweredCard(context: TurnContext, update: Partial<Activity>): Promise<void> {
    try {
      await context.updateActivity(update);
    } catch {
      // Teams answers 404 for cards older than its edit window; nothing to repair.
    }
  }

  /**
   * Once per conversation (the flag in conversation state), whichever channel event comes
   * first: a web chat user who comes back opens a new conversation and is greeted again.
   */
  private async welcome(context: TurnContext): Promise<void> {
    const data = await conversationDataOf(this.services, context);
    if (data.welcomed) return;
    data.welcomed = true;
    await sendStandingCard(context, this.services, welcomeCard(await currentCardContext(this.services, context)));
  }
}
