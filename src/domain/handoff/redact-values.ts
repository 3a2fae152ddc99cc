/**
 * The value half of a `name = value` secret: where it starts and ends, whether
 * it is a real secret or a placeholder, and which kind it is by its name.
 */
import type { RedactionKind } from './redact-kinds';

/** Names of settings whose value is a secret (case-insensitive; `_`, `.`, `-` between words). */
export const SECRET_NAME_ALTERNATIVES = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secret[_.-]?(?:text|value)',
  'account[_.-]?key',
  'storage[_.-]?key',
  'shared[_.-]?access[_.-]?key',
  'api[_.-]?key',
  'functions?[_.-]?key',
  'subscription[_.-]?key',
  'access[_.-]?key',
  'master[_.-]?key',
  '(?:primary|secondary)[_.-]?key',
  'token',
].join('|');

/**
 * A setting's name: any words, then one of the secret names at its very end
 * (`adminPassword`, `AZURE_CLIENT_SECRET`, `x-functions-key`, `storageAccountKey`).
 * Lazy prefix: the caller anchors the start with a look-behind, so it is tried
 * once per word run, never from every character inside one.
 */
export const SECRET_NAME = `[A-Za-z0-9_.-]*?(?:${SECRET_NAME_ALTERNATIVES})`;

const WHOLE_SECRET_NAME = new RegExp(`^[A-Za-z0-9_. -]*?(?:${SECRET_NAME_ALTERNATIVES})$`, 'i');
const JAPANESE_SECRET_NAME = /(?:パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|シークレット|アカウントキー|アクセスキー|ストレージキー|共有アクセスキー|APIキー)$/i;

/** The kind of secret a setting holds, by its name. */
export function kindOfName(name: string): RedactionKind {
  const n = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (/(?:apppassword|secret|secrettext|secretvalue|シークレット)$/.test(n)) return 'client-secret';
  if (/(?:sharedaccesskey|共有アクセスキー)$/.test(n)) return 'connection-string';
  if (/(?:accountkey|storagekey|アカウントキー|アクセスキー|ストレージキー)$/.test(n)) return 'storage-key';
  if (/token$/.test(n)) return 'bearer-token';
  if (/(?:password|passwd|pwd|passphrase|pw|パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号)$/.test(n)) return 'password';
  return 'api-key';
}

/** For redactDeep: a JSON key whose string value is a secret as a whole. */
export function isSecretName(name: string): boolean {
  return WHOLE_SECRET_NAME.test(name) || JAPANESE_SECRET_NAME.test(name.replace(/[\s\u3000]/g, ''));
}

/** Values that stand for a secret without being one: empty, null, masks, placeholders, variables. */
const NOT_A_SECRET = new RegExp(
  [
    '',
    'null|none|nil|undefined|true|false|yes|no|y|n|on|off|enabled|disabled',
    '[*＊•●xX]{3,}|\\.{3}|…',
    '<[^>]*>|\\{\\{[^}]*\\}\\}|\\$\\{[^}]*\\}|\\$\\(?[A-Za-z_][\\w:.]*\\)?|%[A-Za-z_]\\w*%',
    'System\\.Security\\.SecureString|SecureString',
    'option|parameter|flag|argument|required|optional|value|string|hidden|masked|redacted|\\(hidden\\)',
    '省略|略|伏せ字|非表示|（略）|\\(略\\)',
  ]
    .map((alternative) => `(?:${alternative})`)
    .join('|')
    .replace(/^/, '^(?:')
    .concat(')$'),
  'i',
);

export function isNotASecret(inner: string, name = ''): boolean {
  const value = inner.trim();
  if (value.length <= 1 || value.startsWith('[REDACTED ') || NOT_A_SECRET.test(value)) return true;
  // `PWD=/home/azureuser` in an `env` dump is the working directory.
  return /^(?:old)?pwd$/i.test(name) && /^[/~]/.test(value);
}

