/**
 * `backup-troubleshooter classify --image FILE [--json]`: reads the text of a
 * screenshot (PNG or JPEG) with the same OCR as the bot, then answers exactly
 * as `classify` does for that text; `--json` adds the read text as `ocrText`.
 * A picture that cannot be read gets a one-line message (exit code 0), as bad
 * pastes do.
 */
import { readFile } from 'node:fs/promises';
import { loadLibrary } from '../../domain/knowledge/load-articles';
import { defaultMatcher } from '../../domain/matching/load-signatures';
import { checkImage, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS } from '../../domain/paste/ocr/image-format';
import { ImageReadError, type ImageProblem } from '../../domain/paste/ocr/read-image-text';
import { TesseractPool } from '../../data-access/ocr/tesseract-pool';
import { formatForPerson, toJsonAnswer } from './classify-output';

type ImageFailure = ImageProblem | 'no-text';

const MESSAGES: Record<ImageFailure, string> = {
  unsupported: 'The file is not a PNG or JPEG picture (or it is damaged).',
  'too-large': `The picture is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB or ${MAX_IMAGE_PIXELS / 1_000_000} megapixels: crop it to the error details.`,
  'no-text': 'No text could be read from the picture.',
  timeout: 'Reading the picture took too long: crop it to the error details.',
  busy: 'The OCR engine is busy.',
  failed: 'The picture could not be read.',
};

/** The file's bytes, or a usage problem (the path cannot be read). */
export async function readImageFile(path: string): Promise<Uint8Array | string> {
  try {
    return await readFile(path);
  } catch (error) {
    return `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

function fail(problem: ImageFailure, json: boolean, ocrText?: string): void {
  if (json) process.stdout.write(`${JSON.stringify({ error: { problem, message: MESSAGES[problem] }, ...(ocrText !== undefined ? { ocrText } : {}) })}\n`);
  else process.stderr.write(`${MESSAGES[problem]}\n`);
}

export async function runClassifyImage(bytes: Uint8Array, mode: 'person' | 'json'): Promise<void> {
  const json = mode === 'json';
  const checked = checkImage(bytes);
  if (!checked.ok) return fail(checked.problem, json);
  // One engine: the command reads one picture.
  const pool = new TesseractPool({ maxWorkers: 1, maxQueue: 0, timeoutMs: 15_000 });
  try {
    const { text, ms } = await pool.read(bytes);
    if (text.trim() === '') return fail('no-text', json, text);
    const result = defaultMatcher().classify(text);
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...toJsonAnswer(result), ocrText: text })}\n`);
    } else {
      const read = text.split('\n').map((line) => `  ${line}`).join('\n');
      process.stdout.write(`Read from the image (${ms} ms):\n${read}\n\n${formatForPerson(result, loadLibrary())}\n`);
    }
  } catch (error) {
    fail(error instanceof ImageReadError ? error.problem : 'failed', json);
  } finally {
    await pool.close();
  }
}
