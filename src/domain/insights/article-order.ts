/**
 * An error's causes in the article's order, for the figures (the same in both
 * languages: checked at load), then the current article's extra checks for it
 * (issue 12), whose `current-` ids keep them apart wherever they are shown.
 */
import { defaultLibrary } from '../knowledge/load-articles';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import type { ErrorId } from '../knowledge/schema';
import type { WalkStepId } from '../flow/walk';

export function causesInArticleOrder(category: ErrorId): readonly WalkStepId[] {
  return [...defaultLibrary().en.error(category).causes, ...defaultCurrentLibrary().en.checksFor(category).map((check) => check.id)];
}
