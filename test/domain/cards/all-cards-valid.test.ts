/**
 * Renders every card the bot can send — every error × every applicable cause
 * position × guest OS × language for the cause card, and every other builder in
 * both languages — and checks each against the Adaptive Cards library at schema
 * 1.5 and the channel rules (card-checks.ts).
 */
import { buildHandoffCase } from '../../../src/domain/handoff/build-case';
import type { HandoffCase } from '../../../src/domain/handoff/handoff-case';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  causeCard,
  chooseOsCard,
  didYouMeanCard,
  errorChoiceCard,
  exhaustedCard,
  fixedCard,
  answeredCard,
  casePreviewCard,
  supportCaseCard,
  helpCard,
  recognisedCard,
  switchErrorCard,
  welcomeCard,
  type CardContext,
  type RenderedCard,
} from '../../../src/domain/cards';
import { GuestOsChoiceSchema } from '../../../src/domain/flow/card-action';
import { answerCause, startWalk, walkSteps, type Walk } from '../../../src/domain/flow/walk';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { ERROR_IDS, LANGUAGES, type Language } from '../../../src/domain/knowledge/schema';
import type { Classification } from '../../../src/domain/matching/classification';
import { defaultMatcher } from '../../../src/domain/matching/load-signatures';
import { PROJECT_ROOT } from '../../../src/project-root';
import { cardProblems } from './card-checks';

const OSES = GuestOsChoiceSchema.options;
const ctxFor = (language: Language): CardContext => ({ language, flowId: 'flow-7f3a', step: 4 });

interface Case {
  name: string;
  ctx: CardContext;
  render: (ctx: CardContext) => RenderedCard;
}

function walks(language: Language): Walk[] {
  const knowledge = defaultLibrary()[language];
  return ERROR_IDS.flatMap((category) => OSES.map((os) => startWalk(knowledge, category, os)));
}

function causeCases(language: Language): Case[] {
  return walks(language).flatMap((walk) =>
    walk.causes.map((causeId, position) => ({
      name: `cause ${language} ${walk.category} ${walk.os} ${position + 1}/${walk.causes.length} (${causeId})`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => causeCard(ctx, { ...walk, position }),
    })),
  );
}

function outcomeCases(language: Language): Case[] {
  const summary = 'Error: UserErrorGuestAgentStatusUnavailable\nVM: vm-web-01 (rg-prod)\n\nTried: no-internet, snapshot-status';
  return walks(language).flatMap((walk) => [
    // The current article's extra checks (issue 12) can fix it too, and are listed on the exhausted card.
    ...walkSteps(walk).map((causeId, position) => ({
      name: `fixed ${language} ${walk.category} ${walk.os} by ${causeId}`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => fixedCard(ctx, { ...walk, position, fixedBy: causeId }),
    })),
    {
      name: `exhausted ${language} ${walk.category} ${walk.os}`,
      ctx: ctxFor(language),
      render: (ctx: CardContext) => exhaustedCard(ctx, { ...walk, position: walkSteps(walk).length }, summary),
    },
  ]);
}

