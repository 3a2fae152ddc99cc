/**
 * The words of the known messages, and how to find them in a paste.
 *
 * Phrases are split once, at load: English into words reduced to their stems
 * with natural's PorterStemmer ("fails", "failed" → "fail"), Japanese with
 * natural's TokenizerJa. A paste is never run through TokenizerJa (it costs ~1 ms per
 * 1,000 characters, too slow for a 1 MB log); instead the Japanese vocabulary
 * becomes one regular expression that scans the paste in a single pass, and
 * English words are looked up in a map. Words with a typo are found through
 * their single-character deletions (SymSpell) and confirmed with natural's
 * Jaro-Winkler similarity, so the cost stays linear in the paste.
 */
import TokenizerJa from 'natural/lib/natural/tokenizers/tokenizer_ja';
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

/** One found word: which vocabulary term, where it starts and ends in the normalized paste. */
export interface TermOccurrence {
  term: number;
  start: number;
  end: number;
}

const ENGLISH_WORD = /[a-z0-9]+/g;
const JAPANESE_RUN = /[\u3005\u3040-\u30ff\u3400-\u9fff]+/g;
const MIN_FUZZY_LENGTH = 5;
const MIN_SIMILARITY = 0.9;
/** Words already looked up, across pastes: logs repeat the same few thousand words. */
const LOOKUP_CACHE_LIMIT = 50_000;

const japaneseTokenizer = new TokenizerJa();

function deletions(word: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < word.length; i++) result.push(word.slice(0, i) + word.slice(i + 1));
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Vocabulary {
  /** Term ids by term text: English stems and Japanese tokens. */
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** English words as written in the phrases, for exact and misspelt look-ups. */
  private readonly phraseWords = new Map<string, number>();
  private readonly byDeletion = new Map<string, { word: string; term: number }[]>();
  private readonly lookUpCache = new Map<string, number>();
  private japaneseScanner: RegExp | null = null;

  /** Splits a normalized phrase into vocabulary terms, adding new ones. */
  addPhrase(normalizedPhrase: string): number[] {
    const terms: number[] = [];
    for (const [word] of normalizedPhrase.matchAll(ENGLISH_WORD)) terms.push(this.internEnglish(word));
    for (const run of normalizedPhrase.matchAll(JAPANESE_RUN)) {
      // Particles and single kana carry no meaning of their own; kanji compounds and
      // katakana words (エージェント, 通信, 失敗) do.
      for (const token of japaneseTokenizer.tokenize(run[0])) {
        if (token.length >= 2 && !/^[a-z0-9]+$/.test(token)) terms.push(this.intern(token));
      }
    }
    this.japaneseScanner = null;
    this.lookUpCache.clear();
    return terms;
  }

  termText(term: number): string {
    return this.terms[term] ?? '';
  }

  /** Every vocabulary word found in the normalized paste, in order of position. */
  scan(normalizedText: string): TermOccurrence[] {
    const found: TermOccurrence[] = [];
    for (const match of normalizedText.matchAll(ENGLISH_WORD)) {
      const term = this.lookUpEnglish(match[0]);
      if (term >= 0) found.push({ term, start: match.index, end: match.index + match[0].length });
    }
    const scanner = this.japaneseTermScanner();
    if (scanner) {
      for (const match of normalizedText.matchAll(scanner)) {
        const term = this.ids.get(match[0]);
        if (term !== undefined) found.push({ term, start: match.index, end: match.index + match[0].length });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  private intern(term: string): number {
    const known = this.ids.get(term);
    if (known !== undefined) return known;
    const id = this.terms.length;
    this.terms.push(term);
    this.ids.set(term, id);
    return id;
  }

  private internEnglish(word: string): number {
    const id = this.intern(PorterStemmer.stem(word));
    if (!this.phraseWords.has(word)) {
      this.phraseWords.set(word, id);
      if (word.length >= MIN_FUZZY_LENGTH) {
        for (const key of [word, ...deletions(word)]) {
          const list = this.byDeletion.get(key) ?? [];
          list.push({ word, term: id });
          this.byDeletion.set(key, list);
        }
      }
    }
    return id;
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

  private japaneseTermScanner(): RegExp | null {
    if (this.japaneseScanner) return this.japaneseScanner;
    const japanese = this.terms.filter((term) => !/^[a-z0-9]+$/.test(term));
    if (japanese.length === 0) return null;
    // Longest first, so that a compound wins over its parts.
    japanese.sort((a, b) => b.length - a.length);
    this.japaneseScanner = new RegExp(japanese.map(escapeRegExp).join('|'), 'g');
    return this.japaneseScanner;
  }
}
