/**
 * Finds the known messages in a paste even when they are reworded a little,
 * misspelt, cut off, wrapped over lines or buried in a sentence.
 *
 * Each phrase is a set of weighted terms (rare words weigh more: "responsive"
 * says more than "backup"). For each phrase the paste is searched for the
 * window of at most ~1.6x the phrase's length holding the largest weight of
 * its terms; that share of the phrase's weight is the phrase's score. A phrase
 * whose first terms are all there and whose window runs into the end of a line
 * counts as a truncated copy and scores by the part that survived.
 */
import type { PhraseSignature } from './signature-schema';
import type { TermOccurrence } from './vocabulary';

/** A phrase as the build prepares it (prepare-matcher.ts): plain data, written to JSON. */
export interface PreparedPhrase {
  /** Distinct terms in phrase order. */
  terms: number[];
  weights: number[];
  totalWeight: number;
  maxSpan: number;
  /** Indexes of shorter phrases whose whole text this phrase contains. */
  contains: number[];
}

export interface CompiledPhrase extends PreparedPhrase {
  signature: PhraseSignature;
}

export interface PhraseHit {
  phrase: number;
  score: number;
  truncated: boolean;
  start: number;
  end: number;
}

const MIN_REPORTED_SCORE = 0.3;
const TRUNCATED_MIN_SHARE = 0.45;
/**
 * A phrase with less of its weight anywhere in the paste cannot be reported: a
 * window scores its share squared, and only a share of TRUNCATED_MIN_SHARE or more
 * can count as cut short. Most phrases of a log fall below it, and skipping them
 * skips most of the windowing.
 */
const MIN_PRESENT_SHARE = Math.min(TRUNCATED_MIN_SHARE, Math.sqrt(MIN_REPORTED_SCORE));
/** The window's running sum may differ from a plain sum in the last bits; never skip on those. */
const ROUNDING_SLACK = 1e-9;

/** Scores every phrase against the occurrences found in one paste. */
export function matchPhrases(
  phrases: readonly CompiledPhrase[],
  occurrences: readonly TermOccurrence[],
  normalizedText: string,
): PhraseHit[] {
  const byTerm = new Map<number, TermOccurrence[]>();
  for (const occurrence of occurrences) {
    const list = byTerm.get(occurrence.term);
    if (list) list.push(occurrence);
    else byTerm.set(occurrence.term, [occurrence]);
  }
  const hits: PhraseHit[] = [];
  phrases.forEach((phrase, index) => {
    if (presentShare(phrase, byTerm) < MIN_PRESENT_SHARE - ROUNDING_SLACK) return;
    const hit = bestWindow(phrase, byTerm, normalizedText);
    if (hit && hit.score >= MIN_REPORTED_SCORE) hits.push({ ...hit, phrase: index });
  });
  return dropContainedPhrases(phrases, hits);
}

/** The share of the phrase's weight whose terms occur anywhere in the paste: no window holds more. */
function presentShare(phrase: PreparedPhrase, byTerm: ReadonlyMap<number, TermOccurrence[]>): number {
  let present = 0;
  phrase.terms.forEach((term, slot) => {
    if (byTerm.has(term)) present += phrase.weights[slot]!;
  });
  return present / phrase.totalWeight;
}

function bestWindow(
  phrase: CompiledPhrase,
  byTerm: ReadonlyMap<number, TermOccurrence[]>,
  text: string,
): Omit<PhraseHit, 'phrase'> | null {
  const positions: { slot: number; start: number; end: number }[] = [];
  phrase.terms.forEach((term, slot) => {
    for (const occurrence of byTerm.get(term) ?? []) positions.push({ slot, start: occurrence.start, end: occurrence.end });
  });
  if (positions.length === 0) return null;
  positions.sort((a, b) => a.start - b.start);

  const counts = new Array<number>(phrase.terms.length).fill(0);
  let weight = 0;
  let left = 0;
  let best: Omit<PhraseHit, 'phrase'> | null = null;
  for (let right = 0; right < positions.length; right++) {
    const entering = positions[right]!;
    if (counts[entering.slot]++ === 0) weight += phrase.weights[entering.slot]!;
    while (entering.end - positions[left]!.start > phrase.maxSpan) {
      const leaving = positions[left++]!;
      if (--counts[leaving.slot] === 0) weight -= phrase.weights[leaving.slot]!;
    }
    const share = weight / phrase.totalWeight;
    // A complete copy is strong evidence; a partial one loses faster than linearly,
    // since the missing words are usually the ones that tell two messages apart.
    let score = share * share;
    let truncated = false;
    if (share < 1 && share >= TRUNCATED_MIN_SHARE && isPrefixPresent(counts) && endsLine(text, entering.end)) {
      // A copy cut short: what survived is a faithful prefix, so trust it more than a
      // scattered partial match of the same weight.
      score = Math.max(share, 0.75 + 0.2 * share);
      truncated = true;
    }
    if (!best || score > best.score) best = { score, truncated, start: positions[left]!.start, end: entering.end };
  }
  return best;
}

/** True when the terms present are exactly the phrase's first ones. */
function isPrefixPresent(counts: readonly number[]): boolean {
  let seenGap = false;
  for (const count of counts) {
    if (count === 0) seenGap = true;
    else if (seenGap) return false;
  }
  return true;
}

function endsLine(text: string, offset: number): boolean {
  // A partial word may follow the last whole term ("...no network conn").
  const rest = text.slice(offset, offset + 24);
  return /^\s*[a-z\u3040-\u30ff\u3400-\u9fff]{0,12}\s*(?:\.\.\.|…|\r|\n|"|'|」|$)/.test(rest);
}

/**
 * Of a longer phrase and a shorter one it contains, keep the one the paste
 * supports: the longer when it matched about as well (its tail is there), the
 * shorter when only the shorter is complete (the tail is missing).
 */
function dropContainedPhrases(phrases: readonly CompiledPhrase[], hits: PhraseHit[]): PhraseHit[] {
  const byPhrase = new Map(hits.map((hit) => [hit.phrase, hit]));
  const dropped = new Set<number>();
  for (const hit of hits) {
    for (const inner of phrases[hit.phrase]!.contains) {
      const innerHit = byPhrase.get(inner);
      if (!innerHit) continue;
      if (hit.score >= 0.85 && hit.score >= innerHit.score - 0.05) dropped.add(inner);
      else if (innerHit.score >= 0.9) dropped.add(hit.phrase);
    }
  }
  return hits.filter((hit) => !dropped.has(hit.phrase));
}
