/**
 * Puts back the words a description depends on when they are typed wrong
 * ("snaphsot", "netwrok", "faild"): a word one deletion away from a key word
 * (SymSpell), confirmed by natural's Jaro-Winkler similarity, reads as that key
 * word. Only the key words of the concept lexicon are targets, so an ordinary
 * word ("talking") is never bent into a different one ("taking").
 */
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';

const MIN_LENGTH = 5;
const MAX_LENGTH = 32;
const MIN_SIMILARITY = 0.9;
const CACHE_LIMIT = 20_000;
const ENGLISH_WORD = /[a-z]{5,32}/g;

function deletions(word: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < word.length; i++) result.push(word.slice(0, i) + word.slice(i + 1));
  return result;
}

export class Speller {
  private readonly keywords: ReadonlySet<string>;
  private readonly byDeletion = new Map<string, string[]>();
  private readonly cache = new Map<string, string | null>();

  constructor(keywords: readonly string[]) {
    this.keywords = new Set(keywords);
    for (const word of this.keywords) {
      if (word.length < MIN_LENGTH) continue;
      for (const key of [word, ...deletions(word)]) {
        const list = this.byDeletion.get(key) ?? [];
        list.push(word);
        this.byDeletion.set(key, list);
      }
    }
  }

  /** The lower-case text with misspelt key words written right; everything else untouched. */
  correct(text: string): string {
    return text.replace(ENGLISH_WORD, (word) => this.spelling(word) ?? word);
  }

  /** The key word a misspelt word stands for, or null. */
  spelling(word: string): string | null {
    if (word.length < MIN_LENGTH || word.length > MAX_LENGTH || this.keywords.has(word)) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let best: string | null = null;
    let bestSimilarity = MIN_SIMILARITY;
    // Both sides' single deletions: covers a dropped, an added, a changed and (mostly) a swapped letter.
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        const similarity = JaroWinklerDistance(word, candidate);
        if (similarity >= bestSimilarity) {
          best = candidate;
          bestSimilarity = similarity;
        }
      }
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}
