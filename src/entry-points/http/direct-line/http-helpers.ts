/** Small pieces the Direct Line routes share: error bodies, the bearer token, this server's own address. */
import type { AddressInfo } from 'node:net';
import type { Request, Response, Server } from 'restify';

/** The error body of the Direct Line and Bot Connector APIs. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.header('cache-control', 'no-store');
  res.json(status, { error: { code, message } });
}

export function sendJson(res: Response, status: number, body: unknown): void {
  res.header('cache-control', 'no-store');
  res.json(status, body);
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The request body when it is a JSON object; undefined for none, arrays, text. */
export function jsonObject(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : undefined;
}

/** How this server reaches itself: its listening port on loopback (0.0.0.0 and :: are not addresses to call). */
export function loopbackBaseUrl(server: Server): string {
  const address = server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
  const ipv6 = address.family === 'IPv6' || (address.family as unknown) === 6;
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified ? (ipv6 ? '[::1]' : '127.0.0.1') : ipv6 ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A BCP 47 tag as Web Chat sends it (`ja-JP`, `en-US`, `en`), or undefined. */
export function localeTag(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(value) ? value : undefined;
}

/**
 * Who is asking for a token: the user id the token is bound to. The server
 * decides it (webchat/user-id-cookie.ts reads or sets the signed cookie on
 * `res`), never the request's body.
 */
export type UserIdentifier = (req: Request, res: Response) => string;
