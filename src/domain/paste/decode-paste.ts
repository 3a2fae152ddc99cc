/**
 * Accepts raw bytes from a user and either returns text worth classifying or
 * says plainly what is wrong with it. Nothing here throws.
 */
import { BOT_TEXTS } from '../i18n/bot-texts';

export const MAX_PASTE_BYTES = 2 * 1024 * 1024;

export type PasteProblem = 'empty' | 'too-large' | 'invalid-utf8' | 'binary';

export type DecodedPaste = { ok: true; text: string } | { ok: false; problem: PasteProblem; message: string };

export function pasteProblem(problem: PasteProblem, limit = MAX_PASTE_BYTES): DecodedPaste {
  // The English wording the bot uses too (the CLI prints it); the bot words it in the user's language.
  return { ok: false, problem, message: BOT_TEXTS.en.pasteProblem(problem, Math.round(limit / 1024)) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodePaste(bytes: Uint8Array, limit = MAX_PASTE_BYTES): DecodedPaste {
  if (bytes.length > limit) return pasteProblem('too-large', limit);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return pasteProblem('invalid-utf8', limit);
  }
  return checkText(text, limit);
}

/** For text that is already a string (a JSON line, a chat message). */
export function checkText(text: string, limit = MAX_PASTE_BYTES): DecodedPaste {
  if (Buffer.byteLength(text, 'utf8') > limit) return pasteProblem('too-large', limit);
  if (text.trim().length === 0) return pasteProblem('empty', limit);
  if (looksBinary(text)) return pasteProblem('binary', limit);
  return { ok: true, text };
}

function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is counted
  const controls = sample.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return controls / sample.length > 0.1;
}
