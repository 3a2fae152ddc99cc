/**
 * Turns whatever was pasted into one comparable string: the same characters at
 * the same offsets for every later step (terms, codes, hints).
 *
 * - Full-width letters, digits and spaces become ASCII and half-width katakana
 *   becomes full-width (Unicode NFKC, which covers what natural's normalizeJa
 *   does for this purpose at a tenth of its cost: normalizeJa rebuilds its
 *   translation tables on every call).
 * - JSON string escapes (`\"`, `\n`, `\u30a8`) are decoded, so an error string
 *   inside `az backup job show` output reads like the portal text.
 * - HTML tags (Teams, web forms) and zero-width characters are dropped.
 * - Spaces between two Japanese characters are dropped: OCR of a screenshot
 *   (tesseract's Japanese model) puts one between almost every pair of
 *   characters, and written Japanese has none, so nothing a person wrote is lost.
 * - Everything is lower-cased; matching never depends on case.
 */
const JSON_UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/g;
const JSON_SIMPLE_ESCAPE = /\\([nrt"\\/])/g;
const HTML_TAG = /<\/?[a-zA-Z][^<>]{0,200}>/g;
const HTML_ENTITY = /&(amp|lt|gt|quot|nbsp|#39);/g;
const INVISIBLE = /[\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad]/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', '#39': "'" };
/** Japanese punctuation, kana (with ー and ・) and kanji, as they are after NFKC. */
const HAS_JAPANESE = /[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const SPACE_BETWEEN_JAPANESE =
  /(?<=[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[^\S\r\n]+(?=[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/g;

export function normalizePaste(raw: string): string {
  let text = raw.replace(INVISIBLE, '');
  if (text.includes('\\')) {
    text = text
      .replace(JSON_UNICODE_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(JSON_SIMPLE_ESCAPE, (_, ch: string) => (ch === 'n' || ch === 'r' || ch === 't' ? ' ' : ch));
  }
  if (text.includes('<')) text = text.replace(HTML_TAG, ' ');
  if (text.includes('&')) text = text.replace(HTML_ENTITY, (_, name: string) => ENTITIES[name] ?? ' ');
  text = text.normalize('NFKC');
  if (HAS_JAPANESE.test(text)) text = text.replace(SPACE_BETWEEN_JAPANESE, '');
  return text.toLowerCase();
}
