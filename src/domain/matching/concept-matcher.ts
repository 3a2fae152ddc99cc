/**
 * Reads a description in the user's own words: which concepts it mentions
 * ("the agent", "does not respond", "no network"), which rules those concepts
 * satisfy, and which topics outside the five it is about.
 *
 * Works on the concept view of the normalized text: whitespace next to Japanese
 * characters is dropped, so 「VM エージェント」, 「VMエージェント」 and OCR's
 * 「エ ー ジ ェ ン ト」 read alike. A subject that the user says is fine ("the agent
 * is running, but ...") is left out of the rules, unless a fault of it is named in
 * the same sentence. Only the head of a long paste is read: descriptions are
 * short, and in a log the codes and messages speak.
 */
import type { ErrorId } from '../knowledge/schema';
import type { OtherErrorCode } from '../knowledge/current-schema';
import { expandMacros } from './concept-macros';
import type { ConceptLexicon, ConceptRule } from './concept-schema';
import { LiteralFilter, mayMatch } from './literal-filter';
import { requiredLiteralsOfAny } from './required-literals';
import { Speller } from './speller';
import { firstCharacters } from './first-characters';

/** Descriptions are short; a longer paste is a log, whose head is enough for the words around an error. */
const MAX_VIEW_CHARS = 16_384;
const JAPANESE = '\\u3005\\u3040-\\u30ff\\u3400-\\u9fff\\uff66-\\uff9f';
const SPACE_NEXT_TO_JAPANESE = new RegExp(`(?<=[${JAPANESE}])\\s+|\\s+(?=[${JAPANESE}])`, 'g');
/** Without a Japanese character there is no space next to one: one pass instead of a look-around at every space. */
const ANY_JAPANESE = new RegExp(`[${JAPANESE}]`);
const SENTENCE_END = /[.!?。！？\n]/;

interface Mention {
  concept: string;
  start: number;
  end: number;
  text: string;
}

/** One satisfied rule: the errors it points to, its score and the words that satisfied it. */
export interface DescriptionHit {
  rule: string;
  targets: ErrorId[];
  score: number;
  /** The words found, in text order ("vm agent", "not responding"). */
  terms: string[];
}

export interface TopicHit {
  topic: string;
  text: string;
  /** In-scope codes this topic gives another meaning. */
  overrides: readonly string[];
  /** The current article's error outside the five that this topic describes, if any. */
  otherError?: OtherErrorCode;
}

export interface DescriptionReading {
  hits: DescriptionHit[];
  topics: TopicHit[];
}

interface CompiledConcept {
  id: string;
  pattern: RegExp;
  /** Ids in `literalFilter` of the words the pattern cannot match without (one of them), or null: then it always runs. */
  literals: readonly number[] | null;
  yieldsTo: readonly string[];
}

/** For each concept and each topic, in lexicon order: the words its patterns cannot match without. */
export interface ConceptLiterals {
  concepts: (string[] | null)[];
  topics: (string[] | null)[];
}

/** Worked out once at build time (prepare-matcher.ts); parsing every pattern would cost start-up. */
export function conceptLiterals(lexicon: ConceptLexicon): ConceptLiterals {
  const expanded = (patterns: readonly string[]) => patterns.map((source) => expandMacros(source, lexicon.macros));
  return {
    concepts: lexicon.concepts.map((concept) => requiredLiteralsOfAny(expanded(concept.patterns))),
    topics: lexicon.topics.map((topic) => requiredLiteralsOfAny(expanded(topic.patterns))),
  };
}

/** The text as the concept patterns see it. `normalized` is normalizePaste's output. */
export function conceptView(normalized: string): string {
  const head = normalized.length > MAX_VIEW_CHARS ? normalized.slice(0, MAX_VIEW_CHARS) : normalized;
  const spaced = head.replace(/\s+/g, ' ');
  return ANY_JAPANESE.test(spaced) ? spaced.replace(SPACE_NEXT_TO_JAPANESE, '') : spaced;
}

export class ConceptMatcher {
  private readonly concepts: CompiledConcept[];
  private readonly topics: { id: string; pattern: RegExp; literals: readonly number[] | null; overrides: readonly string[]; otherError?: OtherErrorCode }[];
  private readonly literalFilter = new LiteralFilter();
  private readonly healthy: RegExp;
  private readonly instruction: RegExp;
  /** Subjects that can be said to be fine, with the faults that keep them in play. */
  private readonly healthySubjects: ReadonlyMap<string, readonly string[]>;
  private readonly rules: readonly ConceptRule[];
  private readonly window: number;
  private readonly speller: Speller;
  private readonly kanaWords: ReadonlyMap<string, string>;
  private readonly kanaScanner: RegExp;
  private readonly kanaFirsts: RegExp;

  constructor(lexicon: ConceptLexicon, literals: ConceptLiterals = conceptLiterals(lexicon)) {
    this.speller = new Speller(lexicon.keywords);
    this.kanaWords = new Map(Object.entries(lexicon.kanaWords));
    // Longest first, so that 「すなっぷしょっと」 is not read as 「すなっぷ」 and a remainder.
    const kana = [...this.kanaWords.keys()].sort((a, b) => b.length - a.length);
    this.kanaScanner = new RegExp(kana.length > 0 ? kana.join('|') : '(?!)', 'g');
    this.kanaFirsts = firstCharacters(kana);
    const compile = (patterns: readonly string[], flags = 'g') =>
      new RegExp(patterns.map((source) => `(?:${expandMacros(source, lexicon.macros)})`).join('|'), flags);
    this.concepts = lexicon.concepts.map((concept, index) => ({
      id: concept.id,
      pattern: compile(concept.patterns),
      literals: this.literalFilter.register(literals.concepts[index] ?? null),
      yieldsTo: concept.yieldsTo ?? [],
    }));
    this.topics = lexicon.topics.map((topic, index) => ({
      id: topic.id,
      pattern: compile(topic.patterns),
      literals: this.literalFilter.register(literals.topics[index] ?? null),
      overrides: topic.overrides ?? [],
      ...(topic.otherError ? { otherError: topic.otherError } : {}),
    }));
    this.healthy = compile(lexicon.healthy.patterns, '');
    this.instruction = compile(lexicon.healthy.instructions, '');
    this.healthySubjects = new Map(lexicon.healthy.subjects.map(({ id, unlessInSentence }) => [id, unlessInSentence]));
    this.rules = lexicon.rules;
    this.window = lexicon.window;
  }

