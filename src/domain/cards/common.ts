/**
 * Small helpers shared by the card builders: the texts and article for the
 * card's language, the documented codes of an error, and step numbering.
 */
import { CARD_TEXTS, type CardTexts } from '../i18n/card-texts';
import { defaultLibrary, type Knowledge } from '../knowledge/load-articles';
import type { ErrorId, Language } from '../knowledge/schema';
import { documentedCodes } from '../matching/load-signatures';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import type { CardContext } from './rendered-card';
import type { ErrorView } from './template-data';

export function textsFor(ctx: CardContext): CardTexts {
  return CARD_TEXTS[ctx.language];
}

export function knowledgeFor(ctx: CardContext): Knowledge {
  return defaultLibrary()[ctx.language];
}

export function otherLanguage(language: Language): Language {
  return language === 'ja' ? 'en' : 'ja';
}


/** An error as a list entry: the portal's title in the card's language and its codes. */
export function errorView(ctx: CardContext, category: ErrorId): ErrorView {
  const message = defaultCurrentLibrary()[ctx.language].portalMessage(category);
  return {
    title: knowledgeFor(ctx).error(category).title,
    codes: textsFor(ctx).errorList.codes(documentedCodes(category)),
    hasPortalMessage: message !== undefined,
    portalMessage: message === undefined ? '' : CURRENT_GUIDANCE_TEXTS[ctx.language].portalMessage(message),
  };
}

/**
 * "2. text" with a no-break space after the dot. A TextBlock that starts with
 * "2. " is parsed as a markdown ordered list, and some Teams clients then show
 * every such item as "1."; the no-break space keeps it plain text while it
 * reads the same.
 */
export function numbered(position: number, text: string): string {
  return `${position}.\u00a0${text}`;
}
