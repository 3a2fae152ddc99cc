import { defaultMatcher } from '../../src/domain/matching/load-signatures';
import { ERROR_IDS } from '../../src/domain/knowledge/schema';
import { EVAL_SET, evaluate, readEvalSet, summarise, summariseDescriptions } from '../../scripts/evaluation';

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

describe('the description sets (what people type in their own words)', () => {
  const read = (file: string) => readEvalSet(EVAL_SET.replace('pastes.jsonl', file));

  it('When the sets are read, Then each is large, half Japanese, with none and ambiguous lines', () => {
    for (const file of ['descriptions.jsonl', 'descriptions-holdout.jsonl', 'descriptions-holdout-2.jsonl']) {
      const lines = read(file);
      expect(lines.length).toBeGreaterThanOrEqual(250);
      expect(new Set(lines.map((line) => line.id)).size).toBe(lines.length);
      expect(Math.abs(lines.filter((line) => line.lang === 'ja').length * 2 - lines.length)).toBeLessThanOrEqual(lines.length * 0.1);
      expect(lines.filter((line) => line.label === 'none').length).toBeGreaterThanOrEqual(40);
      expect(lines.filter((line) => line.label === 'ambiguous').length).toBeGreaterThanOrEqual(30);
    }
  });

  it('When the working set is classified, Then it holds what tuning reached', () => {
    const summary = summariseDescriptions(evaluate(defaultMatcher(), read('descriptions.jsonl')));
    expect(summary.inScopeRight).toBeGreaterThanOrEqual(0.95);
    expect(summary.inScopeRightOrAsked).toBeGreaterThanOrEqual(0.98);
    expect(summary.inScopeWrong).toBeLessThanOrEqual(0.01);
    expect(summary.noneRight).toBeGreaterThanOrEqual(0.97);
    expect(summary.ambiguousHandled).toBeGreaterThanOrEqual(0.9);
  });

  // The targets, on sets written by people who never saw the matcher.
  it.each(['descriptions-holdout.jsonl', 'descriptions-holdout-2.jsonl'])('When the held-out set %s is classified, Then it meets the targets', (file) => {
    const summary = summariseDescriptions(evaluate(defaultMatcher(), read(file)));
    expect(summary.inScopeRight).toBeGreaterThanOrEqual(0.85);
    expect(summary.perLanguageRight.en).toBeGreaterThanOrEqual(0.8);
    expect(summary.perLanguageRight.ja).toBeGreaterThanOrEqual(0.8);
    expect(summary.inScopeRightOrAsked).toBeGreaterThanOrEqual(0.92);
    expect(summary.inScopeWrong).toBeLessThanOrEqual(0.02);
    expect(summary.noneRight).toBeGreaterThanOrEqual(0.95);
    expect(summary.ambiguousHandled).toBeGreaterThanOrEqual(0.7);
  });
});
