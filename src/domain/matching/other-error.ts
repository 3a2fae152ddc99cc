/**
 * Which error of Microsoft's current article outside the five a paste names
 * (issue 12), read off the matcher's answer: only for a `none`, and only when the
 * strongest evidence pointing away from the five names one. A paste whose
 * strongest out-of-scope evidence is something else (a restore, pricing) names none.
 */
import type { OtherErrorCode } from '../knowledge/current-schema';
import type { Classification } from './classification';

export function otherErrorOf(result: Pick<Classification, 'status' | 'evidence'>): OtherErrorCode | undefined {
  if (result.status !== 'none') return undefined;
  const away = result.evidence.filter((item) => item.categories.length === 0);
  const top = Math.max(...away.map((item) => item.score));
  return away.find((item) => item.score === top && item.otherError !== undefined)?.otherError;
}
