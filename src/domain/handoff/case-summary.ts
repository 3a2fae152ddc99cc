/**
 * The case as plain text for a person at the helpdesk: the error, the guest OS,
 * what was tried with the user's answers, what fixed it, identifiers from the
 * paste and the paste itself (shortened). Copyable, in the user's language.
 */
import type { Library } from '../knowledge/load-articles';
import type { Language } from '../knowledge/schema';
import type { PasteRecord } from '../conversation/conversation-data';
import { isExtraCheck, type Walk } from '../flow/walk';
import { stepTitle } from '../flow/step-title';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import { CASE_SUMMARY_TEXTS, type CaseSummaryTexts } from '../i18n/case-summary-texts';

const MAX_PASTE_IN_SUMMARY = 600;

export interface CaseFacts {
  language: Language;
  walk?: Walk;
  paste?: PasteRecord;
  now?: Date;
}

export function caseSummaryText(library: Library, facts: CaseFacts): string {
  const { language, walk, paste } = facts;
  const labels = CASE_SUMMARY_TEXTS[language];
  const knowledge = library[language];
  const category = walk?.category ?? paste?.category;
  const lines = [labels.title];
  // An error of the current article outside the five is named (issue 12), and still said to be none of the five.
  const other = !category && paste?.otherError ? defaultCurrentLibrary()[language].otherError(paste.otherError) : undefined;
  const unrecognised = other ? `${other.title} (${other.code}): ${labels.notRecognised}` : labels.notRecognised;
  lines.push(`${labels.error}: ${category ? `${knowledge.error(category).title} (${category})` : unrecognised}`);
  if (walk) lines.push(`${labels.guestOs}: ${labels.os[walk.os]}`);
  if (walk) {
    lines.push(`${labels.tried}:`);
    if (walk.tried.length === 0) lines.push(`  - ${labels.notStarted}`);
    const answered = (entry: Walk['tried'][number], index: number) =>
      `  ${index + 1}. ${stepTitle(knowledge, entry.causeId)}: ${entry.answer === 'fixed' ? labels.fixed : labels.stillFailing}`;
    walk.tried.filter((entry) => !isExtraCheck(entry.causeId)).forEach((entry, index) => lines.push(answered(entry, index)));
    // The current article's checks are listed apart from the 2017 article's causes.
    const checks = walk.tried.filter((entry) => isExtraCheck(entry.causeId));
    if (checks.length > 0) lines.push(`${CURRENT_GUIDANCE_TEXTS[language].caseChecksHeading}:`, ...checks.map(answered));
    const exhausted = !walk.fixedBy && walk.position >= walk.causes.length + (walk.checks ?? []).length;
    if (walk.fixedBy) lines.push(`${labels.fixedBy}: ${stepTitle(knowledge, walk.fixedBy)}`);
    else if (exhausted) lines.push(`${labels.fixedBy}: ${labels.nothingFixed}`);
  }
  for (const [key, value] of Object.entries(paste?.hints.identifiers ?? {})) {
    lines.push(`${labels.identifiers[key as keyof CaseSummaryTexts['identifiers']]}: ${String(value)}`);
  }
  if (paste) {
    const text = paste.text.length > MAX_PASTE_IN_SUMMARY ? `${paste.text.slice(0, MAX_PASTE_IN_SUMMARY)}…` : paste.text;
    lines.push(`${labels.paste}:`, ...text.split(/\r?\n/).map((line) => `  ${line}`));
  }
  lines.push(`${labels.language}: ${labels.languageNames[language]}`, `${labels.at}: ${(facts.now ?? new Date()).toISOString()}`);
  return lines.join('\n');
}
