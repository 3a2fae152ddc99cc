/**
 * The dashboard's sign-in cookie: `insights_session=v1.<expiry>.<mac>`, where
 * the MAC is an HMAC-SHA256 of the expiry (Unix seconds) under a key derived
 * from INSIGHTS_TOKEN. Nothing is stored on the server: any instance that knows
 * the token can check the cookie, and changing the token signs everybody out.
 * The cookie holds no part of the token itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'insights_session';
/** A working day: after it, sign in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
export const COOKIE_PATH = '/insights';

const VERSION = 'v1';

/** A key of its own for cookies, so that a MAC never equals anything else made from the token. */
function cookieKey(token: string): Buffer {
  return createHmac('sha256', token).update('insights-session-cookie/v1').digest();
}

function mac(token: string, expiry: number): string {
  return createHmac('sha256', cookieKey(token)).update(`${VERSION}.${expiry}`).digest('base64url');
}

/** Two secrets compared in constant time (whatever their lengths: both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function sessionCookieValue(token: string, now: Date = new Date()): string {
  const expiry = Math.floor(now.getTime() / 1000) + SESSION_MAX_AGE_SECONDS;
  return `${VERSION}.${expiry}.${mac(token, expiry)}`;
}

/** True when the value was made with this token and has not expired. */
export function isValidSessionCookie(token: string, value: string, now: Date = new Date()): boolean {
  const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const expiry = Number(match[1]);
  const seconds = now.getTime() / 1000;
  // An expiry further away than a fresh cookie's cannot have been made here (a copied clock, a forged value).
  if (expiry <= seconds || expiry > seconds + SESSION_MAX_AGE_SECONDS + 60) return false;
  return sameSecret(match[2]!, mac(token, expiry));
}

/** The Set-Cookie header: HttpOnly, SameSite=Strict, only for /insights; Secure unless `secure` is false (plain http on loopback). */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, `Max-Age=${SESSION_MAX_AGE_SECONDS}`, `Path=${COOKIE_PATH}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The value of one cookie in a Cookie header (the first one of that name), or undefined. */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
