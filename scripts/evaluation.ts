/**
 * Scores the matcher on the labelled pastes of test/fixtures/eval: precision and
 * recall per error, the confusion matrix, and the two rates the tests hold.
 * Used by `npm run eval` (prints) and by the evaluation test (asserts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_IDS, type ErrorId } from '../src/domain/knowledge/schema';
import type { Classification } from '../src/domain/matching/classification';
import type { Matcher } from '../src/domain/matching/matcher';
import { PROJECT_ROOT } from '../src/project-root';

export type Label = ErrorId | 'none' | 'ambiguous';

export interface LabelledPaste {
  id: string;
  label: Label;
  candidates?: ErrorId[];
  lang: 'en' | 'ja' | 'mixed';
  form: string;
  text: string;
  note?: string;
}

export interface Outcome {
  paste: LabelledPaste;
  predicted: Label;
  result: Classification;
}

export const EVAL_SET = join(PROJECT_ROOT, 'test', 'fixtures', 'eval', 'pastes.jsonl');

export function readEvalSet(file = EVAL_SET): LabelledPaste[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledPaste);
}

export function evaluate(matcher: Matcher, pastes: readonly LabelledPaste[]): Outcome[] {
  return pastes.map((paste) => {
    const result = matcher.classify(paste.text);
    const predicted: Label = result.status === 'matched' ? result.category! : result.status;
    return { paste, predicted, result };
  });
}

export const LABELS: readonly Label[] = [...ERROR_IDS, 'none', 'ambiguous'];

export interface Summary {
  inScope: number;
  inScopeRight: number;
  none: number;
  noneRight: number;
  ambiguous: number;
  /** Ambiguous pastes answered ambiguous with every expected candidate offered. */
  ambiguousRight: number;
  perError: { label: ErrorId; precision: number; recall: number; support: number }[];
  confusion: Map<Label, Map<Label, number>>;
}

export function summarise(outcomes: readonly Outcome[]): Summary {
  const confusion = new Map<Label, Map<Label, number>>(LABELS.map((actual) => [actual, new Map(LABELS.map((p) => [p, 0]))]));
  for (const { paste, predicted } of outcomes) {
    const row = confusion.get(paste.label)!;
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
  }
  const count = (filter: (outcome: Outcome) => boolean) => outcomes.filter(filter).length;
  const isError = (label: Label): label is ErrorId => (ERROR_IDS as readonly string[]).includes(label);
  const perError = ERROR_IDS.map((label) => {
    const truePositive = count((o) => o.paste.label === label && o.predicted === label);
    const predictedAs = count((o) => o.predicted === label);
    const support = count((o) => o.paste.label === label);
    return { label, precision: predictedAs ? truePositive / predictedAs : 1, recall: support ? truePositive / support : 1, support };
  });
  return {
    inScope: count((o) => isError(o.paste.label)),
    inScopeRight: count((o) => isError(o.paste.label) && o.predicted === o.paste.label),
    none: count((o) => o.paste.label === 'none'),
    noneRight: count((o) => o.paste.label === 'none' && o.predicted === 'none'),
    ambiguous: count((o) => o.paste.label === 'ambiguous'),
    ambiguousRight: count(
      (o) =>
        o.paste.label === 'ambiguous' &&
        o.predicted === 'ambiguous' &&
        (o.paste.candidates ?? []).every((expected) => o.result.candidates.some((c) => c.category === expected)),
    ),
    perError,
    confusion,
  };
}

/** How one description was answered, as the description targets count it. */
export type DescriptionAnswer = 'right' | 'asked-right' | 'asked-wrong' | 'wrong' | 'none';

export function describeAnswer({ paste, predicted, result }: Outcome): DescriptionAnswer {
  if (predicted === 'none') return 'none';
  if (paste.label === 'none') return predicted === 'ambiguous' ? 'asked-wrong' : 'wrong';
  const expected: readonly ErrorId[] = paste.label === 'ambiguous' ? (paste.candidates ?? []) : [paste.label];
  if (predicted === 'ambiguous') {
    return result.candidates.some((candidate) => expected.includes(candidate.category)) ? 'asked-right' : 'asked-wrong';
  }
  return expected.includes(predicted) ? 'right' : 'wrong';
}

export interface DescriptionRow {
  /** An error id, "none", "ambiguous", or a language ("en", "ja") for the in-scope lines of that language. */
  group: string;
  total: number;
  answers: Record<DescriptionAnswer, number>;
}

export interface DescriptionSummary {
  rows: DescriptionRow[];
  inScope: DescriptionRow;
  /** In scope: matched to the right error. */
  inScopeRight: number;
  /** In scope: matched right or asked with the right one among the candidates. */
  inScopeRightOrAsked: number;
  /** In scope: matched to a wrong error. */
  inScopeWrong: number;
  noneRight: number;
  /** Ambiguous: asked with one of their candidates, or matched one of them. */
  ambiguousHandled: number;
  perLanguageRight: Record<'en' | 'ja', number>;
}

function row(group: string, outcomes: readonly Outcome[]): DescriptionRow {
  const answers: Record<DescriptionAnswer, number> = { right: 0, 'asked-right': 0, 'asked-wrong': 0, wrong: 0, none: 0 };
  for (const outcome of outcomes) answers[describeAnswer(outcome)] += 1;
  return { group, total: outcomes.length, answers };
}

const share = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

/** The description targets: per error, per language, none and ambiguous. */
export function summariseDescriptions(outcomes: readonly Outcome[]): DescriptionSummary {
  const isError = (label: Label) => (ERROR_IDS as readonly string[]).includes(label);
  const inScopeOutcomes = outcomes.filter((o) => isError(o.paste.label));
  const byLanguage = (lang: 'en' | 'ja') => row(lang, inScopeOutcomes.filter((o) => o.paste.lang === lang));
  const languages = { en: byLanguage('en'), ja: byLanguage('ja') };
  const inScope = row('in scope', inScopeOutcomes);
  const none = row('none', outcomes.filter((o) => o.paste.label === 'none'));
  const ambiguous = row('ambiguous', outcomes.filter((o) => o.paste.label === 'ambiguous'));
  return {
    rows: [...ERROR_IDS.map((id) => row(id, outcomes.filter((o) => o.paste.label === id))), languages.en, languages.ja, inScope, none, ambiguous],
    inScope,
    inScopeRight: share(inScope.answers.right, inScope.total),
    inScopeRightOrAsked: share(inScope.answers.right + inScope.answers['asked-right'], inScope.total),
    inScopeWrong: share(inScope.answers.wrong, inScope.total),
    noneRight: share(none.answers.none, none.total),
    ambiguousHandled: share(ambiguous.answers['asked-right'] + ambiguous.answers.right, ambiguous.total),
    perLanguageRight: { en: share(languages.en.answers.right, languages.en.total), ja: share(languages.ja.answers.right, languages.ja.total) },
  };
}
