/**
 * The options of the web chat page, from its query string
 * (`/?locale=ja-JP&botName=…&accent=%230063B1&avatar=…`). Every value is checked
 * against a strict shape and dropped if it does not fit: a locale Web Chat and
 * the bot both speak, a name of plain text, CSS colours of a known syntax, an
 * avatar on https or this server. public/embed.js applies the same rules in
 * the browser; these are the ones that count.
 */

export type PageLocale = 'ja-JP' | 'en-US';

export const COLOR_OPTIONS = ['accent', 'background', 'botBubble', 'botText', 'userBubble', 'userText'] as const;
export type ColorOption = (typeof COLOR_OPTIONS)[number];

export interface PageOptions {
  locale: PageLocale;
  /** Undefined: the page's own name in the page's language. */
  botName?: string;
  /** An https URL, or a path on this server. */
  avatar?: string;
  colors: Partial<Record<ColorOption, string>>;
}

export interface ParsedPageOptions {
  options: PageOptions;
  /** Names of the options that were given but did not pass (they are left out). */
  rejected: string[];
}

export const MAX_BOT_NAME_LENGTH = 40;
const MAX_AVATAR_LENGTH = 2048;

/** `ja`, `ja-JP`, `JA_jp`… → ja-JP; `en`, `en-GB`… → en-US (the bot speaks these two). */
export function pageLocale(value: unknown): PageLocale | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})*$/.test(value)) return undefined;
  const language = value.slice(0, 2).toLowerCase();
  return language === 'ja' ? 'ja-JP' : language === 'en' ? 'en-US' : undefined;
}

/** The first of Japanese or English in an Accept-Language header, by preference. */
export function localeFromAcceptLanguage(header: string | undefined): PageLocale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((found) => found !== undefined);
      return { locale: pageLocale(tag.trim()), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.locale !== undefined && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale;
}

/** Plain text of 1 to 40 characters: no control or formatting characters (bidi overrides included), spaces collapsed. */
export function botName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 400) return undefined;
  const cleaned = value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const length = [...cleaned].length;
  return length >= 1 && length <= MAX_BOT_NAME_LENGTH ? cleaned : undefined;
}

const NUMBER = String.raw`\d{1,3}(?:\.\d+)?%?`;
const ALPHA = String.raw`(?:0|1|0?\.\d+|\d{1,3}(?:\.\d+)?%)`;
const HUE = String.raw`\d{1,3}(?:\.\d+)?(?:deg)?`;
const COLOR_FUNCTIONS = [
  new RegExp(String.raw`^rgba?\(\s*${NUMBER}\s*,\s*${NUMBER}\s*,\s*${NUMBER}\s*(?:,\s*${ALPHA}\s*)?\)$`, 'i'),
  new RegExp(String.raw`^rgba?\(\s*${NUMBER}\s+${NUMBER}\s+${NUMBER}\s*(?:\/\s*${ALPHA}\s*)?\)$`, 'i'),
  new RegExp(String.raw`^hsla?\(\s*${HUE}\s*,\s*${NUMBER}\s*,\s*${NUMBER}\s*(?:,\s*${ALPHA}\s*)?\)$`, 'i'),
  new RegExp(String.raw`^hsla?\(\s*${HUE}\s+${NUMBER}\s+${NUMBER}\s*(?:\/\s*${ALPHA}\s*)?\)$`, 'i'),
];
const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** The named colours of CSS Color Level 4, and transparent. */
export const NAMED_COLORS = new Set(
  (
    'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue ' +
    'chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey ' +
    'darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray ' +
    'darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen ' +
    'fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki ' +
    'lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen ' +
    'lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime ' +
    'limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue ' +
    'mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive ' +
    'olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum ' +
    'powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
    'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke ' +
    'yellow yellowgreen transparent'
  ).split(' '),
);

/** A CSS colour: #rgb/#rgba/#rrggbb/#rrggbbaa, rgb()/rgba()/hsl()/hsla() with numbers, or a named colour. */
export function cssColor(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const trimmed = value.trim();
  if (HEX_COLOR.test(trimmed) || COLOR_FUNCTIONS.some((pattern) => pattern.test(trimmed))) return trimmed;
  const lower = trimmed.toLowerCase();
  return NAMED_COLORS.has(lower) ? lower : undefined;
}

/** An https URL (no credentials), or a path on this server (`/…`, not `//…`); normalised, or undefined. */
export function avatarUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_AVATAR_LENGTH) return undefined;
  if (/[\s\\]/.test(value)) return undefined;
  try {
    if (value.startsWith('/')) {
      if (value.startsWith('//')) return undefined;
      const base = 'http://same-origin.invalid';
      const url = new URL(value, base);
      return url.origin === base ? `${url.pathname}${url.search}` : undefined;
    }
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hostname !== '' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Initials for Web Chat's bot avatar: the first letters of the first two words. */
export function initialsOf(name: string): string {
  const words = name.split(' ').filter((word) => word !== '');
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toUpperCase().slice(0, 4) || '?';
}

/** Query keys are matched without regard to case or separators (`bot-name`, `bot_name`, `botName`). */
function key(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function parsePageOptions(query: URLSearchParams, acceptLanguage?: string): ParsedPageOptions {
  const given = new Map<string, string>();
  for (const [name, value] of query) if (!given.has(key(name))) given.set(key(name), value);
  const rejected: string[] = [];
  const take = <T>(name: string, check: (value: unknown) => T | undefined): T | undefined => {
    const value = given.get(key(name));
    if (value === undefined) return undefined;
    const checked = check(value);
    if (checked === undefined) rejected.push(name);
    return checked;
  };

  const locale = take('locale', pageLocale) ?? localeFromAcceptLanguage(acceptLanguage) ?? 'en-US';
  const name = take('botName', botName);
  const avatar = take('avatar', avatarUrl);
  const colors: Partial<Record<ColorOption, string>> = {};
  for (const option of COLOR_OPTIONS) {
    const color = take(option, cssColor);
    if (color !== undefined) colors[option] = color;
  }
  return {
    options: { locale, ...(name !== undefined ? { botName: name } : {}), ...(avatar !== undefined ? { avatar } : {}), colors },
    rejected,
  };
}
