/**
 * Structured logs: one JSON object per line on stderr, easy to ship and to grep.
 *
 * Every line is `{"time", "level", "event", ...fields}`. Fields never carry what
 * a user typed or clicked (activity text, card values, pastes, notes): a turn is
 * logged by its reference, channel, type, a hash of its conversation id, its
 * duration and status (src/bot/turn-logging.ts). Errors are logged through
 * `describeError`, which masks secrets in the message and keeps it short,
 * because some messages quote their input (V8's JSON.parse errors do).
 */
import { types } from 'node:util';
import { redactText } from './domain/handoff/redact';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/** A logger that writes one JSON line per event to `write` (default: stderr). */
export function createJsonLogger(write: (line: string) => void = (line) => void process.stderr.write(line)): Logger {
  return {
    log(level, event, fields = {}) {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
    },
  };
}

export const jsonLogger: Logger = createJsonLogger();

export const silentLogger: Logger = { log() {} };

/** Longest error message kept in a log line (after masking). */
export const MAX_LOGGED_MESSAGE = 300;
/** Stack frames kept in a log line. */
export const MAX_LOGGED_FRAMES = 12;

export type ErrorFields = {
  /** The error's class (`Error`, `TypeError`, `ETagConflictError`…). */
  errorClass: string;
  /** Its message with secrets masked, cut to MAX_LOGGED_MESSAGE characters. */
  error: string;
  /** Its stack frames only (`at …` lines): the first line of a stack repeats the message. */
  stack?: string;
};

interface ErrorLike {
  name: string;
  message: string;
  stack?: string;
}

/** An Error, also one made in another realm (native modules, vm contexts) where `instanceof Error` is false. */
function asError(value: unknown): ErrorLike | undefined {
  if (value instanceof Error || types.isNativeError(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, message, stack } = value as Partial<Record<keyof ErrorLike, unknown>>;
  if (typeof message !== 'string') return undefined;
  return { name: typeof name === 'string' ? name : 'Error', message, ...(typeof stack === 'string' ? { stack } : {}) };
}

/** The class of what was thrown: `TypeError`, `ETagConflictError`…, or its type if it is not an error. */
export function errorClassOf(error: unknown): string {
  return asError(error)?.name ?? typeof error;
}

/** What may be logged of an error: its class, its masked and shortened message, its frames. */
export function describeError(thrown: unknown): ErrorFields {
  const error = asError(thrown);
  if (!error) return { errorClass: typeof thrown, error: masked(String(thrown)) };
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_LOGGED_FRAMES)
    .map((line) => line.trim());
  return {
    errorClass: error.name,
    error: masked(error.message),
    ...(frames.length > 0 ? { stack: frames.join('\n') } : {}),
  };
}

/** Masks secrets over a bounded prefix (a whole secret near the cut is still seen), then cuts to one short line. */
function masked(message: string): string {
  const oneLine = redactText(message.slice(0, 20 * MAX_LOGGED_MESSAGE)).text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_LOGGED_MESSAGE ? oneLine : `${oneLine.slice(0, MAX_LOGGED_MESSAGE)}… (cut)`;
}
