/**
 * Build step, after tsc (`npm run build`): checks signatures.json and concepts.json
 * against their schemas and writes the matcher's prepared form to
 * dist/prepared-matcher.json, which the matcher is built from at run time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PREPARED_MATCHER_FILE } from '../src/domain/matching/load-signatures';
import { loadConcepts, loadSignatures } from '../src/domain/matching/matcher-data';
import { prepareMatcher } from '../src/domain/matching/prepare-matcher';

try {
  const prepared = prepareMatcher(loadSignatures(), loadConcepts());
  mkdirSync(dirname(PREPARED_MATCHER_FILE), { recursive: true });
  writeFileSync(PREPARED_MATCHER_FILE, `${JSON.stringify(prepared)}\n`);
} catch (error) {
  // A broken data file: name the file and the field, without a stack trace.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
