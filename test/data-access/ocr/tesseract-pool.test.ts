/**
 * The OCR pool's promises: engines start on first use and are reused, at most
 * the configured number exist, a full queue says `busy` at once, an image over
 * the time limit fails with `timeout` and its engine is terminated, the reading
 * happens off the event loop on a thread of idle priority, and nothing
 * but the two shipped trained-data files is ever read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { TesseractPool } from '../../../src/data-access/ocr/tesseract-pool';
import { TRAINED_DATA_PATH, trainedDataFile } from '../../../src/data-access/ocr/trained-data';
import { ImageReadError } from '../../../src/domain/paste/ocr/read-image-text';
import { browserTestsEnabled } from '../../support/webchat-browser';
import { PortalCamera, portalPage, TEST_SHOTS } from '../../support/portal-screenshots';

/** Nice value and scheduling policy of each of this process's threads (Linux /proc), to find the engines' threads. */
function threadSchedules(): { nice: number; policy: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}
const SCHED_IDLE = 5;

/** The longest gap between timer ticks that should come every 10 ms, while `work` runs. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('The shipped trained data', () => {
  test('When the engine asks for eng or jpn, Then the npm packages\' files are read; any other path is refused', () => {
    expect(trainedDataFile(`${TRAINED_DATA_PATH}/eng.traineddata.gz`)).toMatch(/@tesseract\.js-data[\\/]eng[\\/]4\.0\.0_best_int[\\/]eng\.traineddata\.gz$/);
    expect(trainedDataFile(`${TRAINED_DATA_PATH}/jpn.traineddata.gz`)).toMatch(/@tesseract\.js-data[\\/]jpn[\\/]4\.0\.0_best_int[\\/]jpn\.traineddata\.gz$/);
    expect(trainedDataFile(`${TRAINED_DATA_PATH}/../../etc/passwd`)).toBeUndefined();
    expect(trainedDataFile('https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz')).toBeUndefined();
  });
});

const describeWithBrowser = browserTestsEnabled().run ? describe : describe.skip;

describeWithBrowser('The tesseract.js pool', () => {
  let pane: Buffer;

  beforeAll(async () => {
    const camera = await PortalCamera.open(TEST_SHOTS);
    try {
      const html = portalPage({ language: 'en', code: 'BackUpOperationFailedV2', message: 'Backup failed with an internal error', action: 'Retry the operation in a few minutes.' }, false);
      pane = await camera.shoot('pool-pane', html, { chrome: false, scale: 1, format: 'png' });
    } finally {
      await camera.close();
    }
  }, 60_000);

  test('When images come one after another, Then one engine is started on first use and reused, and the event loop never stalls', async () => {
    const pool = new TesseractPool({ maxWorkers: 2, maxQueue: 2, timeoutMs: 15_000 });
    try {
      expect(pool.stats.engines).toBe(0);
      const stall = await longestStall(async () => {
        for (let i = 0; i < 3; i++) expect((await pool.read(pane)).text).toContain('BackUpOperationFailedV2');
      });
      expect(pool.stats).toEqual({ engines: 1, idle: 1, running: 0, queued: 0 });
      // Starting an engine and reading happen in worker threads; the main thread only posts the bytes.
      expect(stall).toBeLessThan(150);
      if (process.platform === 'linux') {
        // The engine's thread alone (threads it might start would inherit it; none of the process's own pools may).
        const lowered = threadSchedules().filter((thread) => thread.nice === 19);
        expect(lowered).toHaveLength(1);
        if (existsSync('/usr/bin/chrt')) expect(lowered[0]!.policy).toBe(SCHED_IDLE);
      }
    } finally {
      await pool.close();
    }
  });

  test('When the only engine is busy and the queue is full, Then the next image hears busy at once, and the waiting one is read', async () => {
    const pool = new TesseractPool({ maxWorkers: 1, maxQueue: 1, timeoutMs: 15_000 });
    try {
      const first = pool.read(pane);
      const second = pool.read(pane);
      await expect(pool.read(pane)).rejects.toMatchObject({ problem: 'busy' });
      expect((await first).text).toContain('internal error');
      expect((await second).text).toContain('internal error');
      expect(pool.stats.engines).toBe(1);
    } finally {
      await pool.close();
    }
  });

  test('When an image takes longer than the limit, Then it fails with timeout and its engine is terminated', async () => {
    const pool = new TesseractPool({ maxWorkers: 1, maxQueue: 0, timeoutMs: 1 });
    try {
      const failure = await pool.read(pane).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ImageReadError);
      expect(failure).toMatchObject({ problem: 'timeout' });
      expect(pool.stats).toEqual({ engines: 0, idle: 0, running: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });

  test('When the pool is closed, Then reading is refused', async () => {
    const pool = new TesseractPool();
    await pool.close();
    await expect(pool.read(pane)).rejects.toMatchObject({ problem: 'failed' });
  });
});
