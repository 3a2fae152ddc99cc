/**
 * What every card must satisfy to render in Teams and Web Chat (see
 * /work/shared/notes/channels.md), checked with the Adaptive Cards library at
 * schema 1.5 plus the rules the library does not know about.
 */
import type * as AdaptiveCards from 'adaptivecards';
import { readCardAction } from '../../../src/domain/flow/card-action';
import type { CardContext, RenderedCard } from '../../../src/domain/cards';

// The package's lib/ build does not load in Node; its dist/ UMD bundle does and
// exports the same API (the types come from lib/, the import of which is
// type-only). Parsing and validating never touch the DOM (only rendering does),
// so no DOM globals are set up.
const AC = jest.requireActual<typeof AdaptiveCards>('adaptivecards/dist/adaptivecards.js');

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every object in the card with a `type`, in display order (body depth-first, then the card's actions). */
export function cardObjects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(cardObjects);
  if (!isObject(value)) return [];
  const own = typeof value.type === 'string' ? [value] : [];
  const children = ['body', 'items', 'columns', 'actions', 'selectAction', 'card'].flatMap((key) => (key in value ? cardObjects(value[key]) : []));
  return [...own, ...children];
}

export const textBlocks = (card: unknown): Json[] => cardObjects(card).filter((o) => o.type === 'TextBlock');
export const submits = (card: unknown): Json[] => cardObjects(card).filter((o) => o.type === 'Action.Submit');

/** Markdown list starts: a TextBlock beginning with one is rendered as a list, differently per host. */
const MARKDOWN_LIST = /^\s*(?:\d{1,9}[.)]|[-+*])[ \t]/;
/** Teams shows at most six card-level actions (the library's own limit, five, is checked too). */
const MAX_CARD_ACTIONS = 6;
/** Teams refuses bot messages above about 28 KB; keep cards well below. */
const MAX_CARD_BYTES = 20_000;
const ALLOWED_ACTIONS = new Set(['Action.Submit', 'Action.ToggleVisibility', 'Action.OpenUrl']);

function libraryProblems(json: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index++) problems.push(`parse: ${context.getEventAt(index).message}`);
  const results = card.validateProperties();
  for (const event of results.validationEvents) problems.push(`validate: ${event.message}`);
  for (const toggle of cardObjects(json).filter((o) => o.type === 'Action.ToggleVisibility')) {
    const targets = Array.isArray(toggle.targetElements) ? toggle.targetElements : [];
    if (targets.length === 0) problems.push('a toggle has no target');
    for (const target of targets) {
      if (typeof target !== 'string' || !(target in results.allIds)) problems.push(`toggle target ${JSON.stringify(target)} is not an element id`);
    }
  }
  return problems;
}

function ruleProblems(rendered: RenderedCard, ctx: CardContext): string[] {
  const { card } = rendered;
  const json = JSON.stringify(card);
  const problems: string[] = [];
  if (json.includes('${')) problems.push('an expression was left unexpanded (${ in the JSON)');
  if (Buffer.byteLength(json) > MAX_CARD_BYTES) problems.push(`the card is ${Buffer.byteLength(json)} bytes`);
  if (card.version !== '1.5') problems.push(`version ${String(card.version)}`);
  if (card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') problems.push('no $schema');
  if (card.msteams?.width !== 'Full') problems.push('msteams.width is not Full');
  if ((card.actions ?? []).length > MAX_CARD_ACTIONS) problems.push(`${card.actions?.length} card actions`);
  for (const block of textBlocks(card)) {
    const text = block.text;
    if (typeof text !== 'string' || text.trim() === '') problems.push('a TextBlock has no text');
    else {
      if (block.wrap !== true) problems.push(`TextBlock without wrap: ${text}`);
      if (block.fontType !== 'Monospace' && text.includes('\n')) problems.push(`line break inside a TextBlock: ${text}`);
      if (MARKDOWN_LIST.test(text)) problems.push(`TextBlock starts like a markdown list: ${text}`);
    }
  }
  for (const action of cardObjects(card).filter((o) => String(o.type).startsWith('Action.'))) {
    if (!ALLOWED_ACTIONS.has(String(action.type))) problems.push(`action type ${String(action.type)}`);
    if (typeof action.title !== 'string' || action.title.trim() === '') problems.push(`${String(action.type)} without a title`);
  }
  const found = submits(card).map((submit) => {
    const data = readCardAction(submit.data);
    if (!isObject(submit.data)) problems.push(`submit data is not an object: ${JSON.stringify(submit.data)}`);
    else if (!data) problems.push(`submit data is not a CardActionData: ${JSON.stringify(submit.data)}`);
    else if (data.flowId !== ctx.flowId || data.step !== ctx.step) problems.push(`submit not stamped with the card's flow and step: ${JSON.stringify(data)}`);
    return { title: submit.title, data: submit.data };
  });
  if (JSON.stringify(found) !== JSON.stringify(rendered.buttons)) problems.push('buttons do not list the Action.Submits in order');
  const numbered = rendered.buttons.map((button, index) => `${index + 1}. ${button.title}`).join('\n');
  if (numbered !== '' && !rendered.text.endsWith(`\n${numbered}`)) problems.push('text does not end with the numbered buttons');
  return problems;
}

/** Everything wrong with a rendered card; empty when it is fine. */
export function cardProblems(rendered: RenderedCard, ctx: CardContext): string[] {
  return [...libraryProblems(rendered.card), ...ruleProblems(rendered, ctx)];
}
