/** How a classification is shown: as a JSON object for scripts, or as text for a person. */
import type { Classification } from '../../domain/matching/classification';
import type { Library } from '../../domain/knowledge/load-articles';
import type * as LoadCurrent from '../../domain/knowledge/load-current';
import type { CurrentLibrary } from '../../domain/knowledge/load-current';
import type { OtherErrorCode } from '../../domain/knowledge/current-schema';
import { otherErrorOf } from '../../domain/matching/other-error';

/**
 * The current article's guidance, loaded on the first answer that names one of its other errors: it is checked with
 * zod at load, which classify's start-up keeps off its path (most answers name none).
 */
function currentLibrary(): CurrentLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return (require('../../domain/knowledge/load-current') as typeof LoadCurrent).defaultCurrentLibrary();
}

/** An error of the current article outside the five, as `--json` names it (issue 12). */
export interface OtherErrorAnswer {
  code: OtherErrorCode;
  title: string;
  url: string;
}

export type JsonAnswer = Classification & { otherError?: OtherErrorAnswer };

/**
 * The documented `--json` shape; `category` is set only when status is matched.
 * A `none` that names an error of the current article adds `otherError`, titled
 * and linked in the paste's language (status stays none).
 */
export function toJsonAnswer(result: Classification, current: () => CurrentLibrary = currentLibrary): JsonAnswer {
  const code = otherErrorOf(result);
  const guidance = code ? current()[result.hints.language] : undefined;
  return {
    status: result.status,
    category: result.category,
    confidence: result.confidence,
    candidates: result.candidates,
    evidence: result.evidence,
    hints: result.hints,
    ...(code && guidance ? { otherError: { code, title: guidance.otherError(code).title, url: guidance.sectionUrl(guidance.otherError(code).anchor) } } : {}),
  };
}

export function formatForPerson(result: Classification, library: Library): string {
  const english = library.en;
  const lines: string[] = [];
  if (result.status === 'matched' && result.category) {
    const error = english.error(result.category);
    lines.push(`Recognised: ${result.category} (confidence ${result.confidence.toFixed(2)})`, `  "${error.title}"`);
    lines.push('', 'Check these causes in this order:');
    error.causes.forEach((causeId, index) => lines.push(`  ${index + 1}. ${english.cause(causeId).title}`));
  } else if (result.status === 'ambiguous') {
    lines.push('Not sure which error this is. It could be:');
    for (const candidate of result.candidates) {
      lines.push(`  - ${candidate.category} (confidence ${candidate.confidence.toFixed(2)}): "${english.error(candidate.category).title}"`);
    }
  } else {
    lines.push('This is not one of the five VM agent and backup extension errors this guide covers.');
    const code = otherErrorOf(result);
    if (code) {
      const guidance = currentLibrary().en;
      const other = guidance.otherError(code);
      lines.push(`It is ${code}: "${other.title}".`, `See: ${guidance.sectionUrl(other.anchor)}`);
    }
  }
  if (result.evidence.length > 0) {
    lines.push('', 'Evidence:');
    for (const item of result.evidence) lines.push(`  - ${item.text}`);
  }
  const { language, guestOs, guestOsClue, identifiers } = result.hints;
  const found = Object.entries(identifiers).map(([key, value]) => `${key} ${String(value)}`);
  lines.push('', `Language: ${language}${guestOs ? `; guest OS: ${guestOs} (${guestOsClue ?? ''})` : ''}`);
  if (found.length > 0) lines.push(`Found: ${found.join(', ')}`);
  return lines.join('\n');
}
