import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wrappedWords } from '../../../src/domain/matching/wrapped-words';
import { normalizePaste } from '../../../src/domain/matching/normalize';
import { BENCH_PASTES } from '../../../scripts/bench-pastes';
import { seededRandom } from '../../../scripts/load/stats';

/** The pattern the scan replaces: its results are the specification. */
const WRAPPED = /([a-z][a-z0-9]{5,63})[ \t]*(?:\r?\n|>)[ \t>]*([a-z][a-z0-9]{3,63})/g;
const byPattern = (text: string): [string, string][] => [...text.matchAll(WRAPPED)].map(([, head, tail]) => [head!, tail!]);

/** Runs of letters, digits and break characters, of every length around the pattern's bounds. */
function randomText(random: () => number): string {
  const pieces = ['\n', '\r\n', '\r', ' ', '\t', '>', '-', '.', 'é'];
  let text = '';
  const parts = 1 + Math.floor(random() * 8);
  for (let i = 0; i < parts; i++) {
    if (random() < 0.5) {
      const length = [2, 3, 4, 5, 6, 7, 63, 64, 65, 70, 130][Math.floor(random() * 11)]!;
      text += Array.from({ length }, () => (random() < 0.15 ? String(Math.floor(random() * 10)) : String.fromCharCode(97 + Math.floor(random() * 3)))).join('');
    } else {
      text += Array.from({ length: 1 + Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]!).join('');
    }
  }
  return text;
}

describe('words broken by a line wrap', () => {
  it('When a code is wrapped over two lines or in a quoted e-mail, Then its two halves are found', () => {
    expect(wrappedWords('error code:\nguestagentsnapshot\ntaskstatuserror')).toEqual([['guestagentsnapshot', 'taskstatuserror']]);
    expect(wrappedWords('> error code: usererrorguestagent\n> statusunavailable')).toEqual([['usererrorguestagent', 'statusunavailable']]);
    expect(wrappedWords('short\nwords only')).toEqual([]);
  });

  it('When random texts of letters, digits and breaks are scanned, Then the pairs are the pattern\'s, bounds and overlaps included', () => {
    const random = seededRandom(7);
    const differing: { text: string; expected: [string, string][]; actual: [string, string][] }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const text = randomText(random);
      const expected = byPattern(text);
      const actual = wrappedWords(text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) differing.push({ text, expected, actual });
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('When the benchmark\'s pastes, the article\'s content and the README are scanned, Then the pairs are the pattern\'s', () => {
    const texts = [
      ...BENCH_PASTES.flatMap((paste) => paste.texts),
      readFileSync(join(__dirname, '../../../src/domain/knowledge/content/ja.json'), 'utf8'),
      readFileSync(join(__dirname, '../../../README.md'), 'utf8'),
    ].map((text) => normalizePaste(text));
    for (const text of texts) expect(wrappedWords(text)).toEqual(byPattern(text));
  });
});
