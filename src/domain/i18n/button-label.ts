/**
 * How long a button label may be. Teams does not wrap button text: five error
 * buttons share a row on desktop and a button is about 20 full-width characters
 * wide on mobile, so a longer label is cut and two labels that start alike look
 * the same. Japanese is measured in full-width characters, a half-width one
 * (ASCII, a space) counting as half; English in characters.
 */
import type { Language } from '../knowledge/schema';

export const MAX_BUTTON_LABEL: Readonly<Record<Language, number>> = { ja: 14, en: 28 };

/** Half-width: ASCII and half-width katakana; everything else in a Japanese label takes a full cell. */
const HALF_WIDTH = /[\u0020-\u007e\uff61-\uff9f]/;

export function labelWidth(label: string, language: Language): number {
  const characters = [...label];
  if (language === 'en') return characters.length;
  return characters.reduce((width, character) => width + (HALF_WIDTH.test(character) ? 0.5 : 1), 0);
}

/** Why the label is too long for a button, or undefined when it fits. */
export function buttonLabelProblem(label: string, language: Language): string | undefined {
  const width = labelWidth(label, language);
  const max = MAX_BUTTON_LABEL[language];
  const unit = language === 'ja' ? 'full-width characters' : 'characters';
  return width > max ? `button label "${label}" is ${width} ${unit} long (at most ${max} in ${language})` : undefined;
}
