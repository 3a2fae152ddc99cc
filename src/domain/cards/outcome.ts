/** The cards that end a walk: a cause fixed it, or none of the article's causes did. */
import { isExtraCheck, walkSteps, type Walk } from '../flow/walk';
import { stepTitle } from '../flow/step-title';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import { button } from './buttons';
import { knowledgeFor, numbered, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

/** `checkBackIn`: the follow-up's delay written out ("24 hours"), when the bot will ask about the next backup. */
export function fixedCard(ctx: CardContext, walk: Walk, checkBackIn?: string): RenderedCard {
  if (walk.fixedBy === undefined) throw new Error('fixedCard: the walk has no fixedBy cause');
  const t = textsFor(ctx);
  const knowledge = knowledgeFor(ctx);
  return renderCard(ctx, 'fixed', {
    title: t.fixed.title,
    body: t.fixed.body(stepTitle(knowledge, walk.fixedBy), knowledge.error(walk.category).title),
    footer: t.fixed.footer,
    checkBack: checkBackIn ? t.fixed.checkBack(checkBackIn) : '',
    hasCheckBack: checkBackIn !== undefined,
    buttons: [
      ...(checkBackIn ? [button(ctx, t.fixed.noCheckBack, { action: 'no-follow-up' })] : []),
      button(ctx, t.buttons.startOver, { action: 'start-over' }),
    ],
  });
}

/**
 * Line breaks in the summary become paragraph breaks: a single "\n" inside a
 * TextBlock is no line break in several hosts, and the helpdesk needs the
 * summary line by line. The plain-text rendering joins them back.
 */
function summaryMarkdown(summaryText: string): string {
  return summaryText.replace(/\r\n?/g, '\n').split('\n').join('\n\n');
}

export function exhaustedCard(ctx: CardContext, walk: Walk, summaryText: string): RenderedCard {
  const t = textsFor(ctx);
  const knowledge = knowledgeFor(ctx);
  return renderCard(ctx, 'exhausted', {
    title: t.exhausted.title,
    noneFixed: t.exhausted.noneFixed(knowledge.error(walk.category).title),
    triedHeading: t.exhausted.triedHeading,
    // Every cause and extra check of the walk was answered "still failing" to get here;
    // the current article's checks are marked as such, apart from the article's causes.
    tried: walkSteps(walk).map((id, index) => ({
      text: numbered(index + 1, `${isExtraCheck(id) ? `${CURRENT_GUIDANCE_TEXTS[ctx.language].checks.source}: ` : ''}${stepTitle(knowledge, id)} — ${t.exhausted.stillFailing}`),
    })),
    summaryHeading: t.exhausted.summaryHeading,
    summaryHint: t.exhausted.summaryHint,
    summary: summaryMarkdown(summaryText),
    buttons: [button(ctx, t.buttons.helpdesk, { action: 'helpdesk', category: walk.category }), button(ctx, t.buttons.startOver, { action: 'start-over' })],
  });
}
