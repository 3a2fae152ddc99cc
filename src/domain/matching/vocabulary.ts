/**
 * The words of the known messages, and how to find them in a paste.
 *
 * The phrases are split into terms at build time (vocabulary-builder.ts); this
 * is the run-time side, rebuilt from that prepared form. A paste is never run
 * through natural's TokenizerJa (it costs ~1 ms per 1,000 characters, too slow
 * for a 1 MB log); instead the Japanese vocabulary becomes one regular
 * expression that scans the paste in a single pass, and English words are
 * looked up in a map, by stem (natural's PorterStemmer, as the phrases were
 * stemmed). Words with a typo are found through their single-character
 * deletions (SymSpell) and confirmed with natural's Jaro-Winkler similarity, so
 * the cost stays linear in the paste.
 */
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { forEachAsciiWord } from './ascii-words';
import { firstCharacters } from './first-characters';

/** One found word: which vocabulary term, where it starts and ends in the normalized paste. */
export interface TermOccurrence {
  term: number;
  start: number;
  end: number;
}

/** The vocabulary as the build prepares it: plain data, written to JSON. */
export interface VocabularyData {
  /** Term texts by id: English stems and Japanese tokens. */
  terms: string[];
  /** English words as written in the phrases, in the order first seen, with their term id. */
  phraseWords: [word: string, term: number][];
}

/** A term that is an English stem (or a number), not a Japanese token. */
export const ASCII_TERM = /^[a-z0-9]+$/;
const MIN_FUZZY_LENGTH = 5;
const MIN_SIMILARITY = 0.9;
/** Words already looked up, across pastes: logs repeat the same few thousand words. */
const LOOKUP_CACHE_LIMIT = 50_000;

function deletions(word: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < word.length; i++) result.push(word.slice(0, i) + word.slice(i + 1));
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Vocabulary {
  /** Term ids by term text. */
  private readonly ids = new Map<string, number>();
  private readonly terms: readonly string[];
  /** English words as written in the phrases, for exact and misspelt look-ups. */
  private readonly phraseWords = new Map<string, number>();
  private readonly byDeletion = new Map<string, { word: string; term: number }[]>();
  private readonly lookUpCache = new Map<string, number>();
  private readonly japaneseScanner: RegExp | null;
  private readonly japaneseFirsts: RegExp;

  constructor(data: VocabularyData) {
    this.terms = data.terms;
    data.terms.forEach((term, id) => this.ids.set(term, id));
    // In the order the words were first seen, so that equally similar candidates rank as they always have.
    for (const [word, term] of data.phraseWords) {
      this.phraseWords.set(word, term);
      if (word.length < MIN_FUZZY_LENGTH) continue;
      for (const key of [word, ...deletions(word)]) {
        const list = this.byDeletion.get(key);
        if (list) list.push({ word, term });
        else this.byDeletion.set(key, [{ word, term }]);
      }
    }
    const japanese = data.terms.filter((term) => !ASCII_TERM.test(term));
    // Longest first, so that a compound wins over its parts.
    japanese.sort((a, b) => b.length - a.length);
    this.japaneseScanner = japanese.length > 0 ? new RegExp(japanese.map(escapeRegExp).join('|'), 'g') : null;
    this.japaneseFirsts = firstCharacters(japanese);
  }

  termText(term: number): string {
    return this.terms[term] ?? '';
  }

  /** Every vocabulary word found in the normalized paste, in order of position. */
  scan(normalizedText: string): TermOccurrence[] {
    const found: TermOccurrence[] = [];
    forEachAsciiWord(normalizedText, (start, end) => {
      const term = this.lookUpEnglish(normalizedText.slice(start, end));
      if (term >= 0) found.push({ term, start, end });
    });
    if (this.japaneseScanner && this.japaneseFirsts.test(normalizedText)) {
      for (const match of normalizedText.matchAll(this.japaneseScanner)) {
        const term = this.ids.get(match[0]);
        if (term !== undefined) found.push({ term, start: match.index, end: match.index + match[0].length });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** As written, then by stem, then with a typo; -1 when the word is not in any phrase. */
  private lookUpEnglish(word: string): number {
    // No phrase word is this long; stemming and deletions would only cost time (quadratic in length).
    if (word.length > 64) return -1;
    const exact = this.phraseWords.get(word);
    if (exact !== undefined) return exact;
    const cached = this.lookUpCache.get(word);
    if (cached !== undefined) return cached;
    const term = this.ids.get(PorterStemmer.stem(word)) ?? this.lookUpMisspelt(word);
    if (this.lookUpCache.size >= LOOKUP_CACHE_LIMIT) this.lookUpCache.clear();
    this.lookUpCache.set(word, term);
    return term;
  }

  private lookUpMisspelt(word: string): number {
    if (word.length < MIN_FUZZY_LENGTH) return -1;
    let best = -1;
    let bestSimilarity = MIN_SIMILARITY;
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        const similarity = JaroWinklerDistance(word, candidate.word);
        if (similarity >= bestSimilarity) {
          best = candidate.term;
          bestSimilarity = similarity;
        }
      }
    }
    return best;
  }
}
