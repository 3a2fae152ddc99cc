/**
 * The port through which text is read from a picture (a screenshot of the portal).
 * The matcher never knows where its text came from: the bot and the command
 * read the image here, then classify the text like any paste.
 */
import type { Language } from '../../knowledge/schema';

export interface ImageText {
  /** What was read, line by line; empty when the image holds no readable text. */
  text: string;
  /** The language the text is written in, when there is text to tell. */
  languageHint: Language | undefined;
  /** How long the reading took (queue excluded). */
  ms: number;
}

export type ReadImageText = (bytes: Uint8Array) => Promise<ImageText>;

/** Why an image was not read. Each has its own answer for the user. */
export type ImageProblem =
  /** Every reader is busy and the queue is full: send it again in a moment. */
  | 'busy'
  /** The reading took longer than allowed. */
  | 'timeout'
  /** Not a PNG or JPEG, or broken. */
  | 'unsupported'
  /** Larger than the bot reads (bytes or pixels). */
  | 'too-large'
  /** The reader failed for a reason of its own. */
  | 'failed';

export class ImageReadError extends Error {
  constructor(
    readonly problem: ImageProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ImageReadError';
  }
}
