/**
 * Checks signatures.json and concepts.json against their schemas. Runs at build
 * time (scripts/prepare-matcher.ts) and in the tests, not when classifying: the
 * matcher is built from the prepared form (load-signatures.ts).
 */
import rawSignatures from './signatures.json';
import rawConcepts from './concepts.json';
import { ConceptLexiconSchema, type ConceptLexicon } from './concept-schema';
import { parseDataFile } from '../validation/parse-data-file';
import { SignaturesSchema, type Signatures } from './signature-schema';

export const SIGNATURES_FILE = 'src/domain/matching/signatures.json';
export const CONCEPTS_FILE = 'src/domain/matching/concepts.json';

export function loadSignatures(raw: unknown = rawSignatures, file = SIGNATURES_FILE): Signatures {
  return parseDataFile(file, raw, SignaturesSchema);
}

export function loadConcepts(raw: unknown = rawConcepts, file = CONCEPTS_FILE): ConceptLexicon {
  return parseDataFile(file, raw, ConceptLexiconSchema);
}
