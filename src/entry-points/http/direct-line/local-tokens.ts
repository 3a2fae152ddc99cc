/**
 * Tokens of the local Direct Line stand-in: JWT-shaped (HS256 with a key made at
 * start-up), so that Web Chat reads the user id from the `user` claim exactly as
 * it does with the tokens of the real Direct Line service. Each token is bound
 * to one conversation and one user, and expires.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** The user the token speaks for (Web Chat takes its user id from here). */
  user: string;
  /** The one conversation the token opens. */
  conv: string;
  iat: number;
  exp: number;
  jti: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'expired' };

export interface IssuedToken {
  token: string;
  /** Seconds until the token expires, as the Direct Line service says it. */
  expires_in: number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

export class LocalTokenIssuer {
  private readonly key = randomBytes(32);

  constructor(
    readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(user: string, conversationId: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = { user, conv: conversationId, iat, exp: iat + this.lifetimeSeconds, jti: randomUUID() };
    const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, expires_in: this.lifetimeSeconds };
  }

  verify(token: string): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'malformed' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.user !== 'string' || typeof claims.conv !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'malformed' };
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url');
  }
}