/** The labelled pastes of the evaluation set, classified by the real matcher: matched → recognised, ambiguous → did you mean. */
function classifiedPastes(): Classification[] {
  const lines = readFileSync(join(PROJECT_ROOT, 'test/fixtures/eval/pastes.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => defaultMatcher().classify((JSON.parse(line) as { text: string }).text));
}

function classificationCases(language: Language, classified: readonly Classification[]): Case[] {
  const ctx = ctxFor(language);
  const synthetic: Classification = {
    status: 'matched',
    category: 'no-network',
    confidence: 0.934,
    candidates: [{ category: 'no-network', confidence: 0.934 }],
    evidence: [
      { kind: 'code', text: 'error code ExtensionSnapshotFailedNoNetwork', categories: ['no-network'], score: 1 },
      { kind: 'phrase', text: 'message "no network connectivity on the virtual machine"', categories: ['no-network'], score: 0.8 },
      { kind: 'phrase', text: 'message "Snapshot operation failed"', categories: ['no-network', 'vmsnapshot-extension-failed'], score: 0.5 },
      { kind: 'other-service', text: 'a fourth reason that is left out', categories: ['no-network'], score: 0.1 },
    ],
    hints: {
      language,
      guestOs: 'linux',
      guestOsClue: 'waagent',
      identifiers: { vmName: 'vm-web-01', resourceGroup: 'rg-prod', vault: 'rsv-prod', jobId: '0f2b6c1e-8a4d-4c3e-9b7a-2d5e6f708192' },
    },
  };
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

/** Cases as the handoff builds them: mid-walk with a paste and a note, and with nothing known. */
function handoffCases(language: Language): HandoffCase[] {
  const library = defaultLibrary();
  const walk = { ...startWalk(library[language], 'agent-unreachable', 'linux'), position: 1, tried: [{ causeId: 'no-internet' as const, answer: 'still-failing' as const, at: '2026-01-01T00:00:00.000Z' }] };
  const paste = { text: 'UserErrorGuestAgentStatusUnavailable on vm-web01, AccountKey=abc', hints: { language, identifiers: { vmName: 'vm-web01' } }, at: '2026-01-01T00:00:00.000Z' };
  // Issue 12: a walk that went on into the current article's checks, and a paste of an error outside the five.
  const checked = walkSteps(startWalk(library[language], 'internal-error', 'unknown')).reduce((state) => answerCause(state, 'still-failing'), startWalk(library[language], 'internal-error', 'unknown'));
  const other = { text: 'UserErrorRpCollectionLimitReached', hints: { language, identifiers: {} }, otherError: 'UserErrorRpCollectionLimitReached' as const, at: '2026-01-01T00:00:00.000Z' };
  return [
    buildHandoffCase(library, { language, channelId: 'test', reason: 'user-request', walk, paste, note: 'Since Monday', transcript: [], caseId: 'case-1' }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'not-covered', transcript: [], caseId: 'case-2' }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'exhausted', walk: checked, transcript: [], caseId: 'case-3' }),
    buildHandoffCase(library, { language, channelId: 'test', reason: 'not-covered', paste: other, transcript: [], caseId: 'case-4' }),
  ];
}

function otherCases(language: Language): Case[] {
  const ctx = ctxFor(language);
  return [
    { name: `welcome ${language}`, ctx, render: welcomeCard },
    { name: `help ${language}`, ctx, render: helpCard },
    { name: `answered ${language}`, ctx, render: (c: CardContext) => answeredCard(c, 'Cause 2 of 4', 'Still failing: next cause') },
    ...handoffCases(language).map((handoffCase, index) => ({
      name: `case preview ${language} #${index}`,
      ctx,
      render: (c: CardContext) => casePreviewCard(c, handoffCase),
    })),
    ...handoffCases(language).map((handoffCase, index) => ({
      name: `support case ${language} #${index}`,
      ctx: { language, flowId: handoffCase.caseId, step: 0 },
      render: () => supportCaseCard(language, handoffCase, index === 0 ? 'Aiko Tanaka' : undefined),
    })),
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
  ];
}

function problemsOf(cases: readonly Case[]): string[] {
  return cases.flatMap(({ name, ctx, render }) => cardProblems(render(ctx), ctx).map((problem) => `${name}: ${problem}`));
}

describe('every card is a valid Adaptive Card 1.5 that Teams and Web Chat can show', () => {
  const classified = classifiedPastes();
  const families: Record<string, (language: Language) => Case[]> = {
    'cause cards (every error × applicable cause position × OS)': causeCases,
    'fixed and exhausted cards (every error × OS × fixing cause)': outcomeCases,
    'recognised and did-you-mean cards (the evaluation pastes)': (language) => classificationCases(language, classified),
    'welcome, help, error choice, choose OS and switch error cards': otherCases,
  };

  describe.each(LANGUAGES)('in %s', (language) => {
    it.each(Object.keys(families))('When the %s are rendered, Then each passes the library and the channel rules', (family) => {
      const cases = families[family](language);
      expect(cases.length).toBeGreaterThan(0);
      expect(problemsOf(cases)).toEqual([]);
    });
  });

  it('When the cases are counted, Then every cause position of every walk is among them, each once', () => {
    const all = LANGUAGES.flatMap((language) => Object.values(families).flatMap((family) => family(language)));
    // 5 errors × 3 OS choices give 13 + 9 + 13 + 7 + 13 cause positions per language.
    expect(all.filter(({ name }) => name.startsWith('cause ')).length).toBe(110);
    expect(new Set(all.map(({ name }) => name)).size).toBe(all.length);
    // Printed so that the number can be quoted; the assertions above are what fail.
    console.info(`the validation renders ${all.length} cards`);
  });
});
