/**
 * A pattern for "any character one of these words starts with". A text with
 * none of them cannot hold any of the words, so a scan for the words (a long
 * alternation, tried at every position) can be skipped: an English log holds
 * no Japanese term, and finding that out is one pass over a character class.
 */
export function firstCharacters(words: readonly string[]): RegExp {
  const firsts = new Set<string>();
  for (const word of words) {
    const first = word.codePointAt(0);
    if (first !== undefined) firsts.add(String.fromCodePoint(first));
  }
  // Nothing to find: a pattern that never matches.
  if (firsts.size === 0) return /(?!)/u;
  return new RegExp(`[${[...firsts].map((char) => char.replace(/[\\\]^-]/g, '\\$&')).join('')}]`, 'u');
}
