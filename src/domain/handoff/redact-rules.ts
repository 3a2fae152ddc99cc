/**
 * The redaction rules, in the order they run: blocks and headers first, then
 * `name = value` settings (the name says what the value is), then secrets
 * recognised by their own format, then personal data.
 *
 * Every pattern is written to run in linear time on any input: each one starts
 * with a literal or a look-behind that lets it start only at the beginning of a
 * run of its characters, its repetitions are deterministic (never two ways to
 * match the same text) or bounded, and checks that would need backtracking
 * (digit counts, top-level domains) are done in code on the match.
 */
import { placeholder, type RedactionKind } from './redact-kinds';
import {
  CLIENT_SECRET_FORMAT,
  SECRET_NAME,
  SECRET_NAME_ALTERNATIVES,
  STORAGE_KEY_FORMAT,
  VALUE,
  isNotASecret,
  kindOfName,
  refineKind,
  splitValue,
} from './redact-values';

export type Report = (kind: RedactionKind) => void;

export interface Rule {
  readonly name: string;
  apply(text: string, report: Report): string;
}

type Replacer = (match: RegExpMatchArray & { index: number; groups: Record<string, string | undefined> }, report: Report) => string;

function regexRule(name: string, pattern: RegExp, replace: Replacer, quick?: RegExp): Rule {
  if (!pattern.global) throw new Error(`redaction rule ${name}: the pattern must be global`);
  return {
    name,
    apply(text, report) {
      if (quick && !quick.test(text)) return text;
      let out = '';
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        const index = match.index!;
        const groups = match.groups ?? {};
        out += text.slice(last, index) + replace(Object.assign(match, { index, groups }), report);
        last = index + match[0].length;
      }
      return last === 0 ? text : out + text.slice(last);
    },
  };
}

/** A SAS query: its `sig` is masked by the SAS rule, the rest stays readable. */
export const SAS_QUERY = /(?:^|[?&;])sig(?:=|%3D)/i;

/**
 * Masks the value group of a `lead + value` match. The lead is everything
 * before the value; `kind` may depend on it (the setting's name).
 */
function maskValue(
  match: { 0: string; groups: Record<string, string | undefined> },
  kind: RedactionKind,
  report: Report,
  options: { name?: string; also?: RedactionKind; accept?: (inner: string) => boolean } = {},
): string {
  const value = match.groups.value ?? '';
  const lead = match[0].slice(0, match[0].length - value.length);
  const { open, inner, close, tail } = splitValue(value);
  if (isNotASecret(inner, options.name) || (options.accept && !options.accept(inner))) return match[0];
  // `"sasToken": "?sv=…&se=…&sig=…"`: the SAS rule masks only the signature and keeps the rest readable.
  if (kind === 'bearer-token' && SAS_QUERY.test(inner)) return match[0];
  const refined = refineKind(kind, inner);
  report(refined);
  if (options.also) report(options.also);
  return `${lead}${open}${placeholder(refined)}${close}${tail}`;
}

// ---------------------------------------------------------------- blocks

/** `-----BEGIN … PRIVATE KEY-----` to its END line, or to the end of the base64 when the paste was cut. */
const privateKeys: Rule = {
  name: 'private-key',
  apply(text, report) {
    if (!text.includes('PRIVATE KEY')) return text;
    const begin = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
    let out = '';
    let last = 0;
    const lastEnd = new Map<string, number>();
    for (let match = begin.exec(text); match; match = begin.exec(text)) {
      const label = match[1]!;
      const endLine = `-----END ${label}-----`;
      if (!lastEnd.has(label)) lastEnd.set(label, text.lastIndexOf(endLine));
      const bodyStart = match.index + match[0].length;
      const stop = lastEnd.get(label)! >= bodyStart ? text.indexOf(endLine, bodyStart) + endLine.length : endOfCutKey(text, bodyStart);
      report('private-key');
      out += text.slice(last, match.index) + placeholder('private-key');
      last = stop;
      begin.lastIndex = stop;
    }
    return last === 0 ? text : out + text.slice(last);
  },
};

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * A key cut before its END line runs line by line (real line breaks or JSON's
 * `\n`) while the lines are base64 or PEM headers (`Proc-Type:`, `DEK-Info:`);
 * a blank line, or a line that stops being base64, ends it. Words after a space
 * end it too, unless they are as long as a base64 line (a key pasted on one line).
 */
