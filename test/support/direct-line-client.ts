/**
 * A Direct Line 3.0 client for tests, over real HTTP: get a token, start the
 * conversation, post activities, poll with the watermark the way Web Chat does.
 */
import type { Attachment } from 'botbuilder';
import type { AdaptiveCardJson } from '../../src/domain/cards/rendered-card';

export interface DirectLineActivityJson {
  id: string;
  type: string;
  timestamp: string;
  channelId: string;
  from: { id: string; name?: string; role?: string };
  recipient?: { id: string; role?: string };
  conversation: { id: string };
  replyToId?: string;
  locale?: string;
  text?: string;
  value?: unknown;
  attachments?: Attachment[];
  [field: string]: unknown;
}

export interface ActivitySetJson {
  activities: DirectLineActivityJson[];
  watermark?: string;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

export async function call<T = unknown>(url: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<HttpAnswer<T>> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The claims of a JWT-shaped token (not checked: only the server can). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function cardsIn(activities: readonly DirectLineActivityJson[]): AdaptiveCardJson[] {
  return activities.flatMap((activity) => activity.attachments ?? []).map((attachment) => attachment.content as AdaptiveCardJson);
}

/** `{ id }` on success, the Direct Line error body otherwise. */
export interface PostAnswer {
  id?: string;
  error?: { code: string; message: string };
}

export class DirectLineTestClient {
  token = '';
  conversationId = '';
  watermark: string | undefined;

  constructor(readonly baseUrl: string) {}

  get domain(): string {
    return `${this.baseUrl}/v3/directline`;
  }

  /** Token first (as the page does), then the start; answers the start's status. */
  async open(locale?: string): Promise<number> {
    const generated = await call<{ token: string; conversationId: string; expires_in: number }>(`${this.domain}/tokens/generate`, { method: 'POST' });
    if (generated.status !== 200) throw new Error(`tokens/generate answered ${generated.status}`);
    this.token = generated.body.token;
    this.conversationId = generated.body.conversationId;
    const started = await call<{ token: string; conversationId: string }>(`${this.domain}/conversations`, {
      method: 'POST',
      token: this.token,
      body: { user: {}, ...(locale ? { locale } : {}) },
    });
    if (started.status === 200 || started.status === 201) this.token = started.body.token;
    return started.status;
  }

  post(activity: Record<string, unknown>): Promise<HttpAnswer<PostAnswer>> {
    return call(`${this.domain}/conversations/${encodeURIComponent(this.conversationId)}/activities`, { method: 'POST', token: this.token, body: activity });
  }

  say(text: string, locale = 'en-US'): Promise<HttpAnswer<PostAnswer>> {
    return this.post({ type: 'message', text, locale, from: { id: 'someone-else', role: 'user' } });
  }

  click(value: Record<string, unknown>, locale = 'en-US'): Promise<HttpAnswer<PostAnswer>> {
    return this.post({ type: 'message', text: '', value, locale, from: { id: 'someone-else', role: 'user' } });
  }

  /** One poll from the client's watermark; does not move it. */
  fetch(): Promise<HttpAnswer<ActivitySetJson>> {
    return this.fetchFrom(this.watermark);
  }

  /** One poll from a given watermark (undefined: from the start). */
  fetchFrom(watermark: string | undefined): Promise<HttpAnswer<ActivitySetJson>> {
    const query = watermark === undefined ? '' : `?watermark=${encodeURIComponent(watermark)}`;
    return call<ActivitySetJson>(`${this.domain}/conversations/${encodeURIComponent(this.conversationId)}/activities${query}`, { token: this.token });
  }

  /** Polls (as Web Chat does) until `done` holds for what arrived since the client's watermark; moves the watermark. */
  async pollUntil(done: (activities: DirectLineActivityJson[]) => boolean, timeoutMs = 10_000): Promise<DirectLineActivityJson[]> {
    const collected: DirectLineActivityJson[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.fetch();
      if (answer.status !== 200) throw new Error(`poll answered ${answer.status}`);
      collected.push(...answer.body.activities);
      if (answer.body.watermark !== undefined) this.watermark = answer.body.watermark;
      if (done(collected)) return collected;
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(collected.map((activity) => [activity.type, activity.text]))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
