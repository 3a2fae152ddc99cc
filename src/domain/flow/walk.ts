/**
 * The walk through one error's causes: which causes apply for the guest OS, in
 * the article's order, which one is being tried, and what the user answered.
 * Plain immutable data, so it can sit in conversation state and be tested alone.
 */
import type { Knowledge } from '../knowledge/load-articles';
import type { CauseId, ErrorId } from '../knowledge/schema';
import type { GuestOsChoice } from './card-action';

export type CauseAnswer = 'fixed' | 'still-failing';

export interface TriedCause {
  causeId: CauseId;
  answer: CauseAnswer;
  at: string;
}

export interface Walk {
  category: ErrorId;
  os: GuestOsChoice;
  /** The causes to show, in the article's order, without those for the other OS. */
  causes: CauseId[];
  /** Index into `causes` of the cause on screen. */
  position: number;
  tried: TriedCause[];
  /** Set once the user said a cause fixed it. */
  fixedBy?: CauseId;
}

export type WalkState = 'in-progress' | 'fixed' | 'exhausted';

/**
 * The causes of an error for a guest OS, in the article's order. A cause written
 * for Windows VMs is skipped on Linux and the other way round; "not sure" keeps all.
 */
export function applicableCauses(knowledge: Knowledge, category: ErrorId, os: GuestOsChoice): CauseId[] {
  return knowledge.error(category).causes.filter((causeId) => {
    const appliesTo = knowledge.cause(causeId).appliesTo;
    return os === 'unknown' || appliesTo === 'any' || appliesTo === os;
  });
}

export function startWalk(knowledge: Knowledge, category: ErrorId, os: GuestOsChoice): Walk {
  return { category, os, causes: applicableCauses(knowledge, category, os), position: 0, tried: [] };
}

export function currentCause(walk: Walk): CauseId | undefined {
  return walk.fixedBy ? undefined : walk.causes[walk.position];
}

export function walkState(walk: Walk): WalkState {
  if (walk.fixedBy) return 'fixed';
  return walk.position >= walk.causes.length ? 'exhausted' : 'in-progress';
}

/** Records the user's answer for the cause on screen and moves on. */
export function answerCause(walk: Walk, answer: CauseAnswer, now: Date = new Date()): Walk {
  const causeId = currentCause(walk);
  if (!causeId) return walk;
  const tried = [...walk.tried, { causeId, answer, at: now.toISOString() }];
  return answer === 'fixed' ? { ...walk, tried, fixedBy: causeId } : { ...walk, tried, position: walk.position + 1 };
}
