/**
 * The English side of a normalized (lower-cased) paste, read character by
 * character: a log has hundreds of words, and a regular expression's match
 * object for each of them was a tenth of classifying it.
 */

/** a-z. */
export const isAsciiLetter = (code: number): boolean => code >= 97 && code <= 122;

/** a-z or 0-9: a character of a word or an error code. */
export const isAsciiLetterOrDigit = (code: number): boolean => isAsciiLetter(code) || (code >= 48 && code <= 57);

/** Calls `visit` with each run of a-z and 0-9 in `text`, in order, as [start, end). */
export function forEachAsciiWord(text: string, visit: (start: number, end: number) => void): void {
  const length = text.length;
  for (let start = 0; start < length; start += 1) {
    if (!isAsciiLetterOrDigit(text.charCodeAt(start))) continue;
    let end = start + 1;
    while (end < length && isAsciiLetterOrDigit(text.charCodeAt(end))) end += 1;
    visit(start, end);
    start = end;
  }
}