  read(normalized: string): DescriptionReading {
    const corrected = this.speller.correct(conceptView(normalized));
    const view = this.kanaFirsts.test(corrected) ? corrected.replace(this.kanaScanner, (word) => this.kanaWords.get(word) ?? word) : corrected;
    // Patterns none of whose words are in the view cannot match: they are not run (nor compiled).
    const present = this.literalFilter.present(view);
    const mentions = this.liveMentions(view, present);
    const topics: TopicHit[] = [];
    for (const { id, pattern, literals, overrides, otherError } of this.topics) {
      if (!mayMatch(literals, present)) continue;
      const found = pattern.exec(view);
      pattern.lastIndex = 0;
      if (found) topics.push({ topic: id, text: found[0], overrides, ...(otherError ? { otherError } : {}) });
    }
    return { hits: this.applyRules(mentions), topics };
  }

  private liveMentions(view: string, present: Uint8Array): Map<string, Mention[]> {
    const all: Mention[] = [];
    for (const { id, pattern, literals } of this.concepts) {
      if (!mayMatch(literals, present)) continue;
      for (const match of view.matchAll(pattern)) {
        if (match[0].length > 0) all.push({ concept: id, start: match.index, end: match.index + match[0].length, text: match[0].trim() });
      }
    }
    const byConcept = new Map<string, Mention[]>();
    for (const mention of all) {
      const list = byConcept.get(mention.concept);
      if (list) list.push(mention);
      else byConcept.set(mention.concept, [mention]);
    }
    const live = new Map<string, Mention[]>();
    for (const { id, yieldsTo } of this.concepts) {
      const kept = (byConcept.get(id) ?? []).filter(
        (mention) =>
          !yieldsTo.some((other) => (byConcept.get(other) ?? []).some((o) => o.start < mention.end && mention.start < o.end)) &&
          !this.saidToBeFine(view, mention, byConcept),
      );
      if (kept.length > 0) live.set(id, kept);
    }
    return live;
  }

  /**
   * "The agent is running fine, but ..." clears the agent, unless a fault of it is named
   * in the same sentence, or the sentence asks to check it ("make sure the agent is running").
   */
  private saidToBeFine(view: string, subject: Mention, byConcept: ReadonlyMap<string, Mention[]>): boolean {
    const faults = this.healthySubjects.get(subject.concept);
    if (!faults) return false;
    const sentenceEnd = nextSentenceEnd(view, subject.end);
    const after = view.slice(subject.end, Math.min(sentenceEnd, subject.end + 48)).trimStart();
    if (!this.healthy.test(after)) return false;
    const sentenceStart = previousSentenceEnd(view, subject.start);
    if (this.instruction.test(view.slice(sentenceStart, sentenceEnd))) return false;
    for (const fault of faults) {
      if ((byConcept.get(fault) ?? []).some((m) => m.start >= sentenceStart && m.start < sentenceEnd)) return false;
    }
    return true;
  }

  private applyRules(mentions: ReadonlyMap<string, Mention[]>): DescriptionHit[] {
    const satisfied = new Map<string, DescriptionHit>();
    for (const rule of this.rules) {
      const found = this.closestSet(rule.all, mentions);
      if (found) satisfied.set(rule.id, { rule: rule.id, targets: [...rule.targets], score: rule.score, terms: found.sort((a, b) => a.start - b.start).map((m) => m.text) });
    }
    const suppressed = new Set(this.rules.filter((rule) => satisfied.has(rule.id)).flatMap((rule) => rule.suppresses ?? []));
    return [...satisfied.values()].filter((hit) => !suppressed.has(hit.rule));
  }

  /** One mention of each concept, all within the window; the tightest such set, or null. */
  private closestSet(concepts: readonly string[], mentions: ReadonlyMap<string, Mention[]>): Mention[] | null {
    const lists = concepts.map((concept) => mentions.get(concept));
    if (lists.some((list) => !list)) return null;
    const [first, ...others] = lists as Mention[][];
    let best: { span: number; set: Mention[] } | null = null;
    for (const anchor of first!) {
      const set = [anchor, ...others.map((list) => nearest(list, anchor))];
      const span = Math.max(...set.map((m) => m.end)) - Math.min(...set.map((m) => m.start));
      if (span <= this.window && (!best || span < best.span)) best = { span, set };
    }
    return best?.set ?? null;
  }
}

function nearest(list: readonly Mention[], anchor: Mention): Mention {
  let best = list[0]!;
  let bestDistance = Infinity;
  for (const mention of list) {
    const distance = Math.max(mention.start - anchor.end, anchor.start - mention.end, 0);
    if (distance < bestDistance) {
      best = mention;
      bestDistance = distance;
    }
  }
  return best;
}

function nextSentenceEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (SENTENCE_END.test(text[i]!)) return i;
  return text.length;
}

function previousSentenceEnd(text: string, from: number): number {
  for (let i = from - 1; i >= 0; i--) if (SENTENCE_END.test(text[i]!)) return i + 1;
  return 0;
}
