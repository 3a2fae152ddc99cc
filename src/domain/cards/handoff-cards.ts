/** The cards of the helpdesk handoff: the case preview (with a note field) and the case in the support channel. */
import type { HandoffCase } from '../handoff/handoff-case';
import { HANDOFF_TEXTS, type HandoffTexts } from '../i18n/handoff-texts';
import { defaultLibrary } from '../knowledge/load-articles';
import type { Language } from '../knowledge/schema';
import { button } from './buttons';
import { numbered } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';
import type { Fact, Paragraph } from './template-data';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import { defaultCurrentLibrary } from '../knowledge/load-current';
import { stepTitle } from '../flow/step-title';

const PASTE_PREVIEW_CHARS = 400;

function caseFacts(handoffCase: HandoffCase, t: HandoffTexts['preview']): Fact[] {
  // An error of the current article outside the five is named (issue 12), and still said to be none of the five.
  const other = handoffCase.otherError ? `${handoffCase.otherError.title} (${handoffCase.otherError.code}): ${t.notRecognised}` : t.notRecognised;
  const facts: Fact[] = [{ title: t.error, value: handoffCase.error ? `${handoffCase.error.title} (${handoffCase.error.category})` : other }];
  if (handoffCase.guestOs) facts.push({ title: t.guestOs, value: t.osNames[handoffCase.guestOs] });
  for (const [key, value] of Object.entries(handoffCase.identifiers)) {
    if (value) facts.push({ title: t.identifiers[key as keyof HandoffTexts['preview']['identifiers']], value: String(value) });
  }
  return facts;
}

/** The causes tried, then the current article's checks, marked as such (issue 12). */
function causeLines(handoffCase: HandoffCase, language: 'ja' | 'en', answers: HandoffTexts['preview']['answers']): Paragraph[] {
  const source = CURRENT_GUIDANCE_TEXTS[language].checks.source;
  const causes = handoffCase.causes.map((cause) => `${cause.title} — ${answers[cause.answer]}`);
  const checks = (handoffCase.checks ?? []).map((check) => `${source}: ${check.title} — ${answers[check.answer]}`);
  return [...causes, ...checks].map((text, index) => ({ text: numbered(index + 1, text) }));
}

export function casePreviewCard(ctx: CardContext, handoffCase: HandoffCase): RenderedCard {
  const t = HANDOFF_TEXTS[ctx.language].preview;
  const paste = handoffCase.paste ?? '';
  const shortened = paste.length > PASTE_PREVIEW_CHARS;
  return renderCard(ctx, 'case-preview', {
    title: t.title,
    intro: t.intro,
    facts: caseFacts(handoffCase, t),
    causesHeading: t.causesHeading,
    hasCauses: handoffCase.causes.length > 0,
    causes: causeLines(handoffCase, ctx.language, t.answers),
    pasteHeading: t.pasteHeading(shortened),
    hasPaste: paste.length > 0,
    paste: shortened ? `${paste.slice(0, PASTE_PREVIEW_CHARS)}…` : paste,
    maskedNotice: t.maskedNotice,
    noteLabel: t.noteLabel,
    notePlaceholder: t.notePlaceholder,
    note: handoffCase.note ?? '',
    buttons: [
      { ...button(ctx, t.send, { action: 'send-case' }), inputs: 'auto' },
      { ...button(ctx, t.cancel, { action: 'cancel-case' }), inputs: 'none' },
    ],
  });
}

/** Someone took the case; `by` is absent when their client gave no display name. */
export interface TakenBy {
  by?: string | undefined;
}

/**
 * The case as the helpdesk sees it in its Teams channel, in the helpdesk's
 * language (HELPDESK_LANGUAGE) whatever the user's: the error and the causes are
 * named from the article in that language; `taken` once an agent took it.
 */
export function supportCaseCard(language: Language, handoffCase: HandoffCase, taken?: TakenBy): RenderedCard {
  const t = HANDOFF_TEXTS[language];
  const knowledge = defaultLibrary()[language];
  // The button belongs to the case, not to a user's flow: the case id stands for the flow.
  const ctx: CardContext = { language, flowId: handoffCase.caseId, step: 0 };
  const current = defaultCurrentLibrary()[language];
  const other = handoffCase.otherError ? current.otherError(handoffCase.otherError.code) : undefined;
  const inHelpdeskLanguage: HandoffCase = {
    ...handoffCase,
    ...(handoffCase.error ? { error: { ...handoffCase.error, title: knowledge.error(handoffCase.error.category).title } } : {}),
    ...(handoffCase.otherError && other ? { otherError: { ...handoffCase.otherError, title: other.title, url: current.sectionUrl(other.anchor) } } : {}),
    causes: handoffCase.causes.map((cause) => ({ ...cause, title: stepTitle(knowledge, cause.causeId) })),
    ...(handoffCase.checks ? { checks: handoffCase.checks.map((check) => ({ ...check, title: stepTitle(knowledge, check.causeId) })) } : {}),
  };
  const facts = [
    ...caseFacts(inHelpdeskLanguage, t.preview),
    { title: t.support.reason, value: t.support.reasons[handoffCase.reason] },
    { title: t.support.language, value: t.support.languageNames[handoffCase.language] },
    ...(handoffCase.note ? [{ title: t.support.note, value: handoffCase.note }] : []),
  ];
  return renderCard(ctx, 'support-case', {
    title: t.support.title(handoffCase.caseId),
    facts,
    lines: causeLines(inHelpdeskLanguage, language, t.preview.answers),
    isTaken: taken !== undefined,
    takenBy: taken ? t.support.takenBy(taken.by) : '',
    buttons: taken ? [] : [button(ctx, t.support.take, { action: 'take-case' })],
  });
}
