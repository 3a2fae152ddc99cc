/**
 * Before the dialogs see a message with pictures: each picture (two at most)
 * is downloaded and read, and what was read joins the message's text, so the
 * dialogs classify it like a paste (kept shortened in state, redacted before
 * any handoff). A typing indicator runs meanwhile. When nothing could be read
 * the user hears why, in their language; a message that also had typed text
 * then goes on with that text.
 *
 * The pictures themselves live in memory for the turn and are never stored or logged.
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { appendTranscript } from '../../domain/conversation/transcript';
import { IMAGE_TEXTS, type ImageOutcome } from '../../domain/i18n/image-texts';
import { checkImage } from '../../domain/paste/ocr/image-format';
import { ImageReadError, type ReadImageText } from '../../domain/paste/ocr/read-image-text';
import { conversationDataOf, languageOf, type DialogServices } from '../../../dialogs/dialog-services';
import { markImageRead } from '../../../dialogs/image-read';
import { imageAttachmentsOf, type ImageAttachment } from './attachments';
import { connectorToken } from './connector-token';
import { downloadImage } from './download';

/** Teams shows "typing…" for about 3 seconds after each indicator. */
const TYPING_EVERY_MS = 3_000;

export interface ImageReader {
  read: ReadImageText;
  /** How the bot's token is had (default: the connector's credentials, connector-token.ts). */
  token?: (context: TurnContext) => Promise<string | undefined>;
}

type Reading = { ok: true; text: string } | { ok: false; outcome: ImageOutcome };

async function readOne(context: TurnContext, attachment: ImageAttachment, reader: ImageReader): Promise<Reading> {
  if (!attachment.readable) return { ok: false, outcome: 'unsupported' };
  const token = reader.token ?? connectorToken;
  const downloaded = await downloadImage(attachment, { serviceUrl: context.activity.serviceUrl, token: () => token(context) });
  if (!downloaded.ok) return { ok: false, outcome: downloaded.problem };
  const checked = checkImage(downloaded.bytes);
  if (!checked.ok) return { ok: false, outcome: checked.problem };
  try {
    const { text } = await reader.read(downloaded.bytes);
    return text.trim() === '' ? { ok: false, outcome: 'no-text' } : { ok: true, text };
  } catch (error) {
    return { ok: false, outcome: error instanceof ImageReadError ? error.problem : 'failed' };
  }
}

/** Sends "typing" now and every few seconds until `work` is done. */
async function whileTyping<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
  const typing = (): Promise<unknown> => context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
  await typing();
  const timer = setInterval(() => void typing(), TYPING_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Reads the turn's pictures into `activity.text`. Returns false when the turn
 * is answered here (nothing readable and nothing typed): the dialogs do not run.
 */
export async function readTurnImages(context: TurnContext, services: DialogServices, reader: ImageReader): Promise<boolean> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Message) return true;
  const attachments = imageAttachmentsOf(activity);
  if (attachments.length === 0) return true;

  const readings = await whileTyping(context, async () => {
    const done: Reading[] = [];
    // One after the other: the pool's other engine is for other conversations.
    for (const attachment of attachments) done.push(await readOne(context, attachment, reader));
    return done;
  });
  const texts = readings.flatMap((reading) => (reading.ok ? [reading.text] : []));
  const typed = (activity.text ?? '').trim();
  if (texts.length === 0) {
    const failed = readings.find((reading): reading is Extract<Reading, { ok: false }> => !reading.ok);
    await context.sendActivity(IMAGE_TEXTS[await languageOf(services, context)][failed?.outcome ?? 'no-text']);
    return typed !== '';
  }
  const read = texts.join('\n\n');
  activity.text = typed === '' ? read : `${typed}\n\n${read}`;
  markImageRead(context, { typed: typed !== '' });
  // The transcript took the typed words at the start of the turn; the helpdesk also sees what the picture said.
  const data = await conversationDataOf(services, context);
  data.transcript = appendTranscript(data.transcript, { from: 'user', text: `[image] ${read}`, at: new Date().toISOString() });
  return true;
}
