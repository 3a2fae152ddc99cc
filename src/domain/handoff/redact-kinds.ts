/**
 * What the redactor masks, and how a masked value reads: `[REDACTED <label>]`,
 * in English whatever the paste's language, so the helpdesk always knows that
 * something was there and what it was.
 */

/** In the order `found` lists them. */
export const REDACTION_KINDS = [
  'private-key',
  'connection-string',
  'storage-key',
  'sas-token',
  'password',
  'client-secret',
  'bearer-token',
  'jwt',
  'api-key',
  'email',
  'phone',
] as const;

export type RedactionKind = (typeof REDACTION_KINDS)[number];

const LABELS: Record<RedactionKind, string> = {
  'private-key': 'private key',
  'connection-string': 'connection string secret',
  'storage-key': 'storage key',
  'sas-token': 'SAS signature',
  password: 'password',
  'client-secret': 'client secret',
  'bearer-token': 'bearer token',
  jwt: 'JWT',
  'api-key': 'API key',
  email: 'email',
  phone: 'phone',
};

export function placeholder(kind: RedactionKind): string {
  return `[REDACTED ${LABELS[kind]}]`;
}

export function orderedKinds(found: ReadonlySet<RedactionKind>): RedactionKind[] {
  return REDACTION_KINDS.filter((kind) => found.has(kind));
}
