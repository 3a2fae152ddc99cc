/**
 * Cards that ask which of the five errors it is: the full list (browsing, a
 * paste that is none of them, or "none of these"), "Did you mean", and the
 * question raised when a different error is pasted in the middle of a walk.
 */
import type { Candidate } from '../matching/classification';
import { ERROR_IDS, type ErrorId } from '../knowledge/schema';
import { button } from './buttons';
import { errorView, knowledgeFor, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';
import type { ButtonView } from './template-data';
import type { TextSource } from './recognised';

export type ErrorChoiceReason = 'browse' | 'not-covered' | 'none-of-these';

/** One button per error, labelled with its short label: the full titles are listed above the buttons. */
function chooseButtons(ctx: CardContext, categories: readonly ErrorId[]): ButtonView[] {
  const knowledge = knowledgeFor(ctx);
  return categories.map((category) => button(ctx, knowledge.error(category).buttonLabel, { action: 'choose-category', category }));
}

/** All five errors, each a button; after an unrecognised paste it says so first and offers the helpdesk. */
export function errorChoiceCard(ctx: CardContext, reason: ErrorChoiceReason): RenderedCard {
  const t = textsFor(ctx);
  const choice = t.errorChoice;
  const notCovered = reason === 'not-covered';
  const heading = {
    browse: { title: choice.browseTitle, intro: choice.browseIntro },
    'not-covered': { title: choice.notCoveredTitle, intro: choice.notCoveredNext(t.buttons.helpdesk) },
    'none-of-these': { title: choice.noneOfTheseTitle, intro: choice.noneOfTheseIntro },
  }[reason];
  return renderCard(ctx, 'error-choice', {
    hasNotice: notCovered,
    notice: choice.notCovered,
    title: heading.title,
    intro: heading.intro,
    errors: ERROR_IDS.map((category) => errorView(ctx, category)),
    choices: chooseButtons(ctx, ERROR_IDS),
    buttons: notCovered ? [button(ctx, t.buttons.helpdesk, { action: 'helpdesk' })] : [],
  });
}

/** The two or three errors the paste could be, and a way out when it is none of them. */
export function didYouMeanCard(ctx: CardContext, candidates: readonly Candidate[]): RenderedCard {
  const t = textsFor(ctx);
  const categories = candidates.map((candidate) => candidate.category);
  return renderCard(ctx, 'did-you-mean', {
    title: t.didYouMean.title,
    intro: t.didYouMean.intro,
    errors: categories.map((category) => errorView(ctx, category)),
    buttons: [...chooseButtons(ctx, categories), button(ctx, t.didYouMean.noneOfThese, { action: 'none-of-these' })],
  });
}

/** A new paste (or screenshot: `source`) names another error mid-walk: switch to it, or keep going with the current one. */
export function switchErrorCard(ctx: CardContext, current: ErrorId, next: ErrorId, source?: TextSource): RenderedCard {
  const t = textsFor(ctx).switchError;
  const knowledge = knowledgeFor(ctx);
  const body = source ? t.bodyFromImage : t.body;
  return renderCard(ctx, 'switch-error', {
    title: t.title,
    body: body(knowledge.error(current).title, knowledge.error(next).title),
    question: t.question,
    buttons: [
      button(ctx, t.switchTo, { action: 'switch-error', category: next }),
      button(ctx, t.keep, { action: 'keep-error', category: current }),
    ],
  });
}