function endOfCutKey(text: string, start: number): number {
  let pos = start;
  for (;;) {
    const lineBreak = /^(?:\r?\n|\\r\\n|\\n)/.exec(text.slice(pos, pos + 4))?.[0].length ?? 0;
    const space = lineBreak === 0 ? (/^[ \t]+/.exec(text.slice(pos, pos + 8))?.[0].length ?? 0) : 0;
    if (lineBreak === 0 && space === 0) return pos;
    const lineStart = pos + lineBreak + space;
    if (lineBreak > 0 && /^(?:Proc-Type|DEK-Info):/.test(text.slice(lineStart, lineStart + 10))) {
      let end = lineStart;
      while (end < text.length && text[end] !== '\n' && !text.startsWith('\\n', end)) end += 1;
      pos = end;
      continue;
    }
    let end = lineStart;
    while (end < text.length && BASE64_CHAR.test(text[end]!)) end += 1;
    if (end === lineStart || (space > 0 && end - lineStart < 20)) return pos;
    pos = end;
  }
}

// ---------------------------------------------------------------- headers and URLs

const bearer = regexRule(
  'bearer',
  /(?<![A-Za-z0-9])Bearer[ \t]+(?<value>[A-Za-z0-9._~+/=-]{16,})/gi,
  (match, report) => maskValue(match, 'bearer-token', report, { accept: (inner) => /[^A-Za-z]/.test(inner) }),
  /bearer/i,
);

