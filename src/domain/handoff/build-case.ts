/**
 * Builds the handoff case from what the conversation knows: the error, the OS,
 * each cause with the user's answer, the paste, identifiers, the note and the
 * transcript. Everything that leaves the bot goes through redaction here, once.
 */
import { randomUUID } from 'node:crypto';
import type { PasteRecord } from '../conversation/conversation-data';
import type { Walk, WalkStepId } from '../flow/walk';
import { stepTitle } from '../flow/step-title';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import type { Library } from '../knowledge/load-articles';
import type { Language } from '../knowledge/schema';
import { documentedCodes } from '../matching/load-signatures';
import { caseSummaryText } from './case-summary';
import type { CaseCause, HandoffCase, HandoffReason, TranscriptLine } from './handoff-case';
import { redactDeep } from './redact';

export interface CaseFactsForHandoff {
  language: Language;
  channelId: string;
  reason: HandoffReason;
  walk?: Walk;
  paste?: PasteRecord;
  note?: string;
  transcript: TranscriptLine[];
  caseId?: string;
  now?: Date;
}

function causesOf(library: Library, language: Language, walk: Walk, ids: readonly WalkStepId[]): CaseCause[] {
  const knowledge = library[language];
  return ids.map((causeId) => {
    const tried = walk.tried.find((entry) => entry.causeId === causeId);
    return {
      causeId,
      title: stepTitle(knowledge, causeId),
      answer: tried?.answer ?? 'not-reached',
      ...(tried ? { answeredAt: tried.at } : {}),
    };
  });
}

export function buildHandoffCase(library: Library, facts: CaseFactsForHandoff): HandoffCase {
  const { language, walk, paste } = facts;
  const now = facts.now ?? new Date();
  const category = walk?.category ?? paste?.category;
  const otherError = category ? undefined : paste?.otherError;
  const current = defaultCurrentLibrary()[language];
  const raw: HandoffCase = {
    caseId: facts.caseId ?? randomUUID(),
    reason: facts.reason,
    createdAt: now.toISOString(),
    language,
    channelId: facts.channelId,
    ...(category ? { error: { category, title: library[language].error(category).title, codes: documentedCodes(category) } } : {}),
    ...(walk ? { guestOs: walk.os } : paste?.hints.guestOs ? { guestOs: paste.hints.guestOs } : {}),
    ...(otherError ? { otherError: { code: otherError, title: current.otherError(otherError).title, url: current.sectionUrl(current.otherError(otherError).anchor) } } : {}),
    causes: walk ? causesOf(library, language, walk, walk.causes) : [],
    ...(walk?.checks?.length ? { checks: causesOf(library, language, walk, walk.checks) } : {}),
    ...(walk?.fixedBy ? { fixedBy: walk.fixedBy } : {}),
    ...(paste ? { paste: paste.text } : {}),
    identifiers: paste?.hints.identifiers ?? {},
    ...(facts.note ? { note: facts.note } : {}),
    transcript: facts.transcript,
    summary: caseSummaryText(library, { language, ...(walk ? { walk } : {}), ...(paste ? { paste } : {}), now }),
  };
  return redactDeep(raw).value;
}
