/**
 * The card for an extra check of Microsoft's current article (issue 12), shown
 * after the 2017 article's last cause still failed: where it stands ("Extra
 * check 1 of 2"), that it comes from the current article, why it breaks the
 * backup, the steps, and the link to its section. The first one opens with
 * "The current article lists more checks". Same buttons as a cause card.
 */
import { isExtraCheck, walkSteps, type Walk } from '../flow/walk';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import { button } from './buttons';
import { stepView } from './cause';
import { knowledgeFor, textsFor } from './common';
import { markdownLink } from './markdown-link';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

export function currentCheckCard(ctx: CardContext, walk: Walk): RenderedCard {
  const checkId = walkSteps(walk)[walk.position];
  if (checkId === undefined || !isExtraCheck(checkId)) {
    throw new Error(`currentCheckCard: no extra check at position ${walk.position} of ${walkSteps(walk).length}`);
  }
  const t = textsFor(ctx);
  const g = CURRENT_GUIDANCE_TEXTS[ctx.language].checks;
  const knowledge = knowledgeFor(ctx);
  const current = defaultCurrentLibrary()[ctx.language];
  const check = current.check(checkId);
  const checks = walk.checks ?? [];
  const index = walk.position - walk.causes.length;
  const isLast = index === checks.length - 1;
  const errorTitle = knowledge.error(walk.category).title;
  // Steps for the other guest OS are left out, as on a cause card.
  const steps = check.steps.filter((step) => walk.os === 'unknown' || step.os === undefined || step.os === walk.os);
  const payload = { category: walk.category, causeId: checkId };
  return renderCard(ctx, 'current-check', {
    hasIntro: index === 0,
    introHeading: g.heading,
    intro: g.intro(errorTitle),
    position: g.position(index + 1, checks.length),
    errorLine: t.cause.forError(errorTitle),
    source: g.source,
    title: check.title,
    whyHeading: t.cause.whyHeading,
    why: check.why,
    stepsId: `steps-${check.id}`,
    steps: steps.map((step, stepIndex) => stepView(step, stepIndex, steps.length, t.cause.stepForOs)),
    sectionLink: markdownLink(g.sectionLink(current.sectionTitle(check.anchor)), current.sectionUrl(check.anchor)),
    afterTrying: t.cause.afterTrying,
    buttons: [
      button(ctx, t.cause.resolved, { action: 'resolved', ...payload }),
      button(ctx, isLast ? g.lastNext : g.next, { action: 'next', ...payload }),
      button(ctx, t.buttons.helpdesk, { action: 'helpdesk', ...payload }),
    ],
  });
}
