/**
 * Finds error codes in a paste: exact, misspelt by a letter or two, cut short,
 * wrapped over two lines, or unknown codes shaped like error codes (an unknown
 * `UserError…` or `…NotReachable` code is some other error, not one of the five).
 */
import { damerauLevenshteinDistance } from './edit-distance';
import type { CodeSignature } from './signature-schema';
import { wrappedWords } from './wrapped-words';

export type CodeReading = 'exact' | 'misspelt' | 'cut-short' | 'unknown';

export interface CodeHit {
  /** The code as written in the paste (normalized, lower-case). */
  found: string;
  /** The known code it was read as, or null for an unknown code. */
  signature: CodeSignature | null;
  reading: CodeReading;
  /** Edits between what was found and the known code (0 unless misspelt). */
  distance: number;
}

// Tried from a word's first letter only: a start later in the same word could only be shorter, and the
// pattern gave up on every one of them after reading the rest of the word (quadratic in long logs).
const CODE_LIKE = /(?<![a-z])[a-z][a-z0-9]{9,}/g;
/** An error code in the paste as written, before lower-casing: CamelCase ending like an error. */
const CAMEL_CASE_ERROR =
  /\b(?:[A-Z]+[a-z0-9]+){2,}(?:Error|Errors|Failed|Failure|Issue|NotReachable|Unreachable|Unavailable|InProgress|NotPresent|NotSupported|Missing|LimitReached|NotConfigured|TimedOut|Membership)\b/g;
const UNKNOWN_CODE_SHAPE =
  /^(?:usererror[a-z0-9]{6,}|extens?t?ion[a-z0-9]*(?:failed|error|failure)[a-z0-9]*|guestagent[a-z0-9]*error|vmrestorepoint[a-z0-9]+|cloud[a-z0-9]*error)$/;
/** A cut-off code must keep this much of the known code to be read as it. */
const MIN_PREFIX_SHARE = 0.45;
const MIN_PREFIX_LENGTH = 12;
/** A code missing its start must keep most of the known code ("UserError" is 9 of 36 characters). */
const MIN_SUFFIX_SHARE = 0.6;
const MIN_SUFFIX_LENGTH = 16;
/** An abbreviated code keeps this many characters of the known code at each end. */
const ABBREVIATION_EDGE = 6;
/** Words already read, across pastes: logs repeat the same long words (vmsnapshotlinux, recoveryservices). */
const READ_CACHE_LIMIT = 20_000;

