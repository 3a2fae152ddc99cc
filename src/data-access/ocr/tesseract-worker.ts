/**
 * The script each OCR worker thread runs (tesseract.js `workerPath`): the
 * library's own Node worker, with an adapter that cannot reach the network.
 *
 * - `fetch` refuses: nothing is downloaded at run time, whatever the options say.
 * - `readCache` serves only the two trained-data files shipped as npm packages
 *   (trained-data.ts); the cache proper is off (`cacheMethod: 'none'`), so
 *   nothing is written next to the process either.
 * - The thread gives up its claim on the CPU (Linux): reading an image takes
 *   a core for up to a second, and the bot's turns must not wait for it. It
 *   asks for SCHED_IDLE (it runs only when no normal thread wants the core,
 *   and any waking turn preempts it at once), else the lowest nice value.
 *   Node has no call for a scheduling policy, so util-linux's `chrt` sets it.
 *   Measured with `npm run bench -- --ocr` on 2 cores: with nice 19 alone,
 *   other conversations' p99 grew about 1.6 times while pictures were read;
 *   with SCHED_IDLE it stayed within the run-to-run noise.
 * - What goes back to the main thread is cut to what the pool reads: progress
 *   reports (a hundred per image) are not sent, and a result keeps its lines'
 *   text and confidence but not the words, symbols and boxes under them, which
 *   the main thread would otherwise spend milliseconds copying in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { dispatchHandlers, setAdapter } from 'tesseract.js/src/worker-script';
import getCore from 'tesseract.js/src/worker-script/node/getCore';
import gunzip from 'tesseract.js/src/worker-script/node/gunzip';
import { trainedDataFile } from './trained-data';

/** The lowest nice value: the fallback where SCHED_IDLE cannot be had. */
const OCR_THREAD_NICE = 19;

function lowerThreadPriority(): void {
  let threadId: number;
  try {
    // /proc/thread-self → "<pid>/task/<tid>"; on Linux both calls below take a thread id and affect that thread alone.
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return;
    setPriority(threadId, OCR_THREAD_NICE);
  } catch {
    // Not Linux, or not allowed: the OCR still works, only without the lower priority.
    return;
  }
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(threadId)], { stdio: 'ignore', timeout: 2_000 });
  } catch {
    // No chrt (util-linux): nice 19 stays.
  }
}

lowerThreadPriority();

setAdapter({
  getCore,
  gunzip,
  fetch: async (url) => {
    throw new Error(`OCR worker: no downloads (asked for ${url})`);
  },
  // Read synchronously on purpose: an async read would start libuv's thread pool from this thread if nothing
  // had yet, and threads inherit their creator's scheduling policy: the whole process's file and DNS work would idle.
  readCache: async (path) => {
    const file = trainedDataFile(path);
    if (!file) throw new Error(`OCR worker: ${path} is not shipped trained data`);
    return readFileSync(file);
  },
  writeCache: async () => undefined,
  deleteCache: async () => undefined,
  checkCache: async () => false,
});

interface Line {
  text: string;
  confidence: number;
}
interface Page {
  text?: string;
  blocks?: { paragraphs: { lines: Line[] }[] }[] | null;
}
interface Reply {
  action?: string;
  status?: string;
  data?: unknown;
}

/** A recognise result as tesseract-pool.ts reads it (the same shape, only the lines). */
function slimPage(page: Page): Page {
  return {
    ...(page.text !== undefined ? { text: page.text } : {}),
    blocks: (page.blocks ?? []).map((block) => ({
      paragraphs: block.paragraphs.map((paragraph) => ({ lines: paragraph.lines.map(({ text, confidence }) => ({ text, confidence })) })),
    })),
  };
}

/** The message to send back, or undefined for none. */
function slimReply(message: unknown): unknown {
  const reply = message as Reply;
  if (reply.status === 'progress') return undefined;
  if (reply.action === 'recognize' && reply.status === 'resolve' && typeof reply.data === 'object' && reply.data !== null) return { ...reply, data: slimPage(reply.data as Page) };
  return message;
}

parentPort?.on('message', (packet: unknown) =>
  dispatchHandlers(packet, (message) => {
    const reply = slimReply(message);
    if (reply !== undefined) parentPort?.postMessage(reply);
  }),
);
