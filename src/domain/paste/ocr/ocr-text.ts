/**
 * What the OCR engine gives back, made into text the matcher can take: lines
 * the engine itself doubts are dropped (a photo or a gradient reads as a few
 * "words" of noise, and noise must never turn into a match), blank runs are
 * closed up, and the whole is capped like a message.
 */
import type { Language } from '../../knowledge/schema';

export interface OcrLine {
  text: string;
  /** The engine's confidence in the line, 0..100. */
  confidence: number;
}

/** Below this the engine is guessing: on portal screenshots real lines score 80–95, noise 0–40. */
export const MIN_LINE_CONFIDENCE = 55;
/** The most text kept from one image (a full screen of the portal is about 3 KB). */
export const MAX_OCR_CHARS = 16_000;

/** Kana, or two kanji in a row: a lone kanji is often a misread dash (一) in English text. */
const JAPANESE = /[\u3040-\u30ff]|[\u3400-\u4dbf\u4e00-\u9fff]{2}/;
/** A line needs two letters or digits in a row (of any script) to be worth reading. */
const WORDLIKE = /[\p{L}\p{N}]{2}/u;

export function ocrTextOf(lines: readonly OcrLine[]): string {
  const kept = lines
    .filter((line) => line.confidence >= MIN_LINE_CONFIDENCE)
    .map((line) => line.text.replace(/[^\S\n]+/g, ' ').trim())
    .filter((text) => WORDLIKE.test(text));
  return kept.join('\n').slice(0, MAX_OCR_CHARS);
}

/** Japanese when kana or kanji were read, English when other letters were, else nothing to tell. */
export function languageHintOf(text: string): Language | undefined {
  if (JAPANESE.test(text)) return 'ja';
  return /[A-Za-z]{2}/.test(text) ? 'en' : undefined;
}
