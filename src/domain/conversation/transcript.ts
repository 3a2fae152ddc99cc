/**
 * The conversation as the helpdesk will read it: who said what, when. Kept
 * short on purpose (it lives in conversation state): the last lines, each cut.
 */
import type { TranscriptLine } from '../handoff/handoff-case';

export const TRANSCRIPT_MAX_LINES = 40;
export const TRANSCRIPT_MAX_CHARS = 500;

export function appendTranscript(lines: TranscriptLine[] | undefined, line: TranscriptLine): TranscriptLine[] {
  const text = line.text.length > TRANSCRIPT_MAX_CHARS ? `${line.text.slice(0, TRANSCRIPT_MAX_CHARS)}…` : line.text;
  const next = [...(lines ?? []), { ...line, text }];
  return next.length > TRANSCRIPT_MAX_LINES ? next.slice(next.length - TRANSCRIPT_MAX_LINES) : next;
}