/** Azure AD (Entra ID) client secret, the format since 2021: `abc8Q~` and 31 to 34 more. */
export const CLIENT_SECRET_FORMAT = '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}';
/** Azure Storage account key: 64 bytes in base64. */
export const STORAGE_KEY_FORMAT = '[A-Za-z0-9+/]{86}==';

const WHOLE_CLIENT_SECRET = new RegExp(`^${CLIENT_SECRET_FORMAT}$`);
const WHOLE_STORAGE_KEY = new RegExp(`^${STORAGE_KEY_FORMAT}$`);

/** The kind by the value's own format when that says more than the name (`"password": "abc8Q~..."`). */
export function refineKind(kind: RedactionKind, inner: string): RedactionKind {
  if (WHOLE_CLIENT_SECRET.test(inner)) return 'client-secret';
  if (WHOLE_STORAGE_KEY.test(inner)) return 'storage-key';
  return kind;
}

/**
 * Regex source for a value after `name=` / `name:`: a quoted string (also JSON
 * escaped `\"…\"`, Japanese 「…」), or a bare word. Every alternative is
 * deterministic (no two ways to match the same text), so it runs in linear time.
 * A bare value does not start like a variable, an expression or a placeholder
 * (`$pw`, `(ConvertTo-SecureString …)`, `[REDACTED …]`, `<password>`), stops at
 * white space, `;`, quotes and non-ASCII text, and at a comma that starts the next
 * `name=` (`password=x,ssl=True`).
 */
export const VALUE = [
  '\\\\"(?:[^"\\\\\\r\\n]|\\\\(?!")[^\\r\\n])*(?:\\\\"|(?=[\\r\\n]|$))',
  '"(?:[^"\\\\\\r\\n]|\\\\.)*(?:"|(?=[\\r\\n]|$))',
  "'(?:[^'\\r\\n]|'')*(?:'|(?=[\\r\\n]|$))",
  '`[^`\\r\\n]*`',
  '「[^」\\r\\n]*」',
  '『[^』\\r\\n]*』',
  '“[^”\\r\\n]*”',
  '(?![$(\\[{<%])(?:[^\\s;"\'\\\\,\\u0080-\\uffff]|\\\\(?!["\'])|,(?![ \\t]|[\\w.-]+=))+',
].join('|');

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '`': '`', '「': '」', '『': '』', '“': '”' };

export interface SplitValue {
  open: string;
  inner: string;
  close: string;
  /** Punctuation after a bare value that belongs to the sentence, kept as it was. */
  tail: string;
}

/** Splits a matched value into its quotes and the secret between them. */
export function splitValue(raw: string): SplitValue {
  if (raw.startsWith('\\"')) {
    const closed = raw.length >= 4 && raw.endsWith('\\"');
    return { open: '\\"', inner: raw.slice(2, closed ? -2 : undefined), close: closed ? '\\"' : '', tail: '' };
  }
  const closing = CLOSING[raw[0] ?? ''];
  if (closing !== undefined) {
    const closed = raw.length >= 2 && raw.endsWith(closing);
    return { open: raw[0]!, inner: raw.slice(1, closed ? -1 : undefined), close: closed ? closing : '', tail: '' };
  }
  return trimBare(raw);
}

const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>': '<' };

/** `(password=abc)` keeps its `)`, `password=abc.` its full stop: only the secret is masked. */
function trimBare(raw: string): SplitValue {
  let end = raw.length;
  while (end > 1) {
    const last = raw[end - 1]!;
    const opener = OPENER[last];
    const body = raw.slice(0, end - 1);
    if (opener !== undefined && count(body, opener) < count(body, last) + 1) end -= 1;
    else if (last === '.' || last === ',' || last === ':') end -= 1;
    else break;
  }
  return { open: '', inner: raw.slice(0, end), close: '', tail: raw.slice(end) };
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}
