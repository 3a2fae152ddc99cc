/**
 * The plain-text rendering of an expanded card, for the terminal client and
 * transcripts. It is read off the card itself, so it can never disagree with
 * what a channel shows: every TextBlock and fact in order (collapsed parts
 * included, since a terminal cannot open them), links as "label: url", and the
 * Action.Submit buttons numbered 1..n, the numbers a user may type instead.
 */
import type { AdaptiveCardJson, CardButton, CardElement } from './rendered-card';

type Json = Record<string, unknown>;

const MARKDOWN_LINK = /\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/g;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elements(value: unknown): CardElement[] {
  return Array.isArray(value) ? value.filter((item): item is CardElement => isObject(item) && typeof item.type === 'string') : [];
}

/** Bold marks a UI label on screen ("select **Settings**"); a terminal shows the label plain. */
const MARKDOWN_BOLD = /\*\*([^*]+)\*\*/g;

function plainLine(markdown: string): string {
  return markdown
    .replace(MARKDOWN_LINK, (_match, label: string, url: string) => `${label.replace(/\\(.)/g, '$1')}: ${url}`)
    .replace(MARKDOWN_BOLD, '$1')
    .replace(/\u00a0/g, ' ');
}

/** A blank line, unless the text is empty or already ends with one. */
function blankLine(lines: string[]): void {
  if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
}

function collect(element: CardElement, lines: string[]): void {
  if (element.separator === true) blankLine(lines);
  switch (element.type) {
    case 'TextBlock': {
      const text = typeof element.text === 'string' ? element.text : '';
      // Monospace blocks hold text to copy; their lines are separated by blank
      // lines on the card (see exhaustedCard) and are joined back here.
      lines.push(element.fontType === 'Monospace' ? text.split('\n\n').join('\n') : plainLine(text));
      return;
    }
    case 'FactSet':
      for (const fact of Array.isArray(element.facts) ? element.facts.filter(isObject) : []) {
        lines.push(`${String(fact.title)}: ${String(fact.value)}`);
      }
      return;
    case 'Container':
    case 'Column':
      for (const child of elements(element.items)) collect(child, lines);
      return;
    case 'ColumnSet':
      for (const column of elements(element.columns)) collect(column, lines);
      return;
    case 'ActionSet':
      for (const action of elements(element.actions)) {
        if (action.type === 'Action.OpenUrl') lines.push(`${String(action.title)}: ${String(action.url)}`);
      }
      return;
    default:
      return;
  }
}

export function cardToPlainText(card: AdaptiveCardJson, buttons: readonly CardButton[]): string {
  const lines: string[] = [];
  for (const element of card.body) collect(element, lines);
  if (buttons.length > 0) {
    blankLine(lines);
    buttons.forEach((button, index) => lines.push(`${index + 1}. ${button.title}`));
  }
  return lines.join('\n');
}
