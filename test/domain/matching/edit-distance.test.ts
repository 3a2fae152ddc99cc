import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance';
import { damerauLevenshteinDistance } from '../../../src/domain/matching/edit-distance';
import { loadSignatures } from '../../../src/domain/matching/matcher-data';
import { seededRandom } from '../../../scripts/load/stats';

/** `word` with up to three random edits: insert, delete, change, swap two neighbours. */
function edited(word: string, alphabet: string, random: () => number): string {
  const chars = word.split('');
  const edits = Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    const char = alphabet[Math.floor(random() * alphabet.length)]!;
    const kind = Math.floor(random() * 4);
    if (kind === 0) chars.splice(at, 0, char);
    else if (kind === 1) chars.splice(at, 1);
    else if (kind === 2 && at < chars.length) chars[at] = char;
    else if (at + 1 < chars.length) [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
  }
  return chars.join('');
}

describe('the Damerau-Levenshtein distance of error codes', () => {
  it('When strings differ by a few edits over small alphabets, Then the distance is natural\'s, quirks included', () => {
    const random = seededRandom(13);
    const differing: [string, string, number, number][] = [];
    for (const alphabet of ['ab', 'abc', 'abcde', 'usererrorguestagent']) {
      for (let i = 0; i < 5_000; i++) {
        const word = Array.from({ length: Math.floor(random() * 9) }, () => alphabet[Math.floor(random() * alphabet.length)]!).join('');
        const other = edited(word, alphabet, random);
        const expected = DamerauLevenshteinDistance(word, other);
        const actual = damerauLevenshteinDistance(word, other);
        if (actual !== expected) differing.push([word, other, expected, actual]);
      }
    }
    expect(differing).toEqual([]);
  });

  it('When misspelt known codes are compared with the known codes of about their length, Then the distance is natural\'s', () => {
    const random = seededRandom(7);
    const codes = loadSignatures().codes.map(({ code }) => code.toLowerCase());
    const differing: [string, string][] = [];
    for (const code of codes) {
      const misspelt = edited(code, 'abcdefghijklmnopqrstuvwxyz', random);
      // The code matcher compares only codes within two letters of each other's length.
      for (const known of codes.filter((other) => Math.abs(other.length - misspelt.length) <= 2)) {
        if (damerauLevenshteinDistance(misspelt, known) !== DamerauLevenshteinDistance(misspelt, known)) differing.push([misspelt, known]);
      }
    }
    expect(differing).toEqual([]);
  });
});
