/**
 * Who may see the insights. The figures are the helpdesk's, not the users':
 *
 * - Auth off (no MicrosoftAppId: local use): only this machine. A request from
 *   a loopback address that carries proxy headers came through a proxy from
 *   somewhere else, so it is refused too.
 * - Auth on and no INSIGHTS_TOKEN: nobody; every route answers 404, as if the
 *   dashboard did not exist.
 * - Auth on with INSIGHTS_TOKEN: `Authorization: Bearer <token>` (scripts), or
 *   the cookie of the sign-in form (browsers).
 */
import type { Config } from '../../../config';
import { isLoopbackAddress } from '../direct-line/http-helpers';
import { SESSION_COOKIE, cookieFrom, isValidSessionCookie, sameSecret } from './session-cookie';

export type InsightsAccess = { kind: 'local' } | { kind: 'closed' } | { kind: 'token'; token: string };

export function insightsAccess(config: Pick<Config, 'auth' | 'insights'>): InsightsAccess {
  if (!config.auth) return { kind: 'local' };
  return config.insights.token ? { kind: 'token', token: config.insights.token } : { kind: 'closed' };
}

/**
 * - `allowed`: serve it;
 * - `hidden`: 404, the dashboard is not there for this caller;
 * - `sign-in`: no credentials (or an expired cookie): a browser is sent to the form, a script gets 401;
 * - `refused`: a bearer token that is not the one: 401.
 */
export type Verdict = 'allowed' | 'hidden' | 'sign-in' | 'refused';

export interface CallerFacts {
  remoteAddress: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

/** From this machine, and not relayed by a proxy on it. */
export function isLocalCaller(caller: CallerFacts): boolean {
  return isLoopbackAddress(caller.remoteAddress) && PROXY_HEADERS.every((name) => caller.headers[name] === undefined);
}

function header(caller: CallerFacts, name: string): string | undefined {
  const value = caller.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function judge(access: InsightsAccess, caller: CallerFacts, now: Date = new Date()): Verdict {
  switch (access.kind) {
    case 'local':
      return isLocalCaller(caller) ? 'allowed' : 'hidden';
    case 'closed':
      return 'hidden';
    case 'token': {
      const authorization = header(caller, 'authorization');
      if (authorization !== undefined) {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
        return bearer !== undefined && sameSecret(bearer, access.token) ? 'allowed' : 'refused';
      }
      const cookie = cookieFrom(header(caller, 'cookie'), SESSION_COOKIE);
      return cookie !== undefined && isValidSessionCookie(access.token, cookie, now) ? 'allowed' : 'sign-in';
    }
  }
}
