/**
 * The walk through one error's causes: which causes apply for the guest OS, in
 * the article's order, which one is being tried, and what the user answered.
 * After the article's last cause come the current article's extra checks for the
 * error and guest OS (issue 12): same answers, ids of their own (`current-…`).
 * Plain immutable data, so it can sit in conversation state and be tested alone.
 */
import type { Knowledge } from '../knowledge/load-articles';
import { defaultCurrentLibrary, type CurrentKnowledge } from '../knowledge/load-current';
import type { CheckId } from '../knowledge/current-schema';
import type { CauseId, ErrorId } from '../knowledge/schema';
import type { GuestOsChoice } from './card-action';

export type CauseAnswer = 'fixed' | 'still-failing';

/** A cause of the 2017 article, or an extra check of the current article. */
export type WalkStepId = CauseId | CheckId;

export interface TriedCause {
  causeId: WalkStepId;
  answer: CauseAnswer;
  at: string;
}

export interface Walk {
  category: ErrorId;
  os: GuestOsChoice;
  /** The causes to show, in the article's order, without those for the other OS. */
  causes: CauseId[];
  /**
   * The current article's extra checks, shown after the last cause, in its order.
   * Optional: a walk kept in state from before issue 12 has none.
   */
  checks?: CheckId[];
  /** Index into the causes, then the checks, of the step on screen. */
  position: number;
  tried: TriedCause[];
  /** Set once the user said a cause (or a check) fixed it. */
  fixedBy?: WalkStepId;
}

export type WalkState = 'in-progress' | 'fixed' | 'exhausted';

const CHECK_PREFIX = 'current-';

/** The current article's checks have ids of their own, so outcomes and insights can keep them apart. */
export function isExtraCheck(id: string): id is CheckId {
  return id.startsWith(CHECK_PREFIX);
}

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

/** The current article's extra checks for an error and a guest OS, in its order, filtered by OS like the causes. */
export function applicableChecks(current: CurrentKnowledge, category: ErrorId, os: GuestOsChoice): CheckId[] {
  return current
    .checksFor(category)
    .filter((check) => os === 'unknown' || check.appliesTo === 'any' || check.appliesTo === os)
    .map((check) => check.id);
}

export function startWalk(knowledge: Knowledge, category: ErrorId, os: GuestOsChoice, current: CurrentKnowledge = defaultCurrentLibrary()[knowledge.language]): Walk {
  return { category, os, causes: applicableCauses(knowledge, category, os), checks: applicableChecks(current, category, os), position: 0, tried: [] };
}

/** Every step of the walk in order: the article's causes, then the extra checks. */
export function walkSteps(walk: Walk): WalkStepId[] {
  return [...walk.causes, ...(walk.checks ?? [])];
}

/** The cause or check on screen. */
export function currentCause(walk: Walk): WalkStepId | undefined {
  return walk.fixedBy ? undefined : walkSteps(walk)[walk.position];
}

/** True once the article's causes are done and the walk is in the current article's extra checks. */
export function inExtraChecks(walk: Walk): boolean {
  return walk.position >= walk.causes.length;
}

export function walkState(walk: Walk): WalkState {
  if (walk.fixedBy) return 'fixed';
  return walk.position >= walkSteps(walk).length ? 'exhausted' : 'in-progress';
}

/** Records the user's answer for the cause on screen and moves on. */
export function answerCause(walk: Walk, answer: CauseAnswer, now: Date = new Date()): Walk {
  const causeId = currentCause(walk);
  if (!causeId) return walk;
  const tried = [...walk.tried, { causeId, answer, at: now.toISOString() }];
  return answer === 'fixed' ? { ...walk, tried, fixedBy: causeId } : { ...walk, tried, position: walk.position + 1 };
}
