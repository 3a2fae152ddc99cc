import { defaultMatcher } from '../../src/domain/matching/load-signatures';
import { ERROR_IDS } from '../../src/domain/knowledge/schema';
import { EVAL_SET, evaluate, readEvalSet, summarise } from '../../scripts/evaluation';

const pastes = readEvalSet();

describe('the labelled evaluation set', () => {
  it('When the set is read, Then it is large and varied enough to mean something', () => {
    expect(pastes.length).toBeGreaterThanOrEqual(200);
    expect(new Set(pastes.map((paste) => paste.id)).size).toBe(pastes.length);
    expect(pastes.filter((paste) => paste.lang === 'ja').length * 3).toBeGreaterThanOrEqual(pastes.length);
    expect(pastes.filter((paste) => paste.label === 'none').length).toBeGreaterThanOrEqual(60);
    for (const error of ERROR_IDS) expect(pastes.filter((paste) => paste.label === error).length).toBeGreaterThanOrEqual(20);
  });

  const summary = summarise(evaluate(defaultMatcher(), pastes));

  it('When the in-scope pastes are classified, Then at least 97% are matched to the right error', () => {
    expect(summary.inScopeRight / summary.inScope).toBeGreaterThanOrEqual(0.97);
  });

  it('When the out-of-scope pastes are classified, Then at least 95% are answered none', () => {
    expect(summary.noneRight / summary.none).toBeGreaterThanOrEqual(0.95);
  });

  it('When a paste is ambiguous by history, Then the expected candidates are offered', () => {
    expect(summary.ambiguousRight / summary.ambiguous).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the held-out set (written without seeing the matcher)', () => {
  const holdout = summarise(evaluate(defaultMatcher(), readEvalSet(EVAL_SET.replace('pastes.jsonl', 'holdout.jsonl'))));

  it('When its pastes are classified, Then it stays close to the working set', () => {
    expect(holdout.inScopeRight / holdout.inScope).toBeGreaterThanOrEqual(0.9);
    expect(holdout.noneRight / holdout.none).toBeGreaterThanOrEqual(0.95);
  });
});
