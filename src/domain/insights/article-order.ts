/** An error's causes in the article's order, for the figures (the same in both languages: checked at load). */
import { defaultLibrary } from '../knowledge/load-articles';
import type { CauseId, ErrorId } from '../knowledge/schema';

export function causesInArticleOrder(category: ErrorId): readonly CauseId[] {
  return defaultLibrary().en.error(category).causes;
}
