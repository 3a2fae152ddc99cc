/** Loads and checks signatures.json, then builds the matcher once per process. */
import rawSignatures from './signatures.json';
import rawConcepts from './concepts.json';
import { ConceptLexiconSchema, type ConceptLexicon } from './concept-schema';
import { parseDataFile } from '../validation/parse-data-file';
import { Matcher } from './matcher';
import { SignaturesSchema, type Signatures } from './signature-schema';
import type { ErrorId } from '../knowledge/schema';

export const SIGNATURES_FILE = 'src/domain/matching/signatures.json';
export const CONCEPTS_FILE = 'src/domain/matching/concepts.json';

export function loadSignatures(raw: unknown = rawSignatures, file = SIGNATURES_FILE): Signatures {
  return parseDataFile(file, raw, SignaturesSchema);
}

export function loadConcepts(raw: unknown = rawConcepts, file = CONCEPTS_FILE): ConceptLexicon {
  return parseDataFile(file, raw, ConceptLexiconSchema);
}

let sharedSignatures: Signatures | undefined;
let shared: Matcher | undefined;

/** signatures.json, parsed and checked once per process. */
export function defaultSignatures(): Signatures {
  sharedSignatures ??= loadSignatures();
  return sharedSignatures;
}

/** The process-wide matcher: compiling the vocabulary takes a few milliseconds, so do it once. */
export function defaultMatcher(): Matcher {
  shared ??= new Matcher(defaultSignatures(), loadConcepts());
  return shared;
}

/** The documented error codes of one error, for showing on its card and in the case (those marked `display: false` are left out). */
export function documentedCodes(category: ErrorId, signatures: Signatures = defaultSignatures()): string[] {
  return signatures.codes
    .filter(({ targets, display }) => targets.length === 1 && targets[0] === category && display !== false)
    .map(({ code }) => code);
}
