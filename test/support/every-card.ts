/**
 * Every card the bot can send, rendered with realistic data: every error ×
 * every applicable cause position × guest OS for the cause card, the fixed
 * (with and without the follow-up promise) and exhausted cards of every walk,
 * the recognized and "Did you mean" cards of the evaluation pastes, and the
 * welcome, help, error-list, guest-OS, switch, answered, case-preview,
 * support-case and follow-up cards. Shared by the validation, the button-length
 * and the wording tests, so that a new card needs adding here once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answeredCard,
  casePreviewCard,
  causeCard,
  chooseOsCard,
  didYouMeanCard,
  errorChoiceCard,
  exhaustedCard,
  fixedCard,
  followUpCard,
  helpCard,
  recognisedCard,
  supportCaseCard,
  switchErrorCard,
  welcomeCard,
  type CardContext,
  type RenderedCard,
} from '../../src/domain/cards';
import { GuestOsChoiceSchema } from '../../src/domain/flow/card-action';
import { answerCause, startWalk, walkSteps, type Walk } from '../../src/domain/flow/walk';
import { currentCheckCard } from '../../src/domain/cards/current-check';
import { otherErrorCard } from '../../src/domain/cards/other-error';
import { OTHER_ERROR_CODES } from '../../src/domain/knowledge/current-schema';
import { describeDelay, type FollowUp } from '../../src/domain/follow-up/follow-up';
import { startSession } from '../../src/domain/insights/session';
import { buildHandoffCase } from '../../src/domain/handoff/build-case';
import { caseSummaryText } from '../../src/domain/handoff/case-summary';
import type { HandoffCase } from '../../src/domain/handoff/handoff-case';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import { ERROR_IDS, LANGUAGES, type ErrorId, type Language } from '../../src/domain/knowledge/schema';
import type { Classification, Evidence, EvidenceAbout, EvidenceKind } from '../../src/domain/matching/classification';
import { describeEvidence } from '../../src/domain/i18n/evidence-texts';
import { defaultMatcher } from '../../src/domain/matching/load-signatures';
import { PROJECT_ROOT } from '../../src/project-root';

export interface CardCase {
  name: string;
  ctx: CardContext;
  render: (ctx: CardContext) => RenderedCard;
}

const OSES = GuestOsChoiceSchema.options;
const NOW = new Date('2026-01-05T09:30:00.000Z');

export const ctxFor = (language: Language): CardContext => ({ language, flowId: 'flow-7f3a', step: 4 });

function walks(language: Language): Walk[] {
  const knowledge = defaultLibrary()[language];
  return ERROR_IDS.flatMap((category) => OSES.map((os) => startWalk(knowledge, category, os)));
}

function causeCases(language: Language): CardCase[] {
  return walks(language).flatMap((walk) =>
    walk.causes.map((causeId, position) => ({
      name: `cause ${language} ${walk.category} ${walk.os} ${position + 1}/${walk.causes.length} (${causeId})`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => causeCard(ctx, { ...walk, position }),
    })),
  );
}

/** The walk after "still failing" on every cause and extra check, as the exhausted card sees it. */
function exhaustedWalk(walk: Walk): Walk {
  const steps = walkSteps(walk);
  return { ...walk, position: steps.length, tried: steps.map((causeId) => ({ causeId, answer: 'still-failing' as const, at: NOW.toISOString() })) };
}

/** The current article's extra checks after the last cause (issue 12), for every error × OS that has them. */
function extraCheckCases(language: Language): CardCase[] {
  return walks(language).flatMap((walk) =>
    (walk.checks ?? []).map((checkId, index) => ({
      name: `extra check ${language} ${walk.category} ${walk.os} ${index + 1}/${walk.checks?.length ?? 0} (${checkId})`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => currentCheckCard(ctx, { ...walk, position: walk.causes.length + index }),
    })),
  );
}

/** The current article's errors outside the five (issue 12). */
function otherErrorCases(language: Language): CardCase[] {
  return OTHER_ERROR_CODES.map((code) => ({ name: `other error ${language} ${code}`, ctx: ctxFor(language), render: (ctx: CardContext) => otherErrorCard(ctx, code) }));
}

