/**
 * The card for an error of Microsoft's current article that is not one of the
 * five (issue 12): its title in the user's language and its code, that this
 * guide does not walk through it, what the current article advises, the link to
 * its section, and the helpdesk (the case names the error) or the five errors.
 */
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import type { OtherErrorCode } from '../knowledge/current-schema';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import { button } from './buttons';
import { textsFor } from './common';
import { markdownLink } from './markdown-link';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

export function otherErrorCard(ctx: CardContext, code: OtherErrorCode): RenderedCard {
  const t = textsFor(ctx);
  const g = CURRENT_GUIDANCE_TEXTS[ctx.language].otherError;
  const current = defaultCurrentLibrary()[ctx.language];
  const other = current.otherError(code);
  return renderCard(ctx, 'other-error', {
    title: other.title,
    code: g.code(other.code),
    notCovered: g.notCovered,
    adviceHeading: g.adviceHeading,
    summary: other.summary,
    sectionLink: markdownLink(g.sectionLink(current.sectionTitle(other.anchor)), current.sectionUrl(other.anchor)),
    next: g.next,
    buttons: [button(ctx, t.buttons.helpdesk, { action: 'helpdesk' }), button(ctx, t.welcome.browse, { action: 'browse' })],
  });
}
