import { loadConcepts, CONCEPTS_FILE } from '../../../src/domain/matching/matcher-data';
import rawConcepts from '../../../src/domain/matching/concepts.json';
import { ConceptMatcher, conceptView } from '../../../src/domain/matching/concept-matcher';
import { Speller } from '../../../src/domain/matching/speller';

function withChange(change: (lexicon: typeof rawConcepts) => void): unknown {
  const copy = structuredClone(rawConcepts);
  change(copy);
  return copy;
}

describe('concepts.json under its schema', () => {
  it('When the shipped file is loaded, Then it passes', () => {
    expect(loadConcepts().concepts.length).toBeGreaterThan(10);
  });

  it.each([
    ['a pattern that does not compile', (l: typeof rawConcepts) => (l.concepts[0]!.patterns[0] = '(unclosed'), /concepts\.0\.patterns\.0: pattern does not compile/],
    ['a rule naming an unknown concept', (l: typeof rawConcepts) => (l.rules[0]!.all[0] = 'no-such-concept'), /rules\.0\.all: unknown concept "no-such-concept"/],
    ['an unknown macro', (l: typeof rawConcepts) => (l.concepts[0]!.patterns[0] = '{NOPE} agent'), /unknown macro \{NOPE\}/],
    ['a description scored like a code', (l: typeof rawConcepts) => (l.rules[0]!.score = 0.97), /rules\.0\.score/],
  ])('When it has %s, Then loading fails naming the file and the field', (_, change, message) => {
    expect(() => loadConcepts(withChange(change), CONCEPTS_FILE)).toThrow(message);
    expect(() => loadConcepts(withChange(change), CONCEPTS_FILE)).toThrow(/src\/domain\/matching\/concepts\.json/);
  });
});

describe('the concept view', () => {
  it('When Japanese words are split by spaces (OCR, IME habits), Then the spaces go, and English spacing stays', () => {
    expect(conceptView('vm エ ー ジ ェ ン ト が  応答  しない')).toBe('vmエージェントが応答しない');
    expect(conceptView('the  vm\nagent   is down')).toBe('the vm agent is down');
  });

  it('When a paste is long, Then only its head is read', () => {
    const reader = new ConceptMatcher(loadConcepts());
    const tail = `${'x '.repeat(20_000)} the vm agent is not responding`;
    expect(reader.read(tail).hits).toEqual([]);
  });
});

describe('the speller', () => {
  const speller = new Speller(['snapshot', 'network', 'failed', 'responding']);

  it('When a key word is one letter off, Then it is written right', () => {
    expect(speller.correct('snaphsot faild on netwrok')).toBe('snapshot failed on network');
  });

  it('When a word is an ordinary word near no key word, Then it is left alone', () => {
    expect(speller.correct('talking about networking')).toBe('talking about networking');
    expect(speller.spelling('agent')).toBeNull();
  });
});
