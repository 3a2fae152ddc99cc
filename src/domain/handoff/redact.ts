/**
 * Masks secrets and personal data before anything leaves the bot (the handoff
 * case, the paste, the transcript): storage keys, SAS signatures, passwords,
 * connection string secrets, bearer tokens and JWTs, client secrets, API keys,
 * private keys, email addresses and phone numbers, in English and Japanese text.
 *
 * What the helpdesk needs stays byte for byte: subscription and resource ids,
 * GUIDs, names, error codes, timestamps, IP addresses, versions, URLs without
 * secrets. A masked value reads `[REDACTED storage key]` and keeps its place in
 * the structure around it (`AccountKey=[REDACTED storage key];EndpointSuffix=…`,
 * `"password": "[REDACTED password]"`, `…&sp=r&sig=[REDACTED SAS signature]`).
 *
 * Linear time: a 1 MB log is redacted in well under a second.
 * Idempotent: redacting redacted text changes nothing and finds nothing.
 */
import { orderedKinds, placeholder, type RedactionKind } from './redact-kinds';
import { RULES, SAS_QUERY } from './redact-rules';
import { isNotASecret, isSecretName, kindOfName, refineKind } from './redact-values';

export { REDACTION_KINDS, placeholder as redactionPlaceholder, type RedactionKind } from './redact-kinds';

export interface Redacted<T> {
  value: T;
  /** The kinds that were masked, each once, in the order of REDACTION_KINDS. */
  found: RedactionKind[];
}

export function redactText(text: string): { text: string; found: RedactionKind[] } {
  const found = new Set<RedactionKind>();
  return { text: redactInto(text, found), found: orderedKinds(found) };
}

/**
 * redactText on every string of a JSON-like value (plain objects and arrays, as
 * deep as they go); keys are kept. A string under a key that names a secret
 * (`password`, `clientSecret`, `storageAccountKey`, `パスワード`) is masked as a whole.
 * The input is not changed; values that are not strings, arrays or plain objects
 * are kept as they are.
 */
export function redactDeep<T>(value: T): Redacted<T> {
  const found = new Set<RedactionKind>();
  return { value: walk(value, undefined, found) as T, found: orderedKinds(found) };
}

function redactInto(text: string, found: Set<RedactionKind>): string {
  const report = (kind: RedactionKind): void => {
    found.add(kind);
  };
  let out = text;
  for (const rule of RULES) out = rule.apply(out, report);
  return out;
}

function walk(value: unknown, key: string | undefined, found: Set<RedactionKind>): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && isSecretName(key) && !isNotASecret(value, key)) {
      const kind = refineKind(kindOfName(key), value.trim());
      // A SAS under `sasToken` keeps its readable parameters: only `sig` goes.
      if (kind === 'bearer-token' && SAS_QUERY.test(value)) return redactInto(value, found);
      found.add(kind);
      return placeholder(kind);
    }
    return redactInto(value, found);
  }
  // An array's items inherit its key: `{ password: ['a', 'b'] }` masks both.
  if (Array.isArray(value)) return value.map((item: unknown) => walk(item, key, found));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, found)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
