/**
 * Drives the bot over real HTTP: each activity is POSTed to /api/messages with
 * `deliveryMode: "expectReplies"`, so the bot's replies for the turn come back
 * in the response body (`{ activities: [...] }`) and no callback server is needed.
 */
import type { Activity } from 'botbuilder';
import type { CardActionData } from '../../src/domain/flow/card-action';

/** A serviceUrl nobody listens on: with expectReplies the adapter never calls it. */
export const UNUSED_SERVICE_URL = 'http://127.0.0.1:1/';

export interface TurnResponse {
  status: number;
  activities: Partial<Activity>[];
}

/** POSTs one activity and returns the HTTP status and the turn's replies. */
export async function postActivity(baseUrl: string, activity: Partial<Activity>): Promise<TurnResponse> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const raw = await response.text();
  if (raw === '') return { status: response.status, activities: [] };
  const body = JSON.parse(raw) as { activities?: Partial<Activity>[] };
  return { status: response.status, activities: body.activities ?? [] };
}

export class HttpBotConversation {
  private sequence = 0;
  /**
   * Where the bot sends what is not a reply of the turn (card updates, proactive
   * messages): nowhere by default; a connector stand-in's serviceUrl to see them.
   * User turns still use expectReplies, so their replies come back in the response.
   */
  serviceUrl: string = UNUSED_SERVICE_URL;

  constructor(
    readonly baseUrl: string,
    readonly locale: string,
    readonly conversationId: string,
    readonly userId: string = `user-${conversationId}`,
    readonly channelId: string = 'test',
  ) {}

  say(text: string): Promise<Partial<Activity>[]> {
    return this.turn({ text });
  }

  /** A click on an Action.Submit: its data as the activity's value, with empty text (as Web Chat and Teams send it). */
  click(data: CardActionData): Promise<Partial<Activity>[]> {
    return this.turn({ text: '', value: data });
  }

  /** Sends a message activity and returns the replies; fails on any status but 200. */
  async turn(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    this.sequence += 1;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `${this.conversationId}-${this.sequence}`,
      channelId: this.channelId,
      serviceUrl: this.serviceUrl,
      deliveryMode: 'expectReplies',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: 'e2e' },
      from: { id: this.userId, name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: this.locale,
      timestamp: new Date(),
      ...fields,
    };
    const { status, activities } = await postActivity(this.baseUrl, activity);
    if (status !== 200) throw new Error(`POST /api/messages answered ${status} to ${JSON.stringify(fields)}`);
    return activities;
  }
}
