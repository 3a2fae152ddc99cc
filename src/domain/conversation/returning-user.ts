/**
 * Who a follow-up is for when the user may come back in another conversation:
 * in Web Chat the page's conversation ends with the tab, so the user is found
 * again by the id the server signed into their Direct Line token (never one the
 * page chose: src/entry-points/http/webchat/user-id.ts mints and binds it).
 */

/** The prefix of user ids the server mints; anything else is not a signed web chat user. */
export const WEBCHAT_USER_ID_PREFIX = 'dl_';

const WEB_CHANNELS = new Set(['webchat', 'directline']);

/** 128 random bits, base64url, after the prefix. */
const ID_SHAPE = /^dl_[A-Za-z0-9_-]{22}$/;

/**
 * Whether `from.id` has the shape of an id the server signed for the web chat. A
 * shape check only: the bot may trust it because only the token routes bind a user
 * id to a token (the Direct Line service keeps it as `from.id`; the local stand-in
 * takes it from its own token), never the page.
 */
export function isSignedWebChatUserId(id: string): boolean {
  return ID_SHAPE.test(id);
}

/** "webchat:<id>" for a signed web chat user; undefined where the conversation itself lasts (Teams) or the id is not ours. */
export function returningUserKey(channelId: string | undefined, userId: string | undefined): string | undefined {
  if (!channelId || !userId || !WEB_CHANNELS.has(channelId) || !isSignedWebChatUserId(userId)) return undefined;
  return `webchat:${userId}`;
}
