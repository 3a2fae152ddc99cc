/**
 * Schema of concepts.json: how people describe the five errors in their own words.
 *
 * A concept is a thing or a state ("the agent", "does not respond", "no network"),
 * written as regular expressions over the concept view of a text (normalized,
 * lower-case, no spaces between Japanese characters). A rule names the concepts
 * that together point to one error (decisive) or to two or three (ask the user).
 * Topics are the subjects outside the five (restore, key vault, pricing ...).
 * Checked at load like signatures.json: a pattern that does not compile, or a rule
 * that names an unknown concept, stops start-up with the file and field named.
 */
import { z } from 'zod';
import { ErrorIdSchema } from '../knowledge/schema';
import { OtherErrorCodeSchema } from '../knowledge/current-schema';
import { expandMacros } from './concept-macros';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id is lower-case words joined by "-"');
const text = z.string().trim().min(1);
const pattern = z.string().min(1);

export const ConceptSchema = z.strictObject({
  id,
  /** What the concept is, for people reading the file. */
  means: text,
  patterns: z.array(pattern).min(1),
  /** Mentions that overlap a mention of one of these concepts are dropped ("cannot connect to the internet" is no network, not a communication failure). */
  yieldsTo: z.array(id).optional(),
});

export const RuleSchema = z.strictObject({
  id,
  /** Every concept named must be mentioned, all within the rule window. */
  all: z.array(id).min(1).max(3),
  /** One error: decisive. Two or three: the description fits each, so the user is asked. */
  targets: z.array(ErrorIdSchema).min(1).max(3),
  /** Below the code (0.85+) and exact-message (0.96) scores: a description is weaker evidence. */
  score: z.number().min(0.3).max(0.85),
  /** Rules that say less when this one holds (snapshot status + cannot communicate is the unresponsive agent, not the unreachable one). */
  suppresses: z.array(id).optional(),
});

export const HealthySchema = z.strictObject({
  /** Words after a subject that say it is fine ("the agent is running"). */
  patterns: z.array(pattern).min(1),
  /** A sentence that asks to check ("make sure the agent is running") states nothing. */
  instructions: z.array(pattern).min(1),
  /** The subjects such words can clear, each staying in play when one of its faults is said in the same sentence ("running, but not responding"). */
  subjects: z.array(z.strictObject({ id, unlessInSentence: z.array(id) })).min(1),
});

export const TopicSchema = z.strictObject({
  id,
  /** The error of the current article (outside the five) this topic describes, when it is one (issue 12). */
  otherError: OtherErrorCodeSchema.optional(),
  means: text,
  patterns: z.array(pattern).min(1),
  /** In-scope codes this topic gives another meaning (error-codes.md A4: BackUpOperationFailedV2 after the policy migration). */
  overrides: z.array(z.string()).optional(),
});

export const ConceptLexiconSchema = z
  .strictObject({
    $comment: z.string().optional(),
    /** Named pattern fragments, written `{NAME}` inside patterns. */
    macros: z.record(z.string().regex(/^[A-Z_]+$/), pattern),
    /** The English words the patterns depend on: a word typed one letter off is read as one of them. */
    keywords: z.array(z.string().regex(/^[a-z]{5,32}$/, 'a key word is one lower-case English word of 5 to 32 letters')),
    /** Words written in hiragana ("ねっとわーく", "ないぶ") and the spelling the patterns use ("ネットワーク", "内部"). */
    kanaWords: z.record(z.string().regex(/^[\u3041-\u309f\u30fc]+$/, 'a kana word is written in hiragana'), text),
    /** How far apart (in characters of the concept view) the concepts of one rule may be. */
    window: z.number().int().min(20).max(400),
    concepts: z.array(ConceptSchema).min(1),
    healthy: HealthySchema,
    rules: z.array(RuleSchema).min(1),
    topics: z.array(TopicSchema),
  })
  .superRefine((lexicon, ctx) => {
    const concepts = new Set(lexicon.concepts.map((concept) => concept.id));
    const rules = new Set(lexicon.rules.map((rule) => rule.id));
    const unknown = (path: (string | number)[], name: string, kind: string) =>
      ctx.addIssue({ code: 'custom', path, message: `unknown ${kind} "${name}"` });
    lexicon.concepts.forEach((concept, index) => concept.yieldsTo?.forEach((other) => concepts.has(other) || unknown(['concepts', index, 'yieldsTo'], other, 'concept')));
    lexicon.rules.forEach((rule, index) => {
      rule.all.forEach((name) => concepts.has(name) || unknown(['rules', index, 'all'], name, 'concept'));
      rule.suppresses?.forEach((name) => rules.has(name) || unknown(['rules', index, 'suppresses'], name, 'rule'));
    });
    lexicon.healthy.subjects.forEach(({ id: subject, unlessInSentence }) =>
      [subject, ...unlessInSentence].forEach((name) => concepts.has(name) || unknown(['healthy', 'subjects'], name, 'concept')),
    );
    const check = (path: (string | number)[], source: string) => {
      const missing = [...source.matchAll(/\{([A-Z_]+)\}/g)].map((m) => m[1]!).filter((name) => !(name in lexicon.macros));
      if (missing.length > 0) return ctx.addIssue({ code: 'custom', path, message: `unknown macro {${missing.join('}, {')}}` });
      try {
        new RegExp(expandMacros(source, lexicon.macros), 'g');
      } catch (error) {
        ctx.addIssue({ code: 'custom', path, message: `pattern does not compile: ${(error as Error).message}` });
      }
    };
    lexicon.concepts.forEach((concept, i) => concept.patterns.forEach((source, j) => check(['concepts', i, 'patterns', j], source)));
    lexicon.topics.forEach((topic, i) => topic.patterns.forEach((source, j) => check(['topics', i, 'patterns', j], source)));
    lexicon.healthy.patterns.forEach((source, j) => check(['healthy', 'patterns', j], source));
    lexicon.healthy.instructions.forEach((source, j) => check(['healthy', 'instructions', j], source));
  });

export type ConceptLexicon = z.infer<typeof ConceptLexiconSchema>;
export type ConceptRule = z.infer<typeof RuleSchema>;
