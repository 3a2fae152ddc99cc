/**
 * Tells which of the five errors a paste is, or that it is none of them.
 *
 * Evidence comes from error codes (strongest), known messages of every revision
 * in both languages, and signs of another error or another service. Each error
 * takes the score of its best evidence; the answer is `matched` when the best
 * clears a threshold and beats the runner-up by a margin, `ambiguous` when two
 * or three errors remain plausible, and `none` otherwise or when the paste is
 * better explained by something out of scope.
 */
import type { OtherErrorCode } from '../knowledge/current-schema';
import { ERROR_IDS } from '../knowledge/ids';
import type { ErrorId } from '../knowledge/schema';
import type { Candidate, Classification, Evidence, EvidenceAbout, EvidenceKind } from './classification';
import { describeEvidence } from '../i18n/evidence-texts';
import { CodeMatcher, type CodeHit } from './code-matcher';
import { findHints } from './hints';
import { normalizePaste } from './normalize';
import { matchPhrases, type CompiledPhrase, type PhraseHit } from './phrase-matcher';
import { ConceptMatcher, type DescriptionHit } from './concept-matcher';
import type { PreparedMatcher } from './prepare-matcher';
import { Vocabulary } from './vocabulary';

export interface Thresholds {
  /** The best error must score at least this to be `matched`... */
  match: number;
  /** ...and beat the runner-up by at least this. */
  margin: number;
  /** Errors below this are not offered as candidates. */
  candidate: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { match: 0.6, margin: 0.12, candidate: 0.3 };

/** Scores by kind of evidence: a code says more than a message, an exact code more than a misspelt one. */
const CODE_SCORE_BY_DISTANCE = [0.98, 0.93, 0.88] as const;
const CUT_SHORT_CODE_SCORE = 0.9;
const UNKNOWN_CODE_SCORE = 0.85;
const PHRASE_SCALE = 0.96;
const OTHER_SERVICE_SCORE = 0.7;
/** A known message next to "Site Recovery" or "restore job" is probably about that other thing. */
const OTHER_SERVICE_PENALTY = 0.6;
const AGREEMENT_BONUS = 0.01;
const AMBIGUITY_BAND = 0.3;
const MAX_EVIDENCE = 5;
const MIN_EVIDENCE_SCORE = 0.5;
/** A code or message at least this strong makes the words around it beside the point. */
const DECISIVE_PASTE_SCORE = 0.85;

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The evidence worth showing a person: strong items only, and for each set of
 * errors pointed to only its best message (near-duplicates of one message add nothing).
 */
function readableEvidence(sorted: readonly Evidence[]): Evidence[] {
  const shown: Evidence[] = [];
  const phraseTargets = new Set<string>();
  let describedShown = false;
  for (const item of sorted) {
    if (item.score < MIN_EVIDENCE_SCORE) break;
    // One reading of the user's words is the explanation; weaker readings of the same words add nothing.
    if (item.kind === 'description') {
      if (describedShown) continue;
      describedShown = true;
    }
    if (item.kind === 'phrase') {
      const key = item.categories.join(',');
      if (phraseTargets.has(key)) continue;
      phraseTargets.add(key);
    }
    shown.push(item);
    if (shown.length === MAX_EVIDENCE) break;
  }
  return shown;
}

/** "MARS" must not match inside "marshal": ASCII edges get word boundaries, Japanese edges cannot. */
function contextPattern(normalized: string): RegExp {
  const escaped = normalized.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const start = /^[a-z0-9]/.test(normalized) ? '\\b' : '';
  const end = /[a-z0-9]$/.test(normalized) ? '\\b' : '';
  return new RegExp(`${start}${escaped}${end}`);
}

/** Evidence with its English wording (the CLI's), from what it is about; `otherError`: the current article's error it names. */
function evidence(kind: EvidenceKind, about: EvidenceAbout, categories: readonly ErrorId[], score: number, otherError?: OtherErrorCode): Evidence {
  return { kind, about, text: describeEvidence(about, 'en'), categories: [...categories], score, ...(otherError ? { otherError } : {}) };
}

/** A description is weaker evidence than a message; next to another topic it is weaker still. */
function descriptionEvidence(hit: DescriptionHit, nearOtherTopic: boolean): Evidence {
  const penalty = nearOtherTopic ? OTHER_SERVICE_PENALTY : 1;
  return evidence('description', { kind: 'described', terms: hit.terms }, hit.targets, round(hit.score * penalty));
}

export class Matcher {
  private readonly vocabulary: Vocabulary;
  private readonly phrases: CompiledPhrase[];
  private readonly codes: CodeMatcher;
  private readonly contexts: { text: string; pattern: RegExp }[];
  private readonly synonyms: { text: string; means: string }[];
  private readonly descriptions: ConceptMatcher;

  /** Built from the prepared form (prepare-matcher.ts), which the build writes and load-signatures.ts reads. */
  constructor(prepared: PreparedMatcher, private readonly thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    const { signatures, concepts } = prepared;
    this.descriptions = new ConceptMatcher(concepts, prepared.conceptLiterals);
    this.vocabulary = new Vocabulary(prepared.vocabulary);
    this.phrases = prepared.phrases.map((phrase, index) => ({ ...phrase, signature: signatures.phrases[index]! }));
    this.codes = new CodeMatcher(signatures.codes);
    this.synonyms = signatures.synonyms.map(({ text, means }) => ({ text: normalizePaste(text), means: normalizePaste(means) }));
    this.contexts = signatures.outOfScopeContexts.map(({ text }) => ({ text, pattern: contextPattern(normalizePaste(text)) }));
  }

