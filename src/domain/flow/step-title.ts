/** The title of a walk's step, whether it is a cause of the 2017 article or an extra check of the current one. */
import type { Knowledge } from '../knowledge/load-articles';
import { defaultCurrentLibrary, type CurrentKnowledge } from '../knowledge/load-current';
import { isExtraCheck, type WalkStepId } from './walk';

export function stepTitle(knowledge: Knowledge, id: WalkStepId, current: CurrentKnowledge = defaultCurrentLibrary()[knowledge.language]): string {
  return isExtraCheck(id) ? current.check(id).title : knowledge.cause(id).title;
}
