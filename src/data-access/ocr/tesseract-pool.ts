/**
 * Reads text from images with tesseract.js, off the event loop: each engine
 * runs in a worker thread of its own (WebAssembly, no native build). At most
 * `maxWorkers` engines exist; they start on first use (0.4–0.7 s each, with
 * English and Japanese loaded together) and are kept for the next image.
 * Images wait in a bounded queue; beyond it the caller hears `busy` at once.
 * An image that takes longer than `timeoutMs` is given up and its engine,
 * stuck in the middle of the work, is terminated (a new one starts when needed).
 *
 * The composition root owns a pool and closes it when the process stops.
 */
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { ImageReadError, type ImageText } from '../../domain/paste/ocr/read-image-text';
import { languageHintOf, ocrTextOf, type OcrLine } from '../../domain/paste/ocr/ocr-text';
import { PROJECT_ROOT } from '../../project-root';
import { OCR_LANGUAGES, TRAINED_DATA_PATH } from './trained-data';

export interface OcrPoolOptions {
  /** Engines at most, 1 or 2 (each takes about 110 MB of memory, and a core while it reads). */
  maxWorkers: number;
  /** Images that may wait while every engine is busy. */
  maxQueue: number;
  /** Per image, from the moment an engine takes it. */
  timeoutMs: number;
}

/**
 * Engines run at idle priority (tesseract-worker.ts). The server takes maxWorkers from OCR_ENGINES
 * (config.ts: one engine on two cores or fewer, where two slowed the other turns' p99 beyond 10 %).
 */
export const DEFAULT_OCR_POOL: OcrPoolOptions = { maxWorkers: 2, maxQueue: 6, timeoutMs: 15_000 };

interface Job {
  bytes: Uint8Array;
  resolve: (text: ImageText) => void;
  reject: (error: Error) => void;
}

/**
 * The compiled worker script. Under ts-jest this module runs from src/, where
 * there is no .js to start a thread from: the build's copy is used (the tests build first).
 */
function workerScriptPath(): string {
  if (__filename.endsWith('.js')) return join(__dirname, 'tesseract-worker.js');
  return join(PROJECT_ROOT, 'dist', 'src', 'data-access', 'ocr', 'tesseract-worker.js');
}

/** Every path tesseract.js could load from is set: nothing falls back to its CDN defaults. */
function workerOptions(): Parameters<typeof createWorker>[2] {
  return {
    workerPath: workerScriptPath(),
    // In Node the engine is require()d from tesseract.js-core by the worker; named here so no default URL is in play.
    corePath: dirname(require.resolve('tesseract.js-core/package.json')),
    langPath: TRAINED_DATA_PATH,
    cachePath: TRAINED_DATA_PATH,
    cacheMethod: 'none',
    gzip: true,
    logger: () => undefined,
    // Without a handler tesseract.js throws a failed job's error from its message listener (an uncaught exception);
    // the job's own promise is rejected all the same.
    errorHandler: () => undefined,
  };
}

/** The lines with their confidence: all the worker sends back of a page (tesseract-worker.ts cuts the rest). */
function linesOf(page: Awaited<ReturnType<Worker['recognize']>>['data']): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) for (const line of paragraph.lines) lines.push({ text: line.text, confidence: line.confidence });
  }
  return lines;
}

export class TesseractPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  /** Engines started and not yet terminated, to terminate on close. */
  private readonly engines = new Set<Worker>();
  /** Jobs an engine has taken (or is starting for). */
  private running = 0;
  /** Aborted on close: images in the middle of being read are rejected at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: OcrPoolOptions = DEFAULT_OCR_POOL) {
    if (options.maxWorkers < 1 || options.maxWorkers > 2) throw new RangeError('maxWorkers must be 1 or 2');
  }

  /** The port (`ReadImageText`): the text of one PNG or JPEG. Rejects with ImageReadError. */
  readonly read = (bytes: Uint8Array): Promise<ImageText> =>
    new Promise<ImageText>((resolve, reject) => {
      if (this.closing.signal.aborted) return reject(new ImageReadError('failed', 'the OCR pool is closed'));
      const job: Job = { bytes, resolve, reject };
      if (this.running < this.options.maxWorkers) return void this.run(job);
      if (this.queue.length >= this.options.maxQueue) return reject(new ImageReadError('busy', 'every OCR engine is busy and the queue is full'));
      this.queue.push(job);
    });

  /** Engines alive and images waiting, for tests and the benchmark. */
  get stats(): { engines: number; idle: number; running: number; queued: number } {
    return { engines: this.engines.size, idle: this.idle.length, running: this.running, queued: this.queue.length };
  }

  /** Terminates every engine; images waiting or being read are rejected. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const job of this.queue.splice(0)) job.reject(new ImageReadError('failed', 'the OCR pool is closed'));
    const engines = [...this.engines];
    this.engines.clear();
    this.idle.length = 0;
    await Promise.all(engines.map((engine) => engine.terminate().catch(() => undefined)));
  }

  private async run(job: Job): Promise<void> {
    this.running += 1;
    let engine: Worker | undefined;
    try {
      engine = this.idle.pop() ?? (await this.start());
      job.resolve(await this.recognize(engine, job.bytes));
      if (this.engines.has(engine)) this.idle.push(engine);
    } catch (error) {
      // A timed-out or failed engine is not trusted with another image.
      if (engine) this.discard(engine);
      job.reject(error instanceof ImageReadError ? error : new ImageReadError('failed', `OCR failed: ${String(error)}`));
    } finally {
      this.running -= 1;
      const next = this.queue.shift();
      if (next) void this.run(next);
    }
  }

  private async start(): Promise<Worker> {
    const engine = await createWorker([...OCR_LANGUAGES], OEM.LSTM_ONLY, workerOptions());
    if (this.closing.signal.aborted) {
      await engine.terminate();
      throw new ImageReadError('failed', 'the OCR pool is closed');
    }
    this.engines.add(engine);
    return engine;
  }

  private discard(engine: Worker): void {
    if (!this.engines.delete(engine)) return;
    void engine.terminate().catch(() => undefined);
  }

  private async recognize(engine: Worker, bytes: Uint8Array): Promise<ImageText> {
    const started = performance.now();
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    let onClose: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ImageReadError('timeout', `OCR took longer than ${timeoutMs} ms`)), timeoutMs);
      onClose = () => reject(new ImageReadError('failed', 'the OCR pool is closed'));
      this.closing.signal.addEventListener('abort', onClose, { once: true });
    });
    try {
      // A Buffer, never a string: tesseract.js reads a string as a path or a URL to fetch.
      const result = await Promise.race([engine.recognize(Buffer.from(bytes), {}, { text: true, blocks: true }), stop]);
      const text = ocrTextOf(linesOf(result.data));
      return { text, languageHint: languageHintOf(text), ms: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
      if (onClose) this.closing.signal.removeEventListener('abort', onClose);
    }
  }
}