  classify(raw: string): Classification {
    const normalized = this.synonyms.reduce((text, { text: everyday, means }) => text.replaceAll(everyday, means), normalizePaste(raw));
    const phraseHits = matchPhrases(this.phrases, this.vocabulary.scan(normalized), normalized);
    const described = this.descriptions.read(normalized);
    const overridden = this.overriddenCodes(phraseHits);
    for (const topic of described.topics) topic.overrides.forEach((code) => overridden.add(code));
    const codeHits = this.codes.find(normalized, raw).filter((hit) => !hit.signature || !overridden.has(hit.signature.code));
    const otherServices = this.contexts.filter(({ pattern }) => pattern.test(normalized));
    const elsewhere = otherServices.length > 0 || described.topics.length > 0;

    const pasted = [...codeHits.map((hit) => this.codeEvidence(hit)), ...phraseHits.map((hit) => this.phraseEvidence(hit, elsewhere))];
    // The user's own words only count when what Azure prints is not there: a code or a
    // near-exact message says more than any description around it.
    const decisive = pasted.some((item) => item.categories.length > 0 && item.score >= DECISIVE_PASTE_SCORE);
    const found = [
      ...pasted,
      ...(decisive ? [] : described.hits.map((hit) => descriptionEvidence(hit, elsewhere))),
      ...otherServices.map(({ text }) => evidence('other-service', { kind: 'other-service', name: text }, [], OTHER_SERVICE_SCORE)),
      ...described.topics.map(({ text, otherError }) => evidence('other-service', { kind: 'other-topic', name: text }, [], OTHER_SERVICE_SCORE, otherError)),
    ].sort((a, b) => b.score - a.score);

    return this.decide(found, raw);
  }

  private decide(evidence: Evidence[], raw: string): Classification {
    const scores = new Map<ErrorId, { score: number; support: number }>();
    let outOfScope = 0;
    for (const item of evidence) {
      if (item.categories.length === 0) outOfScope = Math.max(outOfScope, item.score);
      for (const category of item.categories) {
        const current = scores.get(category) ?? { score: 0, support: 0 };
        scores.set(category, { score: Math.max(current.score, item.score), support: current.support + 1 });
      }
    }
    const ranked: Candidate[] = ERROR_IDS.flatMap((category) => {
      const entry = scores.get(category);
      if (!entry) return [];
      const bonus = entry.support > 1 ? AGREEMENT_BONUS : 0;
      return [{ category, confidence: round(Math.min(0.99, entry.score + bonus)) }];
    }).sort((a, b) => b.confidence - a.confidence);

    const { match, margin, candidate } = this.thresholds;
    const plausible = ranked.filter((entry) => entry.confidence >= candidate);
    const [top, second] = plausible;
    const base = { evidence: readableEvidence(evidence), hints: findHints(raw) };

    if (outOfScope > 0 && outOfScope >= (top?.confidence ?? 0)) {
      return { ...base, status: 'none', category: null, confidence: round(outOfScope), candidates: plausible };
    }
    if (top && top.confidence >= match && (!second || top.confidence - second.confidence >= margin)) {
      return { ...base, status: 'matched', category: top.category, confidence: top.confidence, candidates: plausible };
    }
    // Offer only errors close to the best one: a distant third is noise, not a choice.
    const offered = plausible.filter((entry) => top && entry.confidence >= top.confidence - AMBIGUITY_BAND).slice(0, 3);
    if (offered.length >= 2) {
      return { ...base, status: 'ambiguous', category: null, confidence: offered[0]!.confidence, candidates: offered };
    }
    return { ...base, status: 'none', category: null, confidence: round(1 - (top?.confidence ?? 0)), candidates: plausible };
  }

  private overriddenCodes(hits: readonly PhraseHit[]): Set<string> {
    const codes = new Set<string>();
    for (const hit of hits) {
      if (hit.score < 0.8) continue;
      for (const code of this.phrases[hit.phrase]!.signature.overrides ?? []) codes.add(code);
    }
    return codes;
  }

  private codeEvidence(hit: CodeHit): Evidence {
    if (!hit.signature) {
      return evidence('other-error', { kind: 'unknown-code', code: hit.found }, [], UNKNOWN_CODE_SCORE);
    }
    const { code, targets, otherError } = hit.signature;
    const score = hit.reading === 'cut-short' ? CUT_SHORT_CODE_SCORE : (CODE_SCORE_BY_DISTANCE[hit.distance] ?? CODE_SCORE_BY_DISTANCE[2]);
    const reading = hit.reading === 'exact' ? { cutShort: false } : { written: hit.found, cutShort: hit.reading === 'cut-short' };
    const elsewhere = targets.length === 0;
    return evidence(elsewhere ? 'other-error' : 'code', { kind: 'code', code, elsewhere, ...reading }, targets, score, elsewhere ? otherError : undefined);
  }

  private phraseEvidence(hit: PhraseHit, nearOtherService: boolean): Evidence {
    const { signature } = this.phrases[hit.phrase]!;
    const elsewhere = signature.targets.length === 0;
    const about: EvidenceAbout = { kind: 'message', message: signature.text, percent: Math.round(hit.score * 100), cutShort: hit.truncated, elsewhere };
    if (elsewhere) return evidence('other-error', about, [], round(hit.score * PHRASE_SCALE), signature.otherError);
    const penalty = nearOtherService ? OTHER_SERVICE_PENALTY : 1;
    return evidence('phrase', about, signature.targets, round(hit.score * PHRASE_SCALE * penalty));
  }
}
