/**
 * What the end-to-end tests check the bot against: the article's order of
 * causes, read straight from the content files (not from the walk code under
 * test), and the cause a card is about, read from its buttons.
 */
import enArticle from '../../src/domain/knowledge/content/en.json';
import jaArticle from '../../src/domain/knowledge/content/ja.json';
import enCurrent from '../../src/domain/knowledge/content/current-en.json';
import jaCurrent from '../../src/domain/knowledge/content/current-ja.json';
import type { CardActionData, GuestOsChoice } from '../../src/domain/flow/card-action';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';
import { buttonsOf } from './bot-conversation';

export type Language = 'en' | 'ja';
export type ErrorId = NonNullable<CardActionData['category']>;
export type CauseId = NonNullable<CardActionData['causeId']>;

/** The parts of a content file read here: each error's causes in the article's order, and whom each cause applies to. */
interface ArticleOrder {
  errors: { id: string; title: string; causes: string[] }[];
  causes: { id: string; title: string; appliesTo: string }[];
}

export const ARTICLES: Record<Language, ArticleOrder> = { en: enArticle, ja: jaArticle };
export const LOCALES: Record<Language, string> = { en: 'en-US', ja: 'ja-JP' };

/** The article's order for the error, without the causes written for the other OS ("unknown" keeps all). */
export function expectedCauses(language: Language, category: ErrorId, os: GuestOsChoice): string[] {
  const article = ARTICLES[language];
  const error = article.errors.find((candidate) => candidate.id === category);
  if (!error) throw new Error(`${category} is not in ${language}.json`);
  return error.causes.filter((causeId) => {
    const appliesTo = article.causes.find((cause) => cause.id === causeId)?.appliesTo;
    return os === 'unknown' || appliesTo === 'any' || appliesTo === os;
  });
}

/** The parts of a current-guidance file read here: the extra checks, the errors they belong to and whom they apply to (issue 12). */
interface CurrentChecks {
  checks: { id: string; title: string; errors: string[]; appliesTo: string }[];
}

export const CURRENT: Record<Language, CurrentChecks> = { en: enCurrent, ja: jaCurrent };

/** The current article's extra checks for the error after its last cause, without those for the other OS. */
export function expectedChecks(language: Language, category: ErrorId, os: GuestOsChoice): string[] {
  return CURRENT[language].checks
    .filter((check) => check.errors.includes(category) && (os === 'unknown' || check.appliesTo === 'any' || check.appliesTo === os))
    .map((check) => check.id);
}

/** The cause a cause card is about, read from its buttons' data; undefined for a card without cause buttons. */
export function causeOnCard(card: AdaptiveCardJson): CauseId | undefined {
  const causeIds = new Set(buttonsOf(card).map((candidate) => candidate.data.causeId).filter((causeId) => causeId !== undefined));
  if (causeIds.size > 1) throw new Error(`a card with buttons for several causes: ${[...causeIds].join(', ')}`);
  return [...causeIds][0];
}
