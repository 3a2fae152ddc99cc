/**
 * `npm run eval`: how the matcher does on the labelled sets of test/fixtures/eval.
 *
 * Without an argument it prints every set's figures: the pastes (exact messages,
 * codes, logs) and the descriptions (what people type in their own words), each
 * with its held-out twin written by someone who never saw the matcher.
 * `npm run eval -- <set>` prints one set in detail, with its misses
 * (sets: pastes, holdout, descriptions, descriptions-holdout, descriptions-holdout-2).
 */
import { join } from 'node:path';
import { defaultMatcher } from '../src/domain/matching/load-signatures';
import { PROJECT_ROOT } from '../src/project-root';
import { describeAnswer, evaluate, LABELS, readEvalSet, summarise, summariseDescriptions, type Outcome } from './evaluation';

const SETS = {
  pastes: { file: 'pastes.jsonl', kind: 'pastes' },
  holdout: { file: 'holdout.jsonl', kind: 'pastes' },
  descriptions: { file: 'descriptions.jsonl', kind: 'descriptions' },
  'descriptions-holdout': { file: 'descriptions-holdout.jsonl', kind: 'descriptions' },
  'descriptions-holdout-2': { file: 'descriptions-holdout-2.jsonl', kind: 'descriptions' },
} as const;
type SetName = keyof typeof SETS;

const percent = (part: number, whole = 1) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '-');

function outcomesOf(name: SetName): Outcome[] {
  return evaluate(defaultMatcher(), readEvalSet(join(PROJECT_ROOT, 'test', 'fixtures', 'eval', SETS[name].file)));
}

function printPastes(name: SetName, outcomes: readonly Outcome[], detail: boolean): void {
  const summary = summarise(outcomes);
  console.log(`\n== ${name} (${outcomes.length} pastes)`);
  console.log(`in scope matched and right: ${summary.inScopeRight}/${summary.inScope} (${percent(summary.inScopeRight, summary.inScope)})`);
  console.log(`none answered none:         ${summary.noneRight}/${summary.none} (${percent(summary.noneRight, summary.none)})`);
  console.log(`ambiguous offered rightly:  ${summary.ambiguousRight}/${summary.ambiguous} (${percent(summary.ambiguousRight, summary.ambiguous)})`);
  if (!detail) return;
  console.log('\nerror                         precision  recall  support');
  for (const { label, precision, recall, support } of summary.perError) {
    console.log(`${label.padEnd(30)}${percent(precision).padStart(9)} ${percent(recall).padStart(7)}  ${String(support).padStart(6)}`);
  }
  const short = (label: string) => label.replace('vmsnapshot-extension-failed', 'vmsnap').replace('agent-', '').replace('-error', '').slice(0, 8);
  console.log('\nconfusion matrix (rows: label, columns: answer)');
  console.log(`${''.padEnd(10)}${LABELS.map((label) => short(label).padStart(9)).join('')}`);
  for (const actual of LABELS) {
    const row = summary.confusion.get(actual)!;
    console.log(`${short(actual).padEnd(10)}${LABELS.map((predicted) => String(row.get(predicted)).padStart(9)).join('')}`);
  }
}

function printDescriptions(name: SetName, outcomes: readonly Outcome[], detail: boolean): void {
  const summary = summariseDescriptions(outcomes);
  console.log(`\n== ${name} (${outcomes.length} descriptions)`);
  console.log(`in scope matched and right:   ${percent(summary.inScopeRight)} (en ${percent(summary.perLanguageRight.en)}, ja ${percent(summary.perLanguageRight.ja)})`);
  console.log(`in scope right or asked:      ${percent(summary.inScopeRightOrAsked)}`);
  console.log(`in scope matched wrong:       ${percent(summary.inScopeWrong)}`);
  console.log(`none answered none:           ${percent(summary.noneRight)}`);
  console.log(`ambiguous asked (or one):     ${percent(summary.ambiguousHandled)}`);
  if (!detail) return;
  console.log('\ngroup                          total   right  asked-right  asked-wrong   wrong    none');
  for (const { group, total, answers } of summary.rows) {
    const cells = [answers.right, answers['asked-right'], answers['asked-wrong'], answers.wrong, answers.none];
    console.log(`${group.padEnd(30)}${String(total).padStart(6)}${cells.map((n, i) => String(n).padStart(i === 1 || i === 2 ? 13 : 8)).join('')}`);
  }
}

function printMisses(outcomes: readonly Outcome[], kind: 'pastes' | 'descriptions'): void {
  const wrong = outcomes.filter((o) => (kind === 'pastes' ? o.predicted !== o.paste.label : !['right', 'asked-right'].includes(describeAnswer(o)) && !(o.paste.label === 'none' && o.predicted === 'none')));
  if (wrong.length === 0) return;
  console.log(`\nmisses (${wrong.length}):`);
  for (const { paste, predicted, result } of wrong) {
    const offered = result.status === 'ambiguous' ? ` [${result.candidates.map((c) => c.category).join(', ')}]` : '';
    console.log(`  ${paste.id}: ${paste.label} -> ${predicted}${offered} (${result.confidence}) ${JSON.stringify(paste.text.slice(0, 110))}`);
  }
}

const chosen = process.argv[2] as SetName | undefined;
if (chosen !== undefined && !(chosen in SETS)) {
  console.error(`unknown set "${chosen}"; one of: ${Object.keys(SETS).join(', ')}`);
  process.exit(2);
}
for (const name of chosen ? [chosen] : (Object.keys(SETS) as SetName[])) {
  const outcomes = outcomesOf(name);
  const { kind } = SETS[name];
  if (kind === 'pastes') printPastes(name, outcomes, chosen !== undefined);
  else printDescriptions(name, outcomes, chosen !== undefined);
  if (chosen) printMisses(outcomes, kind);
}
