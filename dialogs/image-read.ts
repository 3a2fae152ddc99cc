/**
 * A turn whose text was (partly) read from pictures carries this mark in turn
 * state, so the recognised card can say where its evidence came from. The
 * mark lives for the turn only: nothing about the picture is kept.
 */
import type { TurnContext } from 'botbuilder';

export interface ImageRead {
  /** The user also typed text: the paste is that text followed by what was read. */
  typed: boolean;
}

const IMAGE_READ = Symbol('image-read');

export function markImageRead(context: TurnContext, read: ImageRead): void {
  context.turnState.set(IMAGE_READ, read);
}

export function imageReadOf(context: TurnContext): ImageRead | undefined {
  return context.turnState.get<ImageRead | undefined>(IMAGE_READ);
}
