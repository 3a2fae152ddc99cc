/**
 * The cards that wait for an answer, described as plain data. A prompt keeps
 * this description in dialog state and renders it (again) whenever it is shown,
 * so a re-shown card gets a fresh stamp and the current language.
 */
import type { Candidate } from '../matching/classification';
import type { ErrorId } from '../knowledge/schema';
import { inExtraChecks, type Walk } from '../flow/walk';
import { currentCheckCard } from './current-check';
import { otherErrorCard } from './other-error';
import type { OtherErrorCode } from '../knowledge/current-schema';
import type { CardContext, RenderedCard } from './rendered-card';
import { casePreviewCard, causeCard, chooseOsCard, didYouMeanCard, errorChoiceCard, switchErrorCard } from './index';
import type { HandoffCase } from '../handoff/handoff-case';

export type PromptCard =
  | { kind: 'error-choice'; reason: 'browse' | 'not-covered' | 'none-of-these' }
  | { kind: 'did-you-mean'; candidates: Candidate[] }
  | { kind: 'choose-os'; category: ErrorId }
  /** The cause on screen, or after the last one an extra check of the current article. */
  | { kind: 'cause'; walk: Walk }
  /** An error of the current article outside the five (issue 12). */
  | { kind: 'other-error'; code: OtherErrorCode }
  | { kind: 'switch-error'; current: ErrorId; next: ErrorId }
  | { kind: 'case-preview'; handoffCase: HandoffCase };

export function renderPromptCard(spec: PromptCard, ctx: CardContext): RenderedCard {
  switch (spec.kind) {
    case 'error-choice':
      return errorChoiceCard(ctx, spec.reason);
    case 'did-you-mean':
      return didYouMeanCard(ctx, spec.candidates);
    case 'choose-os':
      return chooseOsCard(ctx, spec.category);
    case 'cause':
      return inExtraChecks(spec.walk) ? currentCheckCard(ctx, spec.walk) : causeCard(ctx, spec.walk);
    case 'other-error':
      return otherErrorCard(ctx, spec.code);
    case 'switch-error':
      return switchErrorCard(ctx, spec.current, spec.next);
    case 'case-preview':
      return casePreviewCard(ctx, spec.handoffCase);
  }
}