/** "op" in "operation": the letters kept by an abbreviation, in order. */
function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const ch of short) {
    at = long.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

export class CodeMatcher {
  private readonly exact: Map<string, CodeSignature>;
  private readonly known: { lower: string; signature: CodeSignature }[];
  private readonly readCache = new Map<string, CodeHit | null>();

  constructor(codes: readonly CodeSignature[]) {
    this.known = codes.map((signature) => ({ lower: signature.code.toLowerCase(), signature }));
    this.exact = new Map(this.known.map(({ lower, signature }) => [lower, signature]));
  }

  /** `normalizedText` is what the phrases see; `rawText` keeps the case that shows CamelCase codes. */
  find(normalizedText: string, rawText: string): CodeHit[] {
    const hits = new Map<string, CodeHit>();
    const add = (hit: CodeHit | null) => {
      if (hit && !hits.has(hit.found)) hits.set(hit.found, hit);
    };
    const seen = new Set<string>();
    for (const [word] of normalizedText.matchAll(CODE_LIKE)) {
      if (seen.has(word)) continue;
      seen.add(word);
      add(this.read(word));
    }
    // A code broken by a line wrap: the end of one line and the start of the next.
    for (const [head, tail] of wrappedWords(normalizedText)) {
      const joined = `${head}${tail}`;
      if (seen.has(joined)) continue;
      seen.add(joined);
      const hit = this.read(joined);
      // Two ordinary words next to each other are not a code; only a known code counts.
      if (hit?.signature) add(hit);
    }
    const wrappedParts = new Set([...hits.values()].filter((hit) => hit.signature).flatMap((hit) => [hit.found]));
    for (const [code] of rawText.normalize('NFKC').matchAll(CAMEL_CASE_ERROR)) {
      const lower = code.toLowerCase();
      if (!hits.has(lower) && !wrappedParts.has(lower)) add(this.read(lower) ?? { found: lower, signature: null, reading: 'unknown', distance: 0 });
    }
    return this.withoutFragments([...hits.values()]);
  }

  /** The same word always reads the same; callers only read the hits, so a cached hit can be handed out again. */
  private read(word: string): CodeHit | null {
    const cached = this.readCache.get(word);
    if (cached !== undefined) return cached;
    const hit = this.readUncached(word);
    if (this.readCache.size >= READ_CACHE_LIMIT) this.readCache.clear();
    this.readCache.set(word, hit);
    return hit;
  }

  private readUncached(word: string): CodeHit | null {
    const exact = this.exact.get(word);
    if (exact) return { found: word, signature: exact, reading: 'exact', distance: 0 };
    return this.readMisspelt(word) ?? this.readCutShort(word) ?? this.readWithoutPrefix(word) ?? this.readAbbreviated(word) ?? (UNKNOWN_CODE_SHAPE.test(word) ? { found: word, signature: null, reading: 'unknown', distance: 0 } : null);
  }

  private readMisspelt(word: string): CodeHit | null {
    if (word.length < 12) return null;
    let best: { signature: CodeSignature; distance: number } | null = null;
    for (const { lower, signature } of this.known) {
      if (Math.abs(lower.length - word.length) > 2 || lower.slice(0, 2) !== word.slice(0, 2)) continue;
      const distance = damerauLevenshteinDistance(word, lower);
      const allowed = lower.length >= 20 ? 2 : 1;
      if (distance <= allowed && (!best || distance < best.distance)) best = { signature, distance };
    }
    return best ? { found: word, reading: 'misspelt', ...best } : null;
  }

  /** A code cut off at the end of a line: read it only when every code it could be points the same way. */
  private readCutShort(word: string): CodeHit | null {
    if (word.length < MIN_PREFIX_LENGTH) return null;
    const matches = this.known.filter(({ lower }) => lower.startsWith(word) && word.length / lower.length >= MIN_PREFIX_SHARE);
    if (matches.length === 0) return null;
    const targets = new Set(matches.map(({ signature }) => signature.targets.join(',')));
    if (targets.size !== 1) return null;
    return { found: word, signature: matches[0]!.signature, reading: 'cut-short', distance: 0 };
  }

  /**
   * A code remembered without its prefix ("GuestAgentStatusUnavailable" for
   * UserErrorGuestAgentStatusUnavailable): read it when one known error ends with it.
   */
  private readWithoutPrefix(word: string): CodeHit | null {
    if (word.length < MIN_SUFFIX_LENGTH) return null;
    const matches = this.known.filter(({ lower }) => lower !== word && lower.endsWith(word) && word.length / lower.length >= MIN_SUFFIX_SHARE);
    const targets = new Set(matches.map(({ signature }) => signature.targets.join(',')));
    if (matches.length === 0 || targets.size !== 1) return null;
    return { found: word, signature: matches[0]!.signature, reading: 'cut-short', distance: 0 };
  }

  /**
   * A code shortened in the middle ("BackUpOpFailed" for BackUpOperationFailed): the same
   * start and end as one known error's codes, and most of its length.
   */
  private readAbbreviated(word: string): CodeHit | null {
    if (word.length < MIN_PREFIX_LENGTH) return null;
    const start = word.slice(0, ABBREVIATION_EDGE);
    const end = word.slice(-ABBREVIATION_EDGE);
    const middle = word.slice(ABBREVIATION_EDGE, -ABBREVIATION_EDGE);
    const matches = this.known.filter(
      ({ lower }) =>
        lower.length > word.length + 2 &&
        lower.startsWith(start) &&
        lower.endsWith(end) &&
        word.length / lower.length >= MIN_SUFFIX_SHARE &&
        isSubsequence(middle, lower.slice(ABBREVIATION_EDGE, -ABBREVIATION_EDGE)),
    );
    const targets = new Set(matches.map(({ signature }) => signature.targets.join(',')));
    if (matches.length === 0 || targets.size !== 1) return null;
    return { found: word, signature: matches[0]!.signature, reading: 'misspelt', distance: 2 };
  }

  /** The halves of a wrapped code are not codes of their own. */
  private withoutFragments(hits: CodeHit[]): CodeHit[] {
    const known = hits.filter((hit) => hit.signature && hit.found.length >= 20);
    return hits.filter((hit) => hit.signature || !known.some((whole) => whole.found !== hit.found && whole.found.includes(hit.found)));
  }
}
