/** `npm run eval`: prints how the matcher does on the labelled pastes. */
import { defaultMatcher } from '../src/domain/matching/load-signatures';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { EVAL_SET, evaluate, LABELS, readEvalSet, summarise } from './evaluation';

// `npm run eval` scores the working set; `npm run eval -- holdout` the held-out set, written
// by someone who never saw the matcher and never used to tune it.
const file = process.argv[2] === 'holdout' ? join(PROJECT_ROOT, 'test', 'fixtures', 'eval', 'holdout.jsonl') : EVAL_SET;

const percent = (part: number, whole: number) => (whole ? ((100 * part) / whole).toFixed(1) : '-').padStart(6);

const outcomes = evaluate(defaultMatcher(), readEvalSet(file));
const summary = summarise(outcomes);

console.log(`Evaluation set: ${file} (${outcomes.length} pastes)\n`);
console.log('error                         precision  recall  support');
for (const { label, precision, recall, support } of summary.perError) {
  console.log(`${label.padEnd(30)}${percent(precision, 1)}% ${percent(recall, 1)}%  ${String(support).padStart(6)}`);
}
console.log(`\nin scope matched and right: ${summary.inScopeRight}/${summary.inScope} (${percent(summary.inScopeRight, summary.inScope).trim()}%)`);
console.log(`none answered none:         ${summary.noneRight}/${summary.none} (${percent(summary.noneRight, summary.none).trim()}%)`);
console.log(`ambiguous offered rightly:  ${summary.ambiguousRight}/${summary.ambiguous} (${percent(summary.ambiguousRight, summary.ambiguous).trim()}%)`);

const short: Record<string, string> = {
  'agent-unreachable': 'unreach',
  'no-network': 'nonet',
  'vmsnapshot-extension-failed': 'vmsnap',
  'agent-unresponsive': 'unresp',
  'internal-error': 'internal',
  none: 'none',
  ambiguous: 'ambig',
};
console.log('\nconfusion matrix (rows: label, columns: answer)');
console.log(`${''.padEnd(10)}${LABELS.map((label) => short[label]!.padStart(9)).join('')}`);
for (const actual of LABELS) {
  const row = summary.confusion.get(actual)!;
  console.log(`${short[actual]!.padEnd(10)}${LABELS.map((predicted) => String(row.get(predicted)).padStart(9)).join('')}`);
}

const wrong = outcomes.filter((o) => o.predicted !== o.paste.label);
if (wrong.length > 0) {
  console.log(`\nmisses (${wrong.length}):`);
  for (const { paste, predicted, result } of wrong) {
    console.log(`  ${paste.id}: ${paste.label} -> ${predicted} (${result.confidence}) ${JSON.stringify(paste.text.slice(0, 100))}`);
  }
}
