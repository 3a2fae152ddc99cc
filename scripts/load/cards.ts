/** What the load client reads from the bot's replies: the cards, their Action.Submit buttons, their text. */
import type { Activity } from 'botbuilder';
import { readCardAction, type CardActionData } from '../../src/domain/flow/card-action';

export type Replies = readonly Partial<Activity>[];

function cardsOf(replies: Replies): unknown[] {
  return replies.flatMap((reply) => reply.attachments ?? []).map((attachment) => attachment.content as unknown);
}

/** Visits every object of a card (body, actions, ShowCards, containers), depth first, in order. */
function visit(value: unknown, onObject: (element: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, onObject);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const element = value as Record<string, unknown>;
  onObject(element);
  for (const child of Object.values(element)) visit(child, onObject);
}

/** The Action.Submit data of the last card of the replies, in order: what a user can click now. */
export function buttonsOfLastCard(replies: Replies): CardActionData[] {
  const cards = cardsOf(replies);
  const card = cards[cards.length - 1];
  if (card === undefined) return [];
  const found: CardActionData[] = [];
  visit(card, (element) => {
    if (element['type'] !== 'Action.Submit') return;
    const data = readCardAction(element['data']);
    if (data) found.push(data);
  });
  return found;
}

/** All visible text of the replies: message texts and every `text` / `title` of their cards. */
export function textOf(replies: Replies): string {
  const parts: string[] = [];
  for (const reply of replies) if (reply.text) parts.push(reply.text);
  visit(cardsOf(replies), (element) => {
    if (typeof element['text'] === 'string') parts.push(element['text']);
    if (typeof element['title'] === 'string') parts.push(element['title']);
  });
  return parts.join('\n');
}