const basicAuth = regexRule(
  'basic-auth',
  /Authorization\\?["']?[ \t]*[:=][ \t]*\\?["']?Basic[ \t]+(?<value>[A-Za-z0-9+/]{6,}={0,2})/gi,
  (match, report) => maskValue(match, 'password', report),
  /basic/i,
);

/** `Authorization: SharedKey account:signature`: the signature is made with the storage key. */
const sharedKeyAuth = regexRule(
  'shared-key-auth',
  /SharedKey(?:Lite)?[ \t]+[A-Za-z0-9-]+:(?<value>[A-Za-z0-9+/]{20,}={0,2})/g,
  (match, report) => maskValue(match, 'storage-key', report),
  /SharedKey/,
);

/** `http://user:secret@proxy:3128`: the greedy value backs off to the last `@` of the authority. */
const urlUserInfo = regexRule(
  'url-userinfo',
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@\s"'<>]+:(?<value>[^/\s"'<>]+)(?=@)/g,
  (match, report) => maskValue(match, 'password', report),
  /:\/\//,
);

// ---------------------------------------------------------------- name = value

/** `…;Password=my pass phrase;`: in a connection string a password runs to the next `;` (spaces too). */
const connectionStringPassword = regexRule(
  'connection-string-password',
  /(?<=;[ \t]*)(?:Password|Pwd|User[ \t]?Password)[ \t]*=[ \t]*(?<value>\{[^}\r\n]*\}|"(?:[^"\r\n]|"")*"|'[^'\r\n]*'|(?:[^;\r\n"'\\]|\\(?!["']))+)/gi,
  (match, report) => {
    const value = match.groups.value!;
    const trimmed = value.replace(/[ \t]+$/, '');
    const braced = /^\{.*\}$/.test(trimmed);
    const inner = braced ? trimmed.slice(1, -1) : trimmed;
    const lead = match[0].slice(0, match[0].length - value.length);
    if (/^["']/.test(trimmed)) return maskValue(match, 'password', report, { also: 'connection-string' });
    if (isNotASecret(inner)) return match[0];
    report('password');
    report('connection-string');
    const masked = placeholder('password');
    return `${lead}${braced ? `{${masked}}` : masked}${value.slice(trimmed.length)}`;
  },
  /;[ \t]*(?:Password|Pwd|User[ \t]?Password)[ \t]*=/i,
);

const SETTING = new RegExp(
  '(?<![A-Za-z0-9_.-])(?<q>\\\\?["\'`]|)(?<name>' +
    SECRET_NAME +
    ')\\k<q>[ \\t]*(?:=>|[:=：＝])[ \\t]*' +
    // ARM parameter files: "adminPassword": { "value": "…" }
    '(?:\\{\\s*\\\\?["\']?value\\\\?["\']?[ \\t]*[:=][ \\t]*)?' +
    `(?<value>${VALUE})`,
  'gi',
);

const SECRET_WORD = /pass|pwd|secret|key|token/i;

/**
 * `password=…`, `"password": "…"`, `Password : …`, `@{"storageAccountKey"="…"}`,
 * `export AZURE_CLIENT_SECRET=…`, `AccountKey=…;`, `x-functions-key: …`.
 */
const setting = regexRule(
  'setting',
  SETTING,
  (match, report) => {
    const name = match.groups.name!;
    const kind = kindOfName(name);
    const value = match.groups.value!;
    const end = match.index + match[0].length;
    // AccountKey=…; SharedAccessKey=…; Password=…; are pairs of a connection string.
    const bare = !/^[\\"'`「『“]/.test(value);
    const before = match.input!.slice(Math.max(0, match.index - 8), match.index).trimEnd();
    const inConnectionString =
      (kind === 'storage-key' || kind === 'connection-string' || kind === 'password') &&
      bare &&
      (before.endsWith(';') || match.input![end] === ';');
    return maskValue(match, kind, report, { name, also: inConnectionString ? 'connection-string' : undefined });
  },
  SECRET_WORD,
);

/** `<UserPassword>…</UserPassword>` (ovf-env.xml in waagent logs), `<clientSecret>…</clientSecret>`. */
const xmlElement = regexRule(
  'xml-element',
  new RegExp(`<(?<name>[A-Za-z0-9_.:-]*?(?:${SECRET_NAME_ALTERNATIVES}))(?:[ \\t][^<>\\r\\n]*)?>(?<value>[^<\\r\\n]+)</\\k<name>>`, 'gi'),
  (match, report) => {
    const value = match.groups.value!;
    if (isNotASecret(value)) return match[0];
    const kind = refineKind(kindOfName(match.groups.name!), value);
    report(kind);
    const lead = match[0].slice(0, match[0].indexOf('>') + 1);
    return `${lead}${placeholder(kind)}</${match.groups.name!}>`;
  },
  SECRET_WORD,
);

/** `--admin-password P@ss`, `-Password "P@ss"`, `--account-key=…`, `-ClientSecret:…`. */
const flag = regexRule(
  'flag',
  new RegExp(`(?<![A-Za-z0-9_-])(?<name>--?${SECRET_NAME})(?:[ \\t]+|[=:])(?<value>${VALUE})`, 'gi'),
  (match, report) => {
    const name = match.groups.name!.replace(/^-+/, '');
    return maskValue(match, kindOfName(name), report, { name });
  },
  SECRET_WORD,
);

/**
 * `az login … -p <secret>`, `az vm user update … -p …`, `sqlcmd … -P …`: short
 * flags, so only on those command lines. `mysql -u root -pSecret` (pre/post
 * scripts of app-consistent Linux backups) has the password glued to `-p`.
 */
const shortPasswordFlag = regexRule(
  'short-password-flag',
  new RegExp(
    `^[ \\t]*(?:[$#>][ \\t]*|PS [^\\r\\n>]{0,200}>[ \\t]*)?(?:sudo[ \\t]+)?(?:(?:az[ \\t][^\\r\\n]*?[ \\t]-p|sqlcmd[ \\t][^\\r\\n]*?[ \\t]-P|bcp[ \\t][^\\r\\n]*?[ \\t]-P)(?:[ \\t]+|=)|(?:mysql|mysqldump|mysqladmin|mariadb)[ \\t][^\\r\\n]*?[ \\t]-p)(?<value>${VALUE})`,
    'gm',
  ),
  (match, report) => maskValue(match, 'password', report),
  /(?:az|sqlcmd|bcp|mysql|mysqldump|mysqladmin|mariadb)[ \t]/,
);

/** Windows: `net user azureuser P@ssw0rd! /add`, `cmdkey /add:srv /user:me /pass:P@ss`. */
const windowsCommand = regexRule(
  'windows-command',
  new RegExp(
    `(?<![A-Za-z])net[ \\t]+user[ \\t]+(?:"[^"\\r\\n]*"|[^\\s"/]+)[ \\t]+(?<value>${VALUE})|(?<![A-Za-z0-9_/-])/pass(?:word)?:(?<passValue>${VALUE})`,
    'gi',
  ),
  (match, report) => {
    if (match.groups.passValue !== undefined) {
      return maskValue({ 0: match[0], groups: { value: match.groups.passValue } }, 'password', report);
    }
    return maskValue(match, 'password', report, { accept: (inner) => !inner.startsWith('/') });
  },
  /net[ \t]+user|\/pass/i,
);

const PS_STRING = '"(?:[^"\\r\\n`]|`.)*"|\'(?:[^\'\\r\\n]|\'\')*\'';

/** `ConvertTo-SecureString "P@ss" -AsPlainText -Force`, `"P@ss" | ConvertTo-SecureString -AsPlainText`. */
const secureString = regexRule(
  'secure-string',
  new RegExp(
    `ConvertTo-SecureString(?:[ \\t]+-String)?[ \\t]+(?<value>${PS_STRING})|(?<piped>${PS_STRING})(?=[ \\t]*\\|[ \\t]*ConvertTo-SecureString)`,
    'gi',
  ),
  (match, report) => {
    if (match.groups.piped !== undefined) {
      return maskValue({ 0: match[0], groups: { value: match.groups.piped } }, 'password', report);
    }
    return maskValue(match, 'password', report);
  },
  /ConvertTo-SecureString/i,
);

/** `New-Object System.Net.NetworkCredential("user", "P@ss")`, `[NetworkCredential]::new('user', 'P@ss')`. */
const networkCredential = regexRule(
  'network-credential',
  new RegExp(`NetworkCredential\\]?(?:::new)?[ \\t]*\\([ \\t]*(?:${PS_STRING})[ \\t]*,[ \\t]*(?<value>${PS_STRING})`, 'gi'),
  (match, report) => maskValue(match, 'password', report),
  /NetworkCredential/i,
);

/**
 * 「パスワード: xxxx」「パスワード：「xxxx」」「パスワードは xxxx です」「PW：xxxx」
 * 「クライアント シークレット：xxxx」「アクセス キー：xxxx」. After 「は」 the value
 * must close the phrase (です, 。, 、, end of line), so 「パスワードは Azure ポータルで
 * 変更しました」 is left alone.
 */
const japaneseLabel = regexRule(
  'japanese-label',
  new RegExp(
    '(?<name>パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|(?<![A-Za-z0-9])(?:PW|ＰＷ)(?![A-Za-z0-9])|(?:クライアント[ \u3000]?)?シークレット|' +
      '(?:ストレージ[ \u3000]?)?(?:アカウント|アクセス)[ \u3000]?キー|共有アクセス[ \u3000]?キー|API[ \u3000]?キー)' +
      '(?<sep>[ \\t\u3000]*(?:[:：=＝][ \\t\u3000]*|は[ \\t\u3000]*))' +
      '(?<value>「[^」\\r\\n]*」|『[^』\\r\\n]*』|"[^"\\r\\n]*"|\'[^\'\\r\\n]*\'|“[^”\\r\\n]*”|(?![$(\\[{<%])[!-~！-～]+)',
    'gi',
  ),
  (match, report) => {
    const rest = match.input!.slice(match.index + match[0].length, match.index + match[0].length + 8);
    if (match.groups.sep!.includes('は') && !/^[ \t\u3000]*(?:です|でした|だ|で[ \t\u3000、。]|、|。|，|．|！|!|\)|）|\r|\n|$)/.test(rest)) return match[0];
    return maskValue(match, kindOfName(match.groups.name!.replace(/[ \u3000]/g, '')), report);
  },
  /パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|PW|ＰＷ|シークレット|キー/i,
);

/**
 * "the local admin password is Tr0ub4dor&3", "the password for azureuser is …":
 * only when the word after looks like a password (a digit or a symbol, 6+).
 */
const englishPhrase = regexRule(
  'english-phrase',
  /(?<![A-Za-z])(?<name>password|passphrase|passcode|secret)(?:[ \t]+for[ \t]+[^\s]{1,64})?(?:[ \t]+(?:is now|is|was|has been (?:set|changed|reset) to|(?:set|changed|reset) to)[ \t]+)(?<value>"[^"\r\n]*"|'[^'\r\n]*'|`[^`\r\n]*`|(?![$([{<%])[!-~]+)/gi,
  (match, report) =>
    maskValue(match, kindOfName(match.groups.name!), report, {
      accept: (inner) => /^["'`]/.test(match.groups.value!) || (inner.length >= 6 && /[^A-Za-z]/.test(inner)),
    }),
  /pass|secret/i,
);

// ---------------------------------------------------------------- formats

const jwt = regexRule(
  'jwt',
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
  (_match, report) => {
    report('jwt');
    return placeholder('jwt');
  },
  /eyJ/,
);

const clientSecret = regexRule(
  'client-secret',
  new RegExp(`(?<![A-Za-z0-9_~.-])${CLIENT_SECRET_FORMAT}(?![A-Za-z0-9_~.-])`, 'g'),
  (_match, report) => {
    report('client-secret');
    return placeholder('client-secret');
  },
  /[0-9]Q~/,
);

const storageKey = regexRule(
  'storage-key',
  new RegExp(`(?<![A-Za-z0-9+/])${STORAGE_KEY_FORMAT}(?![A-Za-z0-9+/=])`, 'g'),
  (_match, report) => {
    report('storage-key');
    return placeholder('storage-key');
  },
  /==/,
);

/** SAS: only `sig=` is secret; `sv`, `st`, `se`, `sp`, `spr`, `sr` and the URL stay for the helpdesk. */
const sasSignature = regexRule(
  'sas-signature',
  /(?<![A-Za-z_])sig(?:=|%3[Dd])(?<value>[A-Za-z0-9%+/=_-]{16,})/g,
  (match, report) => maskValue(match, 'sas-token', report),
  /sig(?:=|%3d)/i,
);

/** Azure Functions keys in a URL: `…/api/Fn?code=…`. */
const functionCode = regexRule(
  'function-code',
  /(?<=[?&])code=(?<value>[A-Za-z0-9_%/+=-]{20,})/g,
  (match, report) => maskValue(match, 'api-key', report, { accept: (inner) => /[0-9]/.test(inner) }),
  /[?&]code=/,
);

// ---------------------------------------------------------------- personal data

const email = regexRule(
  'email',
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-][A-Za-z0-9._%+-]*[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g,
  (match, report) => {
    // A domain ends in letters: `azureuser@10.0.0.4` is a login, not an address.
    if (!/\.[A-Za-z]{2,}$/.test(match[0])) return match[0];
    report('email');
    return placeholder('email');
  },
  /[@＠]/,
);

const D = '[0-9０-９]';
const HYPHEN = '[-‐‑‒–−－ー]';
const WORD_BEFORE = '(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ_.+＋/\\\\\\-‐‑‒–−－ー])';
const DIGIT = /[0-9０-９]/;
const WORD_CHAR = /[0-9０-９A-Za-zＡ-Ｚａ-ｚ_]/;

function digitCount(text: string): number {
  let n = 0;
  for (const c of text) if (DIGIT.test(c)) n += 1;
  return n;
}

/** A phone number ends where the number ends: not inside a longer token (`…5678-9`, `…5678.1`, `…5678abc`). */
function endsCleanly(input: string, end: number): boolean {
  const next = input[end] ?? '';
  const after = input[end + 1] ?? '';
  if (WORD_CHAR.test(next)) return false;
  if (/[-‐‑‒–−－.．]/.test(next) && DIGIT.test(after)) return false;
  return true;
}

function phoneRule(name: string, pattern: RegExp, digits: (n: number) => boolean): Rule {
  return regexRule(
    name,
    pattern,
    (match, report) => {
      if (!digits(digitCount(match[0])) || !endsCleanly(match.input!, match.index + match[0].length)) return match[0];
      report('phone');
      return placeholder('phone');
    },
    DIGIT,
  );
}

/**
 * Where a run of digit groups stops being one phone number: the longest prefix,
 * ending at a group, whose digit count fits: +1 → 11, +81 → 11 or 12, other
 * `+` numbers → 8 to 15 (E.164), Japanese `0…` → 10 or 11, else 10 (North
 * America, 11 with a leading 1). Groups separated by spaces may run into the
 * next number (「+81-3-1234-5678 2023年」「TEL 03 1234 5678 090 …」).
 */
function phoneCut(run: string): number | undefined {
  const digits = toAsciiDigits(run);
  const plus = /^[+＋]/.test(run);
  const ends = [...run.matchAll(/[0-9０-９]+[)）]?/g)].map((group) => group.index! + group[0].length);
  for (let n = ends.length; n >= 1; n -= 1) {
    const end = ends[n - 1]!;
    const count = digitCount(run.slice(0, end));
    const fits = plus
      ? digits.startsWith('1')
        ? count === 11
        : digits.startsWith('81')
          ? count === 11 || count === 12
          : count >= 8 && count <= 15
      : digits.startsWith('0')
        ? count === 10 || count === 11
        : count === (digits.startsWith('1') ? 11 : 10);
    if (fits) return end;
  }
  return undefined;
}

function maskPhoneRun(whole: string, run: string, input: string, runEnd: number, report: Report): string {
  const cut = phoneCut(run);
  if (cut === undefined || (cut === run.length && !endsCleanly(input, runEnd))) return whole;
  report('phone');
  return whole.slice(0, whole.length - run.length) + placeholder('phone') + run.slice(cut);
}

/** +81-90-1234-5678, +1 (425) 555-0100, +44 20 7946 0958. */
const internationalPhone: Rule = regexRule(
  'phone-international',
  new RegExp(
    `(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ_+＋])[+＋]${D}{1,3}(?:[ \\t.\\-‐－−]?[(（]${D}{1,4}[)）]|[ \\t.\\-‐－−]?${D}{1,4}){1,5}`,
    'g',
  ),
  (match, report) => {
    if (DIGIT.test(match.input![match.index + match[0].length] ?? '')) return match[0];
    return maskPhoneRun(match[0], match[0], match.input!, match.index + match[0].length, report);
  },
  /[+＋][0-9０-９]/,
);

/**
 * After a label (TEL, 電話, 携帯, Phone, Mobile, FAX) spaces separate groups too:
 * 「TEL 03 1234 5678」「Phone: 425 555 0100」「携帯 090 1234 5678」.
 */
const labelledPhone: Rule = regexRule(
  'phone-labelled',
  new RegExp(
    '(?:(?<![A-Za-z])(?:tel|phone|mobile|cell|fax)(?![A-Za-z])|電話(?:番号)?|携帯(?:電話)?|直通|代表|ＴＥＬ|ＦＡＸ)' +
      '[ \\t.]*[:：]?[ \\t\u3000]*' +
      // No dots: after "Phone" a dotted run is more likely an address or a version.
      `(?<num>[+＋]?[(（]?${D}{1,5}[)）]?(?:[ \\-‐－−]?[(（]?${D}{1,5}[)）]?){0,5})`,
    'gi',
  ),
  (match, report) => maskPhoneRun(match[0], match.groups.num!, match.input!, match.index + match[0].length, report),
  /tel|phone|mobile|cell|fax|電話|携帯|直通|代表|ＴＥＬ|ＦＡＸ/i,
);

function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9]/g, '');
}