function outcomeCases(language: Language): CardCase[] {
  const library = defaultLibrary();
  const paste = { text: 'UserErrorGuestAgentStatusUnavailable on vm-web-01', hints: { language, identifiers: { vmName: 'vm-web-01', resourceGroup: 'rg-prod' } }, at: NOW.toISOString() };
  return walks(language).flatMap((walk) => [
    // The current article's extra checks (issue 12) can fix it too, and are listed on the exhausted card.
    ...walkSteps(walk).map((causeId, position) => ({
      name: `fixed ${language} ${walk.category} ${walk.os} by ${causeId}`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => fixedCard(ctx, { ...walk, position, fixedBy: causeId }, position === 0 ? describeDelay(24 * 3_600_000, language) : undefined),
    })),
    {
      name: `exhausted ${language} ${walk.category} ${walk.os}`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => {
        const done = exhaustedWalk(walk);
        return exhaustedCard(ctx, done, caseSummaryText(library, { language, walk: done, paste, now: NOW }));
      },
    },
  ]);
}

/** The labelled pastes of the evaluation set, classified by the real matcher. */
function classifiedPastes(): Classification[] {
  const lines = readFileSync(join(PROJECT_ROOT, 'test/fixtures/eval/pastes.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => defaultMatcher().classify((JSON.parse(line) as { text: string }).text));
}

let classified: Classification[] | undefined;

/** A matched paste with every kind of evidence, a typo'd code among them, and every hint. */
export function syntheticMatch(language: Language): Classification {
  const evidence: Evidence[] = (
    [
      ['code', { kind: 'code', code: 'ExtensionSnapshotFailedNoNetwork', elsewhere: false, written: 'ExtensionSnapshotFailedNoNetwrok', cutShort: false }, ['no-network'], 1],
      ['phrase', { kind: 'message', message: 'no network connectivity on the virtual machine', percent: 94, cutShort: true, elsewhere: false }, ['no-network'], 0.9],
      ['description', { kind: 'described', terms: ['snapshot', 'no network'] }, ['no-network'], 0.8],
      ['other-service', { kind: 'other-service', name: 'Site Recovery' }, [], 0.1],
    ] satisfies [EvidenceKind, EvidenceAbout, ErrorId[], number][]
  ).map(([kind, about, categories, score]) => ({ kind, about, text: describeEvidence(about, 'en'), categories, score }));
  return {
    status: 'matched',
    category: 'no-network',
    confidence: 0.934,
    candidates: [{ category: 'no-network', confidence: 0.934 }],
    evidence,
    hints: {
      language,
      guestOs: 'linux',
      guestOsClue: 'waagent',
      identifiers: { vmName: 'vm-web-01', resourceGroup: 'rg-prod', vault: 'rsv-prod', jobId: '0f2b6c1e-8a4d-4c3e-9b7a-2d5e6f708192' },
    },
  };
}

function classificationCases(language: Language): CardCase[] {
  classified ??= classifiedPastes();
  const ctx = ctxFor(language);
  const synthetic = syntheticMatch(language);
  const matched = [synthetic, ...classified.filter((result) => result.status === 'matched')];
  const ambiguous = classified.filter((result) => result.status === 'ambiguous');
  return [
    ...matched.map((result, index) => ({ name: `recognised ${language} #${index}`, ctx, render: (c: CardContext) => recognisedCard(c, result) })),
    { name: `recognised ${language} read from a picture`, ctx, render: (c: CardContext) => recognisedCard(c, synthetic, { image: { typed: false } }) },
    { name: `recognised ${language} read from a picture and typed text`, ctx, render: (c: CardContext) => recognisedCard(c, synthetic, { image: { typed: true } }) },
    ...ambiguous.map((result, index) => ({ name: `did you mean ${language} #${index}`, ctx, render: (c: CardContext) => didYouMeanCard(c, result.candidates) })),
    ...ERROR_IDS.map((category) => ({ name: `did you mean ${language} ${category} alone`, ctx, render: (c: CardContext) => didYouMeanCard(c, [{ category, confidence: 0.5 }]) })),
  ];
}

/** Cases as the handoff builds them: mid-walk with a paste and a note, a long paste, and with nothing known. */
export function handoffCases(language: Language): HandoffCase[] {
  const library = defaultLibrary();
  const walk = { ...startWalk(library[language], 'agent-unreachable', 'linux'), position: 1, tried: [{ causeId: 'no-internet' as const, answer: 'still-failing' as const, at: NOW.toISOString() }] };
  const paste = { text: 'UserErrorGuestAgentStatusUnavailable on vm-web01, AccountKey=abc', hints: { language, identifiers: { vmName: 'vm-web01' } }, at: NOW.toISOString() };
  const longPaste = { ...paste, text: `${'2026-01-05T09:29:58Z WARNING ExtHandler Unable to reach the WireServer endpoint\n'.repeat(8)}UserErrorGuestAgentStatusUnavailable` };
  const note = language === 'ja' ? '月曜日から失敗しています' : 'Since Monday';
  const internal = startWalk(library[language], 'internal-error', 'unknown');
  const checked = walkSteps(internal).reduce((state) => answerCause(state, 'still-failing', NOW), internal);
  const other = { text: 'UserErrorRpCollectionLimitReached', hints: { language, identifiers: {} }, otherError: 'UserErrorRpCollectionLimitReached' as const, at: NOW.toISOString() };
  return [
    buildHandoffCase(library, { language, channelId: 'test', reason: 'user-request', walk, paste, note, transcript: [], caseId: 'case-1', now: NOW }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'not-covered', transcript: [], caseId: 'case-2', now: NOW }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'exhausted', walk: exhaustedWalk(walk), paste: longPaste, transcript: [], caseId: 'case-3', now: NOW }),
    // Issue 12: a walk that went on into the current article's checks, and a paste of an error outside the five.
    buildHandoffCase(library, { language, channelId: 'test', reason: 'exhausted', walk: checked, transcript: [], caseId: 'case-4', now: NOW }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'not-covered', paste: other, transcript: [], caseId: 'case-5', now: NOW }),
  ];
}

