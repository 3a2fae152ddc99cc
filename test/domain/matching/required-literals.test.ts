import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expandMacros } from '../../../src/domain/matching/concept-macros';
import { ConceptMatcher, conceptView } from '../../../src/domain/matching/concept-matcher';
import { loadConcepts } from '../../../src/domain/matching/matcher-data';
import { normalizePaste } from '../../../src/domain/matching/normalize';
import { requiredLiterals } from '../../../src/domain/matching/required-literals';
import { PROJECT_ROOT } from '../../../src/project-root';

describe('the literals a pattern cannot match without', () => {
  it.each([
    ['\\bno (?:\\S+ )?(?:network|internet)', ['network', 'internet']],
    ['\\bag[ae]nts?\\b', ['agant', 'agants', 'agent', 'agents']],
    ['snap ?shot task', ['snapshot', 'snap']],
    ['(?<!exten[st]ion\\W{0,30})provisioning ?state', ['provisioningstate', 'provisioning']],
    ['com\\+|\\bmsdtc\\b', ['com+', 'msdtc']],
  ])('When the pattern is %s, Then every match holds one of %j', (source, expected) => {
    expect(requiredLiterals(source)).toEqual(expected);
  });

  it.each([['\\S+ \\w*'], ['[a-z]+ing'], ['\\d{2}'], ['(?<name>x)'], ['a?b?']])('When nothing is certain in %s, Then there are no literals (the pattern always runs)', (source) => {
    expect(requiredLiterals(source)).toBeNull();
  });

  it('When every concept and topic runs over every text of the eval sets, Then whatever a pattern matches holds one of its literals', () => {
    const lexicon = loadConcepts();
    const folder = join(PROJECT_ROOT, 'test', 'fixtures', 'eval');
    const views = readdirSync(folder)
      .filter((file) => file.endsWith('.jsonl'))
      .flatMap((file) => readFileSync(join(folder, file), 'utf8').split('\n').filter(Boolean))
      .map((line) => conceptView(normalizePaste((JSON.parse(line) as { text: string }).text)));
    const unexplained: string[] = [];
    for (const { id, patterns } of [...lexicon.concepts, ...lexicon.topics]) {
      for (const source of patterns.map((pattern) => expandMacros(pattern, lexicon.macros))) {
        const literals = requiredLiterals(source);
        if (!literals) continue;
        const pattern = new RegExp(source, 'g');
        for (const view of views) {
          for (const [found] of view.matchAll(pattern)) {
            if (found.length > 0 && !literals.some((literal) => found.includes(literal))) unexplained.push(`${id}: ${source} matched "${found}"`);
          }
        }
      }
    }
    expect(unexplained).toEqual([]);
  });

  it('When patterns are skipped for want of their literals, Then the reading is the same as running them all', () => {
    const lexicon = loadConcepts();
    const filtered = new ConceptMatcher(lexicon);
    const unfiltered = new ConceptMatcher(lexicon, { concepts: lexicon.concepts.map(() => null), topics: lexicon.topics.map(() => null) });
    for (const text of [
      'the vm agent is not responding and the snapshot extension timed out',
      'バックアップが失敗しました。VM エージェントが応答していません',
      'How much does Azure Backup cost? Also the restore failed.',
      '2017-09-20T03:14:15Z INFO ExtHandler Target handler state: enabled\n'.repeat(40),
    ]) {
      expect(filtered.read(normalizePaste(text))).toEqual(unfiltered.read(normalizePaste(text)));
    }
  });
});
