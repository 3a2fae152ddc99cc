/**
 * The matcher's prepared form: the checked data files, and what is slow to derive
 * from them (each phrase split into stemmed English and tokenized Japanese terms,
 * weighted, and the phrases that contain one another; the words each concept
 * pattern cannot match without). `npm run build` writes it
 * to dist/ (scripts/prepare-matcher.ts), so that the classify command starts
 * without zod, TokenizerJa or this work; a test checks that the file equals what
 * the source files give now.
 */
import { normalizePaste } from './normalize';
import type { PreparedPhrase } from './phrase-matcher';
import { conceptLiterals, type ConceptLiterals } from './concept-matcher';
import type { ConceptLexicon } from './concept-schema';
import type { PhraseSignature, Signatures } from './signature-schema';
import type { VocabularyData } from './vocabulary';
import { VocabularyBuilder } from './vocabulary-builder';

export interface PreparedMatcher {
  /** signatures.json as its schema parsed it. */
  signatures: Signatures;
  /** concepts.json as its schema parsed it. */
  concepts: ConceptLexicon;
  /** The words each concept's and topic's patterns cannot match without (required-literals.ts). */
  conceptLiterals: ConceptLiterals;
  vocabulary: VocabularyData;
  /** One per signatures.phrases entry, in the same order. */
  phrases: PreparedPhrase[];
}

/** `signatures` and `concepts` must have passed their schemas (matcher-data.ts). */
export function prepareMatcher(signatures: Signatures, concepts: ConceptLexicon): PreparedMatcher {
  const vocabulary = new VocabularyBuilder();
  const phrases = preparePhrases(signatures.phrases, vocabulary);
  return { signatures, concepts, conceptLiterals: conceptLiterals(concepts), vocabulary: vocabulary.data(), phrases };
}

function preparePhrases(signatures: readonly PhraseSignature[], vocabulary: VocabularyBuilder): PreparedPhrase[] {
  const termLists = signatures.map((signature) => {
    const normalized = normalizePaste(signature.text);
    return { normalized, terms: [...new Set(vocabulary.addPhrase(normalized))] };
  });
  const documentFrequency = new Map<number, number>();
  for (const { terms } of termLists) {
    for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const phraseCount = termLists.length;
  const prepared = termLists.map(({ normalized, terms }): PreparedPhrase => {
    const weights = terms.map((term) => Math.log(1 + phraseCount / (documentFrequency.get(term) ?? 1)));
    return {
      terms,
      weights,
      totalWeight: weights.reduce((sum, weight) => sum + weight, 0),
      maxSpan: Math.max(40, Math.ceil(normalized.length * 1.6)),
      contains: [],
    };
  });
  termLists.forEach((outer, outerIndex) => {
    termLists.forEach((inner, innerIndex) => {
      if (outerIndex !== innerIndex && outer.normalized.length > inner.normalized.length && outer.normalized.includes(inner.normalized)) {
        prepared[outerIndex]!.contains.push(innerIndex);
      }
    });
  });
  return prepared;
}
