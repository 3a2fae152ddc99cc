/**
 * Turns a template and its data into a RenderedCard: the expanded JSON, the
 * Action.Submit buttons read back from it in display order (each checked
 * against the CardActionData contract and the card's flow and step), and the
 * plain-text rendering.
 */
import { readCardAction } from '../flow/card-action';
import { cardToPlainText } from './plain-text';
import type { AdaptiveCardJson, CardButton, CardContext, CardElement, RenderedCard } from './rendered-card';
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

/** Expands the template afresh (renderCard's way for cards not cached; exported for the tests that compare both). */
export function expandCard<Name extends TemplateName>(ctx: CardContext, name: Name, data: TemplateDataMap[Name]): RenderedCard {
  const card = expandTemplate(name, data);
  const buttons = submitButtons(name, ctx, [...walk(card.body), ...walk(card.actions ?? [])]);
  const text = cardToPlainText(card, buttons);
  // Hosts that cannot show the card show this instead, numbered buttons included.
  card.fallbackText = text;
  return { template: name, card, buttons, text };
}

/**
 * Expanding a template costs about 0.1 ms a card (every binding is an expression to evaluate), and most cards say
 * the same for everyone: a cause card is the same for each cause, language and guest OS but for the flow and the
 * step on its buttons. Those templates are expanded once per distinct data; each turn parses a copy of the JSON
 * with its own stamp written in. Cards that carry what a user wrote (recognised, case cards) are expanded every
 * time: caching them would only keep users' text in memory.
 */
const CACHED_TEMPLATES: ReadonlySet<TemplateName> = new Set<TemplateName>(['cause', 'welcome', 'help', 'choose-os', 'error-choice', 'did-you-mean', 'switch-error']);
/** Bounded: distinct cards are a few hundred (causes × languages × OS choices × positions); beyond, the oldest go. */
const MAX_CACHED_CARDS = 2_000;

interface ExpandedOnce {
  template: string;
  /** The card's JSON with STAMP_PLACEHOLDER where each button's flow and step were. */
  cardJson: string;
  buttons: CardButton[];
  text: string;
}

const expanded = new Map<string, ExpandedOnce>();
const STAMP_PLACEHOLDER = '"flowId":"\u0000","step":-1';

/**
 * A button's stamp as JSON.stringify writes it: buttons.ts builds every CardActionData with flowId then step. Data
 * stamped some other way would only miss the cache (its key would hold the stamp), never get another card.
 */
const stampJson = (ctx: CardContext): string => `"flowId":${JSON.stringify(ctx.flowId)},"step":${ctx.step}`;

export function renderCard<Name extends TemplateName>(ctx: CardContext, name: Name, data: TemplateDataMap[Name]): RenderedCard {
  if (!CACHED_TEMPLATES.has(name)) return expandCard(ctx, name, data);
  const stamp = stampJson(ctx);
  const key = `${name}\u0000${JSON.stringify(data).replaceAll(stamp, STAMP_PLACEHOLDER)}`;
  const cached = expanded.get(key);
  if (cached) {
    const card = JSON.parse(cached.cardJson.replaceAll(STAMP_PLACEHOLDER, stamp)) as AdaptiveCardJson;
    const buttons = cached.buttons.map(({ title, data: action }) => ({ title, data: { ...action, flowId: ctx.flowId, step: ctx.step } }));
    return { template: cached.template, card, buttons, text: cached.text };
  }
  const rendered = expandCard(ctx, name, data);
  if (expanded.size >= MAX_CACHED_CARDS) expanded.delete(expanded.keys().next().value as string);
  expanded.set(key, { template: rendered.template, cardJson: JSON.stringify(rendered.card).replaceAll(stamp, STAMP_PLACEHOLDER), buttons: rendered.buttons.map(({ title, data: action }) => ({ title, data: { ...action } })), text: rendered.text });
  return rendered;
}
