/**
 * Which of the concept patterns' required literals (required-literals.ts) a text
 * holds, found word by word: a literal holds no whitespace, so it is in the text
 * only inside one of its words. Each word's literals are found once per process
 * (logs repeat their words) through an index by first character.
 */
const WORD_CACHE_LIMIT = 20_000;

export class LiteralFilter {
  private readonly ids = new Map<string, number>();
  private readonly byFirstChar = new Map<string, { literal: string; id: number }[]>();
  private readonly wordCache = new Map<string, readonly number[]>();

  /** The ids a pattern's literals get, for mayMatch; null (no literals known) stays null. */
  register(literals: readonly string[] | null): readonly number[] | null {
    if (literals === null) return null;
    return literals.map((literal) => {
      const known = this.ids.get(literal);
      if (known !== undefined) return known;
      const id = this.ids.size;
      this.ids.set(literal, id);
      const list = this.byFirstChar.get(literal[0]!);
      if (list) list.push({ literal, id });
      else this.byFirstChar.set(literal[0]!, [{ literal, id }]);
      return id;
    });
  }

  /** For each literal id, 1 when the text holds that literal. */
  present(text: string): Uint8Array {
    const found = new Uint8Array(this.ids.size);
    for (const word of new Set(text.split(/\s+/))) {
      for (const id of this.literalsIn(word)) found[id] = 1;
    }
    return found;
  }

  private literalsIn(word: string): readonly number[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const inWord: number[] = [];
    for (let at = 0; at < word.length; at++) {
      for (const { literal, id } of this.byFirstChar.get(word[at]!) ?? []) {
        if (word.startsWith(literal, at)) inWord.push(id);
      }
    }
    if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(word, inWord);
    return inWord;
  }
}

/** A pattern whose literals are all absent cannot match; one without known literals always might. */
export function mayMatch(literalIds: readonly number[] | null, present: Uint8Array): boolean {
  return literalIds === null || literalIds.some((id) => present[id] === 1);
}
