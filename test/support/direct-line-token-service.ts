/**
 * A stand-in for the token endpoint of the Bot Framework Direct Line service:
 * a real node:http server on 127.0.0.1, on a port the OS picks. It records what
 * it was sent (to check that the secret arrives here, and only here) and answers
 * as told: a token, an error status, or a body without a token.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

export type TokenServiceBehaviour = { kind: 'token'; expiresIn?: number } | { kind: 'status'; status: number; body?: string } | { kind: 'no-token' };

export class DirectLineTokenStandIn {
  readonly requests: RecordedRequest[] = [];
  behaviour: TokenServiceBehaviour = { kind: 'token' };
  private server?: Server;
  private issued = 0;

  /** The origin to use as DIRECT_LINE_ENDPOINT. */
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The `user.id` each token request asked for, in order (undefined where the body named none). */
  requestedUserIds(): (string | undefined)[] {
    return this.requests.map((request) => {
      try {
        const id = (JSON.parse(request.body) as { user?: { id?: unknown } }).user?.id;
        return typeof id === 'string' ? id : undefined;
      } catch {
        return undefined;
      }
    });
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    let body = '';
    for await (const chunk of req) body += (chunk as Buffer).toString('utf8');
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
    if (req.method !== 'POST' || req.url !== '/v3/directline/tokens/generate') return { status: 404, body: '{"error":{"code":"NotFound"}}' };
    switch (this.behaviour.kind) {
      case 'status':
        return { status: this.behaviour.status, body: this.behaviour.body ?? '{"error":{"code":"ServiceError","message":"stand-in failure"}}' };
      case 'no-token':
        return { status: 200, body: '{"conversationId":"abc"}' };
      default: {
        this.issued += 1;
        return {
          status: 200,
          body: JSON.stringify({ conversationId: `standin-conversation-${this.issued}`, token: `standin-token-${this.issued}`, expires_in: this.behaviour.expiresIn ?? 1800 }),
        };
      }
    }
  }
}

/** A loopback URL on which nothing listens (a port that was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
