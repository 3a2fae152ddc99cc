/**
 * Wires the bot from its parts: state on a Storage, the core services, the
 * root dialog, and the turn-error handler that apologises with a reference id,
 * logs the error, and resets the conversation so it is never left stuck.
 */
import { ConversationState, UserState, type Storage, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, UserProfile } from '../domain/conversation/conversation-data';
import { defaultCurrentLibrary } from '../domain/knowledge/load-current';
import { defaultLibrary } from '../domain/knowledge/load-articles';
import { defaultMatcher } from '../domain/matching/load-signatures';
import { BOT_TEXTS } from '../domain/i18n/bot-texts';
import { languageOfLocale } from '../domain/i18n/localized';
import { MainDialog } from '../../dialogs/main-dialog';
import { newFlowId, type DialogServices } from '../../dialogs/dialog-services';
import { UNCONFIGURED_DESK, type HandoffDesk } from '../../dialogs/handoff-desk';
import { NO_INSIGHTS, type InsightsRecorder } from '../../dialogs/insights-recorder';
import { NO_FOLLOW_UPS, type FollowUpService } from '../../dialogs/follow-up-service';
import { describeError, type Logger } from '../logger';
import { TroubleshooterBot } from './troubleshooter-bot';
import type { ProactiveMessenger } from './proactive';
import { InProcessLock, type ConversationLock } from '../data-access/conversation-lock';
import { ConversationBusyError } from '../data-access/azure-blob-lock';
import { conversationTag, turnReference } from './turn-logging';
import type { ImageReader } from './images/image-turn';

export interface ComposedBot {
  bot: TroubleshooterBot;
  services: DialogServices;
  /** For the adapter's onTurnError. */
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

export interface BotExtras {
  handoff?: HandoffDesk;
  messenger?: ProactiveMessenger;
  /** Default: turns of a conversation queue in this process (enough for one instance). */
  lock?: ConversationLock;
  /** Where session milestones go; default: nowhere (the terminal chat). */
  insights?: InsightsRecorder;
  /** Asking later whether the next backup succeeded; default: off. */
  followUps?: FollowUpService;
  /** Reads pictures sent in messages (the composition root owns the OCR pool behind it); default: pictures are not read. */
  images?: ImageReader;
}

/** Without a messenger, proactive messages have nowhere to go (terminal chat, tests): they are logged. */
function loggingMessenger(logger: Logger): ProactiveMessenger {
  return { send: async () => logger.log('warn', 'proactive-message-dropped', { reason: 'no messenger' }) };
}

/** The parts of the conversation a helpdesk case is made of; undefined when there are none or state cannot be read. */
async function handoffDraftOf(services: DialogServices, context: TurnContext): Promise<Partial<ConversationData> | undefined> {
  try {
    const { walk, paste, transcript, session, handoffNote } = await services.conversationData.get(context, { flowId: newFlowId(), step: 0 });
    if (!walk && !paste) return undefined;
    return { ...(walk ? { walk } : {}), ...(paste ? { paste } : {}), ...(transcript ? { transcript } : {}), ...(session ? { session } : {}), ...(handoffNote ? { handoffNote } : {}) };
  } catch {
    return undefined;
  }
}

export function composeBot(storage: Storage, logger: Logger, extras: BotExtras = {}): ComposedBot {
  const handoff = extras.handoff ?? UNCONFIGURED_DESK;
  const messenger = extras.messenger ?? loggingMessenger(logger);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  // The current guidance (issue 12) is checked at start-up like the article: a broken file stops the bot here, not mid-walk.
  defaultCurrentLibrary();
  const services: DialogServices = {
    conversationData: conversationState.createProperty<ConversationData>('conversationData'),
    userProfile: userState.createProperty<UserProfile>('userProfile'),
    library: defaultLibrary(),
    matcher: defaultMatcher(),
    insights: extras.insights ?? NO_INSIGHTS,
    followUps: extras.followUps ?? NO_FOLLOW_UPS,
    handoff,
  };
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const bot = new TroubleshooterBot(conversationState, userState, new MainDialog(services), dialogState, services, storage, messenger, extras.lock ?? new InProcessLock(), extras.images);

  const onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    // The reference the turn got when it started (turn-logging.ts): the turn line, this line and the apology share it.
    const reference = turnReference(context);
    logger.log('error', 'turn-failed', {
      reference,
      channel: context.activity.channelId,
      conversation: conversationTag(context.activity.conversation?.id),
      activityType: context.activity.type,
      ...describeError(error),
    });
    const language = languageOfLocale(context.activity.locale) ?? 'en';
    try {
      // Another turn of this conversation holds the lock (another instance, or a slow store): its state is
      // not ours to reset. Anything else may have left the state half-written: reset it so nothing is stuck.
      if (error instanceof ConversationBusyError) {
        await context.sendActivity(BOT_TEXTS[language].busy(reference));
        return;
      }
      // What the user told the bot so far (the error, the causes tried, a note for the helpdesk) outlives the reset:
      // "helpdesk" right after the apology offers the same case instead of starting from nothing.
      const draft = await handoffDraftOf(services, context);
      await conversationState.delete(context);
      if (draft) await services.conversationData.set(context, { flowId: newFlowId(), step: 0, ...draft });
      await conversationState.saveChanges(context, true);
      await context.sendActivity(BOT_TEXTS[language].apology(reference));
    } catch (secondary) {
      logger.log('error', 'turn-error-handler-failed', { reference, ...describeError(secondary) });
    }
  };
  return { bot, services, onTurnError };
}
