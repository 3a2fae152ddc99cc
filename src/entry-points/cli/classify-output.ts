/** How a classification is shown: as a JSON object for scripts, or as text for a person. */
import type { Classification } from '../../domain/matching/classification';
import type { Library } from '../../domain/knowledge/load-articles';

/** The documented `--json` shape; `category` is set only when status is matched. */
export function toJsonAnswer(result: Classification): Classification {
  return {
    status: result.status,
    category: result.category,
    confidence: result.confidence,
    candidates: result.candidates,
    evidence: result.evidence,
    hints: result.hints,
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
