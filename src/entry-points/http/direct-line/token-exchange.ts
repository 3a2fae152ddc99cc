/**
 * POST /api/directline/token: the web chat page's token, in production. The
 * server exchanges DIRECT_LINE_SECRET with the Bot Framework Direct Line
 * service for a token bound to one new conversation and to the user id that
 * the server decides (`identify`: the signed cookie of a returning browser, else
 * a new random id), so nobody can speak as somebody else. The service puts that
 * id as `from.id` on the user's activities (with the channel's enhanced
 * authentication on, whatever the page sends). The secret goes to the Direct
 * Line service only: never to the browser, never into a log line.
 */
import type { Server } from 'restify';
import type { DirectLineService } from '../../../config';
import type { Logger } from '../../../logger';
import { jsonObject, sendError, sendJson, type UserIdentifier } from './http-helpers';

export const TOKEN_ROUTE = '/api/directline/token';

export interface TokenExchangeOptions {
  /** Undefined when DIRECT_LINE_SECRET is unset: the route answers 503 and says so. */
  service: DirectLineService | undefined;
  logger: Logger;
  /** Whether the local Direct Line stand-in is on (auth off), for the message when there is no secret. */
  localDirectLine: boolean;
  /** The user id each token is bound to (and the cookie that keeps it): never the request body's. */
  identify: UserIdentifier;
  timeoutMs?: number;
}

/** What the browser gets: the token and what it needs to use it, nothing else. */
export interface PageToken {
  token: string;
  expires_in: number;
  conversationId: string;
  userId: string;
}

/** Asks the Direct Line service for a token bound to `userId`; throws an error that names only the HTTP status. */
export async function generateToken(service: DirectLineService, userId: string, timeoutMs = 10_000): Promise<PageToken> {
  const response = await fetch(`${service.endpoint}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${service.secret}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ user: { id: userId } }),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await response.text();
  if (!response.ok) throw new TokenServiceError(`the Direct Line service answered HTTP ${response.status}`, response.status);
  let body: Record<string, unknown> | undefined;
  try {
    body = jsonObject(JSON.parse(text));
  } catch {
    body = undefined;
  }
  const token = body?.['token'];
  const expiresIn = body?.['expires_in'];
  const conversationId = body?.['conversationId'];
  if (typeof token !== 'string' || token === '' || typeof conversationId !== 'string' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    throw new TokenServiceError('the Direct Line service answered without a token', response.status);
  }
  return { token, expires_in: expiresIn, conversationId, userId };
}

export class TokenServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TokenServiceError';
  }
}

export function mountTokenExchange(server: Server, options: TokenExchangeOptions): void {
  const { service, logger } = options;
  server.post(TOKEN_ROUTE, async (req, res) => {
    if (!service) {
      return sendError(
        res,
        503,
        'DirectLineNotConfigured',
        options.localDirectLine
          ? 'DIRECT_LINE_SECRET is not set, so this server issues no Direct Line tokens. The page at / uses the local Direct Line stand-in at /v3/directline instead (auth is off).'
          : 'DIRECT_LINE_SECRET is not set, so this server cannot issue Direct Line tokens and the web chat cannot connect. Set DIRECT_LINE_SECRET to a secret of the bot\'s Direct Line channel.',
      );
    }
    try {
      sendJson(res, 200, await generateToken(service, options.identify(req, res), options.timeoutMs));
    } catch (error) {
      const status = error instanceof TokenServiceError ? error.status : undefined;
      const refused = status === 401 || status === 403;
      // Only the status and our own wording: the request (and its Authorization header) is never logged.
      logger.log(refused ? 'error' : 'warn', 'directline-token-failed', {
        endpoint: service.endpoint,
        ...(status !== undefined ? { status } : {}),
        problem: error instanceof TokenServiceError ? error.message : (error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable',
        ...(refused ? { hint: 'the Direct Line service refused DIRECT_LINE_SECRET: check the secret of the bot\'s Direct Line channel' } : {}),
      });
      sendError(res, 502, 'DirectLineUnavailable', 'The chat service did not issue a token. Please try again in a minute.');
    }
  });
}
