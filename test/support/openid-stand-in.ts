/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys, and
 * tokens signed the way the Bot Framework Service signs them, for the auth tests.
 *
 * The stand-in is a node:http server on 127.0.0.1 (port chosen by the OS) with
 * `/.well-known/openidconfiguration` and `/keys`, the two documents that
 * botframework-connector reads (`OpenIdMetadata`). Point the bot at it with
 * `BOT_OPENID_METADATA_URL=<stand-in>/.well-known/openidconfiguration`.
 *
 * Tokens are built by hand (base64url header, payload and signature; no JWT
 * library): RS256 with a key pair made here by `generateKeyPairSync`, and the
 * broken variants the tests need (another key, `alg: none`, HS256 keyed with
 * the public key, a header that is not JSON).
 */
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer of tokens from the Bot Framework channels (AuthenticationConstants.ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export interface TokenClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** The claims of a token the Bot Framework Service would send for `serviceUrl`, valid from a minute ago for an hour. */
export function channelClaims(appId: string, serviceUrl: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims {
  return { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: nowSeconds - 60, iat: nowSeconds - 60, exp: nowSeconds + 3600 };
}

/** An RS256 JWT signed with `key`; `header` fields override the default header (`alg`, `typ`, `kid`). */
export function signRs256(claims: TokenClaims, key: SigningKey, header: Record<string, unknown> = {}): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

/** An unsigned token (`alg: none`, empty signature). */
export function unsignedToken(claims: TokenClaims, kid: string): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${base64url(JSON.stringify(claims))}.`;
}

/** HS256 keyed with the public key's PEM: the old algorithm-confusion attack. */
export function hs256WithPublicKey(claims: TokenClaims, key: SigningKey): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const body = base64url(JSON.stringify(claims));
  const secret = key.publicKey.export({ type: 'spki', format: 'pem' });
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${base64url(signature)}`;
}

interface PublishedKey {
  key: SigningKey;
  /** Channels that endorse the key (botframework-connector refuses a token for a channel not listed). */
  endorsements: string[];
}

export class OpenIdStandIn {
  private readonly server: Server;
  private published: PublishedKey[] = [];
  /** Requests per path, to see what the bot fetched. */
  readonly hits = new Map<string, number>();

  private constructor(private origin: string) {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET') return send(405, { error: 'method' });
      if (path === '/.well-known/openidconfiguration') {
        return send(200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: 'https://invalid.example/common/oauth2/v2.0/authorize',
          jwks_uri: `${this.origin}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (path === '/keys') {
        return send(200, {
          keys: this.published.map(({ key, endorsements }) => ({
            ...(key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
            kid: key.kid,
            use: 'sig',
            kty: 'RSA',
            endorsements,
          })),
        });
      }
      return send(404, { error: 'not found' });
    });
  }

  static async start(): Promise<OpenIdStandIn> {
    const standIn = new OpenIdStandIn('');
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    const { port } = standIn.server.address() as AddressInfo;
    standIn.origin = `http://127.0.0.1:${port}`;
    return standIn;
  }

  /** What BOT_OPENID_METADATA_URL is set to. */
  get metadataUrl(): string {
    return `${this.origin}/.well-known/openidconfiguration`;
  }

  /** Publishes `key` in the JWKS, endorsed for `endorsements` (channel ids). */
  publish(key: SigningKey, endorsements: string[]): void {
    this.published = [...this.published.filter((entry) => entry.key.kid !== key.kid), { key, endorsements }];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
