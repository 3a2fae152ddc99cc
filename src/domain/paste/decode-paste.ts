/**
 * Accepts raw bytes from a user and either returns text worth classifying or
 * says plainly what is wrong with it. Nothing here throws.
 */
export const MAX_PASTE_BYTES = 2 * 1024 * 1024;

export type PasteProblem = 'empty' | 'too-large' | 'invalid-utf8' | 'binary';

export type DecodedPaste = { ok: true; text: string } | { ok: false; problem: PasteProblem; message: string };

const MESSAGES: Record<PasteProblem, (limit: number) => string> = {
  empty: () => 'The paste is empty: paste the error text of the failed backup job.',
  'too-large': (limit) =>
    `The paste is larger than ${Math.round(limit / 1024)} KB: paste the error message or the part of the log around it.`,
  'invalid-utf8': () => 'The paste is not valid UTF-8 text: save it as UTF-8 (or copy it from the portal) and try again.',
  binary: () => 'The paste looks like binary data, not text: paste the error message itself.',
};

export function pasteProblem(problem: PasteProblem, limit = MAX_PASTE_BYTES): DecodedPaste {
  return { ok: false, problem, message: MESSAGES[problem](limit) };
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
