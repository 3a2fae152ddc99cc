/**
 * Time for the dispatcher, injectable so that tests drive it by hand: a clock,
 * timers, and a wait bounded by a deadline that holds even when the work does not
 * listen to its abort signal.
 *
 * Core: plain TypeScript.
 */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Node's timers, unref'd: a pending retry or poll never keeps the process alive. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Runs `work` for at most `ms`: then its signal aborts and the wait ends with
 * `timeout()`, even if the work ignores the signal (a handler that cannot be
 * aborted, such as a proactive message, must not hold an entry past its lease).
 * What the work does after that is ignored.
 */
export function bounded<T>(timers: Timers, ms: number, work: (signal: AbortSignal) => Promise<T>, timeout: () => Error): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => {
      reject(timeout());
      controller.abort();
    }, ms);
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      running = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    running.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
