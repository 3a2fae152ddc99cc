/**
 * The cards that wait for an answer, described as plain data. A prompt keeps
 * this description in dialog state and renders it (again) whenever it is shown,
 * so a re-shown card gets a fresh stamp and the current language.
 */
import type { Candidate } from '../matching/classification';
import type { ErrorId } from '../knowledge/schema';
import type { Walk } from '../flow/walk';
import type { CardContext, RenderedCard } from './rendered-card';
import { casePreviewCard, causeCard, chooseOsCard, didYouMeanCard, errorChoiceCard, switchErrorCard } from './index';
import type { HandoffCase } from '../handoff/handoff-case';

export type PromptCard =
  | { kind: 'error-choice'; reason: 'browse' | 'not-covered' | 'none-of-these' }
  | { kind: 'did-you-mean'; candidates: Candidate[] }
  | { kind: 'choose-os'; category: ErrorId }
  | { kind: 'cause'; walk: Walk }
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
      return causeCard(ctx, spec.walk);
    case 'switch-error':
      return switchErrorCard(ctx, spec.current, spec.next);
    case 'case-preview':
      return casePreviewCard(ctx, spec.handoffCase);
  }
}
