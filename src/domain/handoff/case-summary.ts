/**
 * The case as plain text for a person at the helpdesk: the error, the guest OS,
 * what was tried with the user's answers, what fixed it, identifiers from the
 * paste and the paste itself (shortened). Copyable, in the user's language.
 */
import type { Library } from '../knowledge/load-articles';
import type { Language } from '../knowledge/schema';
import type { PasteRecord } from '../conversation/conversation-data';
import type { Walk } from '../flow/walk';
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
  lines.push(`${labels.error}: ${category ? `${knowledge.error(category).title} (${category})` : labels.notRecognised}`);
  if (walk) lines.push(`${labels.guestOs}: ${labels.os[walk.os]}`);
  if (walk) {
    lines.push(`${labels.tried}:`);
    if (walk.tried.length === 0) lines.push(`  - ${labels.notStarted}`);
    walk.tried.forEach((entry, index) => {
      const answer = entry.answer === 'fixed' ? labels.fixed : labels.stillFailing;
      lines.push(`  ${index + 1}. ${knowledge.cause(entry.causeId).title}: ${answer}`);
    });
    const exhausted = !walk.fixedBy && walk.position >= walk.causes.length;
    if (walk.fixedBy) lines.push(`${labels.fixedBy}: ${knowledge.cause(walk.fixedBy).title}`);
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
