/**
 * Schema of signatures.json, the matcher's knowledge of what users paste.
 * Checked at load like the article content, so a typo in the data stops start-up
 * with the file and the field named instead of silently matching nothing.
 */
import { z } from 'zod';
import { ErrorIdSchema } from '../knowledge/schema';
import { OtherErrorCodeSchema } from '../knowledge/current-schema';

const text = z.string().trim().min(1);
/** Zero targets: out of scope. One: decisive. Two or three: ambiguous by history. */
const targets = z.array(ErrorIdSchema).max(3);

/** Out of scope only: which error of the current article (outside the five) this is, so the bot can name it. */
const otherError = OtherErrorCodeSchema.optional();

export const CodeSignatureSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z][A-Za-z0-9]{5,}$/, 'an error code is one CamelCase word'),
  targets,
  otherError,
  source: text,
  /** false: matched, but never shown as a code (an anchor name of the docs, a misspelling only one translation has). */
  display: z.literal(false).optional(),
});

export const PhraseSignatureSchema = z.strictObject({
  text,
  targets,
  otherError,
  /** In-scope codes whose meaning this out-of-scope message replaces (error-codes.md A4). */
  overrides: z.array(z.string()).optional(),
  source: text,
});

export const ContextSignatureSchema = z.strictObject({ text, source: text });

/** Everyday wordings people type from memory, read as the documented words. */
export const SynonymSchema = z.strictObject({ text, means: text, source: text });

export const SignaturesSchema = z.strictObject({
  $comment: z.string().optional(),
  codes: z.array(CodeSignatureSchema).min(1),
  phrases: z.array(PhraseSignatureSchema).min(1),
  outOfScopeContexts: z.array(ContextSignatureSchema),
  synonyms: z.array(SynonymSchema),
});

export type CodeSignature = z.infer<typeof CodeSignatureSchema>;
export type PhraseSignature = z.infer<typeof PhraseSignatureSchema>;
export type Signatures = z.infer<typeof SignaturesSchema>;
