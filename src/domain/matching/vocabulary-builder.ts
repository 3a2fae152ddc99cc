/**
 * Splits the known messages into vocabulary terms, at build time: English into
 * words reduced to their stems with natural's PorterStemmer ("fails", "failed" →
 * "fail"), Japanese with natural's TokenizerJa. Both cost tens of milliseconds
 * for all the phrases, which the classify command would pay at every start;
 * the result is written to JSON with the rest of the prepared matcher.
 */
import TokenizerJa from 'natural/lib/natural/tokenizers/tokenizer_ja';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { ASCII_TERM, type VocabularyData } from './vocabulary';
import { forEachAsciiWord } from './ascii-words';

const JAPANESE_RUN = /[\u3005\u3040-\u30ff\u3400-\u9fff]+/g;

export class VocabularyBuilder {
  private readonly japaneseTokenizer = new TokenizerJa();
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly phraseWords = new Map<string, number>();

  /** Splits a normalized phrase into vocabulary terms, adding new ones. */
  addPhrase(normalizedPhrase: string): number[] {
    const terms: number[] = [];
    forEachAsciiWord(normalizedPhrase, (start, end) => terms.push(this.internEnglish(normalizedPhrase.slice(start, end))));
    for (const run of normalizedPhrase.matchAll(JAPANESE_RUN)) {
      // Particles and single kana carry no meaning of their own; kanji compounds and
      // katakana words (エージェント, 通信, 失敗) do.
      for (const token of this.japaneseTokenizer.tokenize(run[0])) {
        if (token.length >= 2 && !ASCII_TERM.test(token)) terms.push(this.intern(token));
      }
    }
    return terms;
  }

  data(): VocabularyData {
    return { terms: [...this.terms], phraseWords: [...this.phraseWords] };
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
    if (!this.phraseWords.has(word)) this.phraseWords.set(word, id);
    return id;
  }
}
