/**
 * The card for the cause on screen in a walk: where it stands ("Cause 2 of 4"),
 * why the cause breaks the backup, and its sections in the article's order,
 * one TextBlock per step with the copyable code in its own monospace block.
 */
import type { Walk } from '../flow/walk';
import type { CardTexts } from '../i18n/card-texts';
import type { Section, Step } from '../knowledge/schema';
import type { CurrentKnowledge } from '../knowledge/load-current';
import { changeNotes } from './change-notes';
import { markdownLink } from './markdown-link';
import { button } from './buttons';
import { knowledgeFor, numbered, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';
import type { SectionView, StepView } from './template-data';

export { markdownLink };

export function stepView(step: Step, index: number, count: number, stepForOs: CardTexts['cause']['stepForOs']): StepView {
  // A step only one OS can do says so first when the OS is not known (it is left out for the other OS).
  const text = step.os ? stepForOs(step.os, step.text) : step.text;
  return {
    // A lone step is not numbered: "1." with nothing after it reads as a fragment.
    text: count > 1 ? numbered(index + 1, text) : text,
    hasCode: step.code !== undefined,
    code: step.code ?? '',
    hasLink: step.link !== undefined,
    link: step.link ? markdownLink(step.link.label, step.link.url) : '',
  };
}

/**
 * The sections and steps worth showing for the walk's guest OS: those written
 * for the other OS are left out once the user has said which OS the VM runs.
 */
export function sectionsFor(sections: readonly Section[], os: Walk['os']): Section[] {
  const applies = (target: Section['os']) => os === 'unknown' || target === undefined || target === os;
  return sections
    .filter((section) => applies(section.os))
    .map((section) => ({ ...section, steps: section.steps.filter((step) => applies(step.os)) }))
    .filter((section) => section.steps.length > 0);
}

function sectionViews(sections: readonly Section[], t: CardTexts['cause']): SectionView[] {
  const firstSituation = sections.findIndex((section) => section.kind === 'situation');
  return sections.map((section, index) => ({
    title: section.title,
    hasOsLabel: section.os !== undefined,
    osLabel: section.os ? t.forOs[section.os] : '',
    isSituation: section.kind === 'situation',
    isFirstSituation: index === firstSituation,
    // The index keeps ids unique in the card even if two sections shared an id.
    stepsId: `steps-${index + 1}-${section.id}`,
    steps: section.steps.map((step, stepIndex) => stepView(step, stepIndex, section.steps.length, t.stepForOs)),
  }));
}

/** `current`: the current guidance whose notes the card carries (the process-wide one unless a test gives another). */
export function causeCard(ctx: CardContext, walk: Walk, current?: CurrentKnowledge): RenderedCard {
  const causeId = walk.causes[walk.position];
  if (causeId === undefined) {
    throw new Error(`causeCard: no cause at position ${walk.position} of ${walk.causes.length}`);
  }
  const t = textsFor(ctx);
  const knowledge = knowledgeFor(ctx);
  const cause = knowledge.cause(causeId);
  const isLast = walk.position === walk.causes.length - 1;
  // The current article's extra checks come after the last cause (issue 12).
  const checksFollow = isLast && (walk.checks ?? []).length > 0;
  const payload = { category: walk.category, causeId };
  const { toChecks, ...notes } = changeNotes(ctx, causeId, walk.os, current);
  return renderCard(ctx, 'cause', {
    position: t.cause.position(walk.position + 1, walk.causes.length),
    errorLine: t.cause.forError(knowledge.error(walk.category).title),
    title: cause.title,
    whyHeading: t.cause.whyHeading,
    why: cause.why,
    situationsIntro: t.cause.situationsIntro,
    showRemedy: t.cause.showRemedy,
    sections: sectionViews(sectionsFor(cause.sections, walk.os), t.cause),
    ...notes,
    afterTrying: t.cause.afterTrying,
    buttons: [
      button(ctx, t.cause.resolved, { action: 'resolved', ...payload }),
      button(ctx, checksFollow ? toChecks : isLast ? t.cause.lastNext : t.cause.next, { action: 'next', ...payload }),
      button(ctx, t.buttons.helpdesk, { action: 'helpdesk', ...payload }),
    ],
  });
}
