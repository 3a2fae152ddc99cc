/**
 * Words broken by a line wrap: the last word of one line and the first of the
 * next, as the pattern
 *
 *     /([a-z][a-z0-9]{5,63})[ \t]*(?:\r?\n|>)[ \t>]*([a-z][a-z0-9]{3,63})/g
 *
 * finds them in lower-cased text (`>` for quoted e-mail). That pattern tries a
 * start at every letter of every word and backtracks through each length before
 * it gives up, which made it a tenth of classifying a 4 KB log. This scan looks
 * only at the line breaks and reads the words on either side, with the same
 * results (a test compares the two on random texts): the head is the word that
 * ends at the break, from its first letter within 64 characters of the break;
 * the tail is at most 64 characters from the first letter after the break; a
 * pair's tail is never the next pair's head.
 */

import { isAsciiLetter, isAsciiLetterOrDigit } from './ascii-words';

/** The break between the two words: spaces, a newline or a quoting `>`, then more spaces and `>`. */
const BREAK = /[ \t]*(?:\r?\n|>)[ \t>]*/g;
const HEAD_MIN = 6;
const HEAD_MAX = 64;
const TAIL_MIN = 4;
const TAIL_MAX = 64;

/** Each [head, tail] pair in the order of the text. */
export function wrappedWords(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  // Pairs do not overlap: a head starts after the previous pair's tail.
  let searchFrom = 0;
  for (const found of text.matchAll(BREAK)) {
    const breakStart = found.index;
    const breakEnd = breakStart + found[0].length;
    let runStart = breakStart;
    while (runStart > searchFrom && isAsciiLetterOrDigit(text.charCodeAt(runStart - 1))) runStart -= 1;
    let headStart = -1;
    for (let at = Math.max(runStart, breakStart - HEAD_MAX); at <= breakStart - HEAD_MIN; at += 1) {
      if (isAsciiLetter(text.charCodeAt(at))) {
        headStart = at;
        break;
      }
    }
    if (headStart < 0 || !isAsciiLetter(text.charCodeAt(breakEnd))) continue;
    let tailEnd = breakEnd + 1;
    while (tailEnd < text.length && tailEnd - breakEnd < TAIL_MAX && isAsciiLetterOrDigit(text.charCodeAt(tailEnd))) tailEnd += 1;
    if (tailEnd - breakEnd < TAIL_MIN) continue;
    pairs.push([text.slice(headStart, breakStart), text.slice(breakEnd, tailEnd)]);
    searchFrom = tailEnd;
  }
  return pairs;
}