/** Japanese numbers have 10 digits (03-1234-5678, 0120-123-456) or 11 (090-1234-5678, 0800-123-4567). */
const JAPANESE_DIGITS = (n: number) => n === 10 || n === 11;

const japanesePhone = phoneRule('phone-japan', new RegExp(`${WORD_BEFORE}[0０]${D}{1,4}${HYPHEN}${D}{1,4}${HYPHEN}${D}{3,4}`, 'g'), JAPANESE_DIGITS);
const japanesePhoneParens = phoneRule(
  'phone-japan-parens',
  new RegExp(`${WORD_BEFORE}(?:[(（][0０]${D}{1,4}[)）][ \\t]?${D}{1,4}${HYPHEN}?${D}{3,4}|[0０]${D}{1,4}[(（]${D}{1,4}[)）]${D}{3,4})`, 'g'),
  JAPANESE_DIGITS,
);
/** 09012345678 without hyphens: mobile and IP phone prefixes only (050, 070, 080, 090). */
const japaneseMobile = phoneRule('phone-japan-mobile', new RegExp(`${WORD_BEFORE}[0０][5789５７８９][0０]${D}{8}`, 'g'), (n) => n === 11);
/** 425-555-0100, (425) 555-0100, 1-800-555-0199, 425.555.0100. */
const northAmericanPhone = phoneRule(
  'phone-north-america',
  new RegExp(`${WORD_BEFORE}(?:1[-. ])?(?:[(（]${D}{3}[)）][ \\t]?|${D}{3}[-.])${D}{3}[-.]${D}{4}`, 'g'),
  (n) => n === 10 || n === 11,
);

export const RULES: readonly Rule[] = [
  privateKeys,
  bearer,
  basicAuth,
  sharedKeyAuth,
  urlUserInfo,
  connectionStringPassword,
  setting,
  xmlElement,
  flag,
  shortPasswordFlag,
  windowsCommand,
  secureString,
  networkCredential,
  japaneseLabel,
  englishPhrase,
  jwt,
  clientSecret,
  storageKey,
  sasSignature,
  functionCode,
  email,
  labelledPhone,
  internationalPhone,
  japanesePhone,
  japanesePhoneParens,
  japaneseMobile,
  northAmericanPhone,
];