function followUp(language: Language, vmName: string | undefined): FollowUp {
  const walk = startWalk(defaultLibrary()[language], 'agent-unresponsive', 'windows');
  return {
    sessionId: 'session-1',
    session: { ...startSession({ id: 'session-1', via: 'text', language, channel: 'msteams' }, NOW), engaged: true },
    category: walk.category,
    os: walk.os,
    causes: walk.causes,
    fixedAt: 0,
    tried: [{ causeId: walk.causes[0]!, answer: 'fixed', at: NOW.toISOString() }],
    ...(vmName ? { vmName } : {}),
    language,
    ask: 1,
  };
}

function otherCases(language: Language): CardCase[] {
  const ctx = ctxFor(language);
  const t = CARD_TEXTS[language];
  // Support cards are in the helpdesk's language: each case in either language, read in each.
  const supportCases = LANGUAGES.flatMap((userLanguage) => handoffCases(userLanguage));
  return [
    { name: `welcome ${language}`, ctx, render: welcomeCard },
    { name: `help ${language}`, ctx, render: helpCard },
    { name: `answered ${language}`, ctx, render: (c: CardContext) => answeredCard(c, t.cause.position(2, 4), t.cause.next) },
    ...handoffCases(language).map((handoffCase, index) => ({
      name: `case preview ${language} #${index}`,
      ctx,
      render: (c: CardContext) => casePreviewCard(c, handoffCase),
    })),
    ...supportCases.flatMap((handoffCase, index) =>
      [undefined, { by: 'Aiko Tanaka' }, { by: undefined }].map((taken, variant) => ({
        name: `support case ${language} #${index} (${handoffCase.language} user) ${['open', 'taken by a name', 'taken unnamed'][variant]}`,
        ctx: { language, flowId: handoffCase.caseId, step: 0 },
        render: () => supportCaseCard(language, handoffCase, taken),
      })),
    ),
    ...(['browse', 'not-covered', 'none-of-these'] as const).map((reason) => ({
      name: `error choice ${language} ${reason}`,
      ctx,
      render: (c: CardContext) => errorChoiceCard(c, reason),
    })),
    ...ERROR_IDS.map((category) => ({ name: `choose os ${language} ${category}`, ctx, render: (c: CardContext) => chooseOsCard(c, category) })),
    ...ERROR_IDS.flatMap((current) =>
      ERROR_IDS.filter((next) => next !== current).map((next) => ({
        name: `switch error ${language} ${current} → ${next}`,
        ctx,
        render: (c: CardContext) => switchErrorCard(c, current, next),
      })),
    ),
    ...['vm-web-01', undefined].map((vmName) => ({
      name: `follow-up ${language} ${vmName ?? 'without a VM name'}`,
      ctx,
      render: (c: CardContext) => followUpCard(c, followUp(language, vmName)),
    })),
  ];
}

/** The cards by family, for one language. */
export const CARD_FAMILIES: Record<string, (language: Language) => CardCase[]> = {
  'cause cards (every error × applicable cause position × OS)': causeCases,
  'fixed and exhausted cards (every error × OS × fixing cause or check)': outcomeCases,
  "the current article's extra checks (every error × OS that has them)": extraCheckCases,
  "the current article's other errors": otherErrorCases,
  'recognised and did-you-mean cards (the evaluation pastes)': classificationCases,
  'welcome, help, error choice, choose OS, switch error, handoff and follow-up cards': otherCases,
};

/** Every card in one language. */
export function everyCard(language: Language): CardCase[] {
  return Object.values(CARD_FAMILIES).flatMap((family) => family(language));
}
