/**
 * The process-wide matcher, built from the prepared form that `npm run build`
 * writes (scripts/prepare-matcher.ts: the data files checked against their
 * schemas, the phrases split into terms). Reading it instead of the data files
 * keeps zod and natural's Japanese tokenizer off the classify command's start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../project-root';
import type { ErrorId } from '../knowledge/schema';
import { Matcher } from './matcher';
import type { PreparedMatcher } from './prepare-matcher';
import type { Signatures } from './signature-schema';

export const PREPARED_MATCHER_FILE = join(PROJECT_ROOT, 'dist', 'prepared-matcher.json');

export function readPreparedMatcher(file = PREPARED_MATCHER_FILE): PreparedMatcher {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: run npm run build`);
  }
  // Written by our own build from the checked data files; the tests compare it with them.
  return JSON.parse(text) as PreparedMatcher;
}

let prepared: PreparedMatcher | undefined;
let shared: Matcher | undefined;

/** signatures.json, as checked at build time. */
export function defaultSignatures(): Signatures {
  prepared ??= readPreparedMatcher();
  return prepared.signatures;
}

/** The process-wide matcher: building it takes a few milliseconds, so do it once. */
export function defaultMatcher(): Matcher {
  prepared ??= readPreparedMatcher();
  shared ??= new Matcher(prepared);
  return shared;
}

/** The documented error codes of one error, for showing on its card and in the case (those marked `display: false` are left out). */
export function documentedCodes(category: ErrorId, signatures: Signatures = defaultSignatures()): string[] {
  return signatures.codes
    .filter(({ targets, display }) => targets.length === 1 && targets[0] === category && display !== false)
    .map(({ code }) => code);
}
