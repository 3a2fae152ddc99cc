/**
 * The text a user typed, as plain text. Teams may deliver a message as HTML
 * (`<p>…</p>`, `<br>`, entities) when the user formatted it or pasted from a
 * web page; the matcher and the reply reader want the words.
 */
const HTML_MESSAGE = /^\s*<(?:p|div|span|at|br|b|strong|i|em|ul|ol|pre|code|blockquote)\b[^>]*>/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

export function looksLikeHtml(text: string): boolean {
  return HTML_MESSAGE.test(text);
}

export function plainMessageText(text: string): string {
  if (!looksLikeHtml(text)) return text;
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|div|li|pre|blockquote)>/gi, '\n')
    .replace(/<[^<>]{1,200}>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/&#(\d{1,6});/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Teams refuses or cuts messages above about 28 KB; near that size a paste was probably cut. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

export function probablyCutByTeams(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') >= TEAMS_MESSAGE_LIMIT_BYTES * 0.9;
}
