/**
 * One JSON line per turn, at its end, and a reference id that the turn's error
 * line and the user's apology share.
 *
 * The reference is made when the turn starts (the middleware) and kept in the
 * TurnContext's turnState; onTurnError reads it with `turnReference(context)`
 * (which makes one if the turn came through an adapter without this middleware,
 * as in tests and the terminal chat). The `turn` line is written when the turn
 * is over: for a turn that failed, after onTurnError has apologised, so its
 * duration covers the apology too.
 *
 * What is logged: the reference, channel, activity type, a hash of the
 * conversation id, the kind and length of the input, the number of replies, the
 * duration and the status. Never the text, the card values or the user's ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BotAdapter, TurnContext } from 'botbuilder';
import { errorClassOf, type Logger } from '../logger';

const REFERENCE = Symbol('turnReference');
const TURN = Symbol('turnLog');

interface TurnRecord {
  startedAt: number;
  replies: number;
  failure?: unknown;
}

/** A new reference: 8 hexadecimal digits, short enough to read out on the phone to the helpdesk. */
export function newReference(): string {
  return randomUUID().slice(0, 8);
}

/** The turn's reference, made and kept on the context the first time it is asked for. */
export function turnReference(context: TurnContext): string {
  const existing: unknown = context.turnState.get(REFERENCE);
  if (typeof existing === 'string') return existing;
  const reference = newReference();
  context.turnState.set(REFERENCE, reference);
  return reference;
}

/** The conversation id as it appears in logs: the first 12 hex digits of its SHA-256 (Teams ids carry tenant details). */
export function conversationTag(conversationId: string | undefined): string | undefined {
  if (!conversationId) return undefined;
  return createHash('sha256').update(conversationId).digest('hex').slice(0, 12);
}

/** What the user sent, by kind only: a card click (value), typed text, or neither. */
function inputOf(context: TurnContext): { input: 'card' | 'text' | 'none'; inputChars: number } {
  const { text, value } = context.activity;
  const inputChars = typeof text === 'string' ? text.length : 0;
  if (value !== undefined && value !== null) return { input: 'card', inputChars };
  return { input: inputChars > 0 ? 'text' : 'none', inputChars };
}

function writeTurnLine(logger: Logger, context: TurnContext, record: TurnRecord): void {
  const { activity } = context;
  const failed = record.failure !== undefined;
  logger.log(failed ? 'warn' : 'info', 'turn', {
    reference: turnReference(context),
    channel: activity.channelId,
    activityType: activity.type,
    conversation: conversationTag(activity.conversation?.id),
    ...inputOf(context),
    replies: record.replies,
    durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
    status: failed ? 'failed' : 'ok',
    ...(failed ? { errorClass: errorClassOf(record.failure) } : {}),
  });
}

/**
 * Logs every turn of `adapter`: a middleware that gives the turn its reference
 * and writes the `turn` line, and a wrapper around the adapter's onTurnError
 * (set it before calling this) so that a failed turn's line comes after its
 * error has been handled.
 */
export function logTurns(adapter: BotAdapter, logger: Logger): void {
  adapter.use(async (context, next) => {
    const record: TurnRecord = { startedAt: performance.now(), replies: 0 };
    context.turnState.set(TURN, record);
    turnReference(context);
    context.onSendActivities(async (_context, activities, sendNext) => {
      record.replies += activities.length;
      return sendNext();
    });
    try {
      await next();
    } catch (error) {
      // onTurnError runs next (BotAdapter.runMiddleware); the line is written after it.
      record.failure = error;
      throw error;
    }
    writeTurnLine(logger, context, record);
  });

  const handleError = adapter.onTurnError;
  adapter.onTurnError = async (context, error) => {
    try {
      if (handleError) await handleError(context, error);
      else throw error;
    } finally {
      const record = context.turnState.get(TURN) as TurnRecord | undefined;
      if (record) writeTurnLine(logger, context, { ...record, failure: record.failure ?? error });
    }
  };
}
