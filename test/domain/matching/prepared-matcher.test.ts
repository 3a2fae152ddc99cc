import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMatcher, readPreparedMatcher } from '../../../src/domain/matching/load-signatures';
import { Matcher } from '../../../src/domain/matching/matcher';
import { loadConcepts, loadSignatures } from '../../../src/domain/matching/matcher-data';
import { prepareMatcher } from '../../../src/domain/matching/prepare-matcher';

// What the build writes (jest's globalSetup runs it) must be what the data files give now.
const fromSources = () => prepareMatcher(loadSignatures(), loadConcepts());

describe('the matcher prepared at build time', () => {
  it('When the build has run, Then dist/prepared-matcher.json equals what signatures.json and concepts.json give', () => {
    expect(readPreparedMatcher()).toEqual(JSON.parse(JSON.stringify(fromSources())));
  });

  it('When the phrases are prepared, Then each has its terms, a positive weight per term, and the data files are kept as parsed', () => {
    const prepared = fromSources();
    expect(prepared.phrases).toHaveLength(prepared.signatures.phrases.length);
    for (const phrase of prepared.phrases) {
      expect(phrase.terms.length).toBeGreaterThan(0);
      expect(phrase.weights).toHaveLength(phrase.terms.length);
      expect(phrase.weights.every((weight) => weight > 0)).toBe(true);
    }
    expect(prepared.signatures).toEqual(loadSignatures());
    expect(prepared.concepts).toEqual(loadConcepts());
  });

  it('When a matcher is built from a freshly prepared form, Then it answers as the process-wide one', () => {
    const fresh = new Matcher(JSON.parse(JSON.stringify(fromSources())));
    for (const paste of [
      'UserErrorGuestAgentStatusUnavailable',
      'VM エージェントが応答していないため、この操作を実行できません',
      'the snaphsot extenison faild, no netwrok on the vm',
      'How much does Azure Backup cost?',
    ]) {
      expect(fresh.classify(paste)).toEqual(defaultMatcher().classify(paste));
    }
  });

  it('When the prepared file is missing, Then reading it says to run the build', () => {
    const folder = mkdtempSync(join(tmpdir(), 'prepared-'));
    try {
      expect(() => readPreparedMatcher(join(folder, 'prepared-matcher.json'))).toThrow(/prepared-matcher\.json is missing: run npm run build/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
