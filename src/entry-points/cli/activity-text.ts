/**
 * What the terminal shows for a bot activity: message text as it is, and an
 * Adaptive Card as its plain-text rendering (the card's `fallbackText`, which
 * cards/render.ts fills with the text and the numbered buttons) together with
 * the data of its Action.Submit buttons, in the same order, so that a typed
 * number can be sent as the click on that button.
 */
import { CardFactory, type Activity, type Attachment } from 'botbuilder';
import type { AdaptiveCardJson, CardElement } from '../../domain/cards/rendered-card';

export interface ActivityText {
  /** What to print; empty when the activity shows nothing. */
  text: string;
  /** The `data` of each Action.Submit of the activity's last card with buttons, numbered 1..n; undefined if none. */
  buttons?: unknown[];
}

interface TitledButton {
  title: string;
  /** Sent as the activity's `value`, as a channel does on a click. */
  data: unknown;
}

function isElement(value: unknown): value is CardElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as CardElement).type === 'string';
}

/** Elements in the order a host shows them: depth-first, the same walk as cards/render.ts numbers the buttons in. */
function* walk(value: unknown): Generator<CardElement> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
    return;
  }
  if (!isElement(value)) return;
  yield value;
  for (const key of ['items', 'columns', 'actions', 'selectAction', 'card']) {
    if (key in value) yield* walk(value[key]);
  }
}

function submitButtons(card: AdaptiveCardJson): TitledButton[] {
  const buttons: TitledButton[] = [];
  for (const element of [...walk(card.body), ...walk(card.actions ?? [])]) {
    if (element.type !== 'Action.Submit') continue;
    // Whatever the data is, the click sends it: the bot, not the terminal, judges it.
    buttons.push({ title: String(element['title'] ?? ''), data: element['data'] ?? {} });
  }
  return buttons;
}

function numberedButtons(buttons: readonly TitledButton[]): string {
  return buttons.map((button, index) => `${index + 1}. ${button.title}`).join('\n');
}

/** Only if the card has no usable fallbackText: its TextBlocks and facts in order, then the numbered buttons. */
function renderCard(card: AdaptiveCardJson, buttons: readonly TitledButton[]): string {
  const lines: string[] = [];
  for (const element of walk(card.body)) {
    if (element.type === 'TextBlock' && typeof element['text'] === 'string') lines.push(element['text'].replace(/\u00a0/g, ' '));
    if (element.type === 'FactSet' && Array.isArray(element['facts'])) {
      for (const fact of element['facts'] as { title?: unknown; value?: unknown }[]) lines.push(`${String(fact.title)}: ${String(fact.value)}`);
    }
  }
  if (buttons.length > 0) lines.push('', numberedButtons(buttons));
  return lines.join('\n');
}

function cardText(card: AdaptiveCardJson, buttons: readonly TitledButton[]): string {
  const fallback = typeof card.fallbackText === 'string' ? card.fallbackText : '';
  // The fallback is used only when its numbered list is the one the typed numbers will click.
  const usable = fallback.trim() !== '' && (buttons.length === 0 || fallback.endsWith(numberedButtons(buttons)));
  return usable ? fallback : renderCard(card, buttons);
}

function attachmentText(attachment: Attachment): { text: string; buttons?: TitledButton[] } {
  if (attachment.contentType === CardFactory.contentTypes.adaptiveCard && isElement(attachment.content)) {
    const card = attachment.content as AdaptiveCardJson;
    const buttons = submitButtons(card);
    return { text: cardText(card, buttons), ...(buttons.length > 0 ? { buttons } : {}) };
  }
  return { text: `[${attachment.name ?? attachment.contentType}${attachment.contentUrl ? `: ${attachment.contentUrl}` : ''}]` };
}

export function activityText(activity: Partial<Activity>): ActivityText {
  const parts: string[] = [];
  let buttons: TitledButton[] | undefined;
  if (typeof activity.text === 'string' && activity.text.trim() !== '') parts.push(activity.text);
  for (const attachment of activity.attachments ?? []) {
    const shown = attachmentText(attachment);
    if (shown.text !== '') parts.push(shown.text);
    if (shown.buttons) buttons = shown.buttons;
  }
  return { text: parts.join('\n\n'), ...(buttons ? { buttons: buttons.map((button) => button.data) } : {}) };
}
