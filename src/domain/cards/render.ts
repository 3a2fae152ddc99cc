/**
 * Turns a template and its data into a RenderedCard: the expanded JSON, the
 * Action.Submit buttons read back from it in display order (each checked
 * against the CardActionData contract and the card's flow and step), and the
 * plain-text rendering.
 */
import { readCardAction } from '../flow/card-action';
import { cardToPlainText } from './plain-text';
import type { CardButton, CardContext, CardElement, RenderedCard } from './rendered-card';
import type { TemplateDataMap, TemplateName } from './template-data';
import { expandTemplate } from './templates';

/** Elements and actions in the order a host shows them: body depth-first, then the card's actions. */
function* walk(value: unknown): Generator<CardElement> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const element = value as CardElement;
  if (typeof element.type === 'string') yield element;
  for (const key of ['items', 'columns', 'actions', 'selectAction', 'card']) {
    if (key in element) yield* walk(element[key]);
  }
}

function submitButtons(name: TemplateName, ctx: CardContext, elements: Iterable<CardElement>): CardButton[] {
  const buttons: CardButton[] = [];
  for (const element of elements) {
    if (element.type !== 'Action.Submit') continue;
    const data = readCardAction(element.data);
    // A button that the dialog could not read back, or that belongs to another
    // step, is a bug in a builder or a template: fail loudly here, not in chat.
    if (!data || data.flowId !== ctx.flowId || data.step !== ctx.step) {
      throw new Error(`cards/${name}.json: button "${String(element.title)}" carries invalid data ${JSON.stringify(element.data)}`);
    }
    buttons.push({ title: String(element.title), data });
  }
  return buttons;
}

export function renderCard<Name extends TemplateName>(ctx: CardContext, name: Name, data: TemplateDataMap[Name]): RenderedCard {
  const card = expandTemplate(name, data);
  const buttons = submitButtons(name, ctx, [...walk(card.body), ...walk(card.actions ?? [])]);
  const text = cardToPlainText(card, buttons);
  // Hosts that cannot show the card show this instead, numbered buttons included.
  card.fallbackText = text;
  return { template: name, card, buttons, text };
}
