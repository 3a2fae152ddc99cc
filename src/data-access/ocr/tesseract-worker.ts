/**
 * The script each OCR worker thread runs (tesseract.js `workerPath`): the
 * library's own Node worker, with an adapter that cannot reach the network.
 *
 * - `fetch` refuses: nothing is downloaded at run time, whatever the options say.
 * - `readCache` serves only the two trained-data files shipped as npm packages
 *   (trained-data.ts); the cache proper is off (`cacheMethod: 'none'`), so
 *   nothing is written next to the process either.
 * - The thread lowers its own scheduling priority (Linux: a nice value per
 *   thread): reading an image takes a core for up to a second, and the bot's
 *   turns on the main thread must not wait for it.
 */
import { readFile } from 'node:fs/promises';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { dispatchHandlers, setAdapter } from 'tesseract.js/src/worker-script';
import getCore from 'tesseract.js/src/worker-script/node/getCore';
import gunzip from 'tesseract.js/src/worker-script/node/gunzip';
import { trainedDataFile } from './trained-data';

/** The lowest priority there is: the worker runs whenever the main thread does not need the core. */
const OCR_THREAD_NICE = 19;

function lowerThreadPriority(): void {
  try {
    // /proc/thread-self → "<pid>/task/<tid>"; setpriority on a tid affects that thread alone on Linux.
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, OCR_THREAD_NICE);
  } catch {
    // Not Linux, or not allowed: the OCR still works, only without the lower priority.
  }
}

lowerThreadPriority();

setAdapter({
  getCore,
  gunzip,
  fetch: async (url) => {
    throw new Error(`OCR worker: no downloads (asked for ${url})`);
  },
  readCache: async (path) => {
    const file = trainedDataFile(path);
    if (!file) throw new Error(`OCR worker: ${path} is not shipped trained data`);
    return readFile(file);
  },
  writeCache: async () => undefined,
  deleteCache: async () => undefined,
  checkCache: async () => false,
});

parentPort?.on('message', (packet: unknown) => dispatchHandlers(packet, (message) => parentPort?.postMessage(message)));
