/**
 * `backup-troubleshooter classify`: reads a paste on stdin and says which error it is.
 * `--json` prints one object; `--jsonl` reads `{"id", "text"}` lines and answers each
 * in order. Bad input is answered with a message, never a stack trace.
 */
import { createInterface } from 'node:readline';
import { defaultMatcher } from '../../domain/matching/load-signatures';
import { checkText, decodePaste, MAX_PASTE_BYTES, pasteProblem } from '../../domain/paste/decode-paste';
import { formatForPerson, toJsonAnswer } from './classify-output';
import { readStdin } from './read-stdin';

export type OutputMode = 'person' | 'json' | 'jsonl';

export async function runClassify(mode: OutputMode): Promise<void> {
  if (mode === 'jsonl') return classifyLines();
  const { bytes, truncated } = await readStdin(MAX_PASTE_BYTES);
  const paste = truncated ? pasteProblem('too-large') : decodePaste(bytes);
  if (!paste.ok) {
    if (mode === 'json') process.stdout.write(`${JSON.stringify({ error: { problem: paste.problem, message: paste.message } })}\n`);
    else process.stderr.write(`${paste.message}\n`);
    return;
  }
  const result = defaultMatcher().classify(paste.text);
  if (mode === 'json') {
    process.stdout.write(`${JSON.stringify(toJsonAnswer(result))}\n`);
    return;
  }
  // Loaded only here: the article is checked with zod at load, which --json does not need.
  const { loadLibrary } = await import('../../domain/knowledge/load-articles');
  process.stdout.write(`${formatForPerson(result, loadLibrary())}\n`);
}

type LineId = string | number | null;

/** One answer line for one input line. */
export function answerLine(line: string, lineNumber: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, line: lineNumber, error: { problem: 'invalid-json', message: `line ${lineNumber} is not valid JSON` } });
  }
  const record = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  const rawId = record?.['id'];
  const id: LineId = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const text = record?.['text'];
  if (typeof text !== 'string') {
    return JSON.stringify({ id, line: lineNumber, error: { problem: 'no-text', message: `line ${lineNumber} has no "text" string` } });
  }
  const paste = checkText(text);
  if (!paste.ok) return JSON.stringify({ id, line: lineNumber, error: { problem: paste.problem, message: paste.message } });
  return JSON.stringify({ id, ...toJsonAnswer(defaultMatcher().classify(paste.text)) });
}

async function classifyLines(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  let batch: string[] = [];
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim().length === 0) continue;
    batch.push(answerLine(line, lineNumber));
    if (batch.length >= 256) {
      await write(`${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) await write(`${batch.join('\n')}\n`);
}

function write(chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
