/**
 * The cookie that keeps the web chat's user id between visits:
 * `bt_user=<id>.<mac>` (user-id.ts), read and renewed by the token route only.
 *
 * - HttpOnly: the page's scripts never hold the MAC, so a script injected into
 *   the page could not carry the identity off to use it elsewhere.
 * - Path: the token route itself. That is the only place it is read; it does not
 *   travel with the page, its assets or every poll.
 * - Max-Age 7 days, set again with every token: a user who comes back within a
 *   week of their last chat is the same user.
 * - SameSite=Lax: the page opened on its own, or framed by a page of the same
 *   site (bot.contoso.com in helpdesk.contoso.com), sends it; requests that other
 *   sites start do not.
 * - With WEBCHAT_EMBED_ORIGINS: SameSite=None; Secure; Partitioned. The page is
 *   then meant to live in an iframe on another site, where browsers neither keep
 *   nor send a Lax cookie. Partitioned (CHIPS) keeps one cookie per top-level
 *   site: the helpdesk's users are recognised on the helpdesk only, and browsers
 *   that refuse unpartitioned third-party cookies still keep it (browsers that
 *   refuse all third-party cookies make every embedded visit a new user; nothing
 *   else changes). The frame-ancestors policy keeps other sites from framing the
 *   page, and no other site can read the token route's answer (no CORS).
 * - Secure, except over plain http from this machine (`npm start`, tests), where a
 *   Secure cookie would never come back; SameSite=None needs Secure, so Lax there.
 */
import type { TLSSocket } from 'node:tls';
import type { Request } from 'restify';
import { isLoopbackAddress, type UserIdentifier } from '../direct-line/http-helpers';
import { newWebChatUserId, type WebChatUserIdSigner } from './user-id';

export const USER_ID_COOKIE = 'bt_user';
export const USER_ID_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export interface UserIdCookieAttributes {
  /** The token route the cookie belongs to. */
  path: string;
  secure: boolean;
  /** The page is embedded in other sites (WEBCHAT_EMBED_ORIGINS is set). */
  embedded: boolean;
}

export function userIdCookieHeader(value: string, { path, secure, embedded }: UserIdCookieAttributes): string {
  const sameSite = embedded && secure ? ['SameSite=None', 'Partitioned'] : ['SameSite=Lax'];
  return [`${USER_ID_COOKIE}=${value}`, `Max-Age=${USER_ID_MAX_AGE_SECONDS}`, `Path=${path}`, 'HttpOnly', ...(secure ? ['Secure'] : []), ...sameSite].join('; ');
}

/** Every value of the named cookie in a Cookie header (a browser may send several, most specific path first). */
export function cookieValues(header: string | string[] | undefined, name: string): string[] {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  const values: string[] = [];
  for (const part of text.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) values.push(part.slice(index + 1).trim());
  }
  return values;
}

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip'];

/** Plain http from this machine and not relayed by a proxy on it: the one case where the cookie cannot be Secure. */
export function isPlainLocalHttp(req: Pick<Request, 'socket' | 'headers'>): boolean {
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  return !encrypted && isLoopbackAddress(req.socket.remoteAddress) && PROXY_HEADERS.every((name) => req.headers[name] === undefined);
}

/**
 * The user id of a token route: the id of a cookie signed with this key, else a
 * new one; either way the cookie is (re)set on the response, for another week.
 * A forged, tampered or foreign cookie is simply not recognised.
 */
export function userIdFromCookie(signer: WebChatUserIdSigner, options: { path: string; embedded: boolean }): UserIdentifier {
  return (req, res) => {
    // A handful at most: a browser sends one per matching path; more is somebody's doing.
    const known = cookieValues(req.headers.cookie, USER_ID_COOKIE)
      .slice(0, 4)
      .map((value) => signer.verify(value))
      .find((id): id is string => id !== undefined);
    const id = known ?? newWebChatUserId();
    res.header('set-cookie', userIdCookieHeader(signer.sign(id), { ...options, secure: !isPlainLocalHttp(req) }));
    return id;
  };
}
