/**
 * The web chat's user id, signed by this server so that a user who comes back
 * in the same browser (within the cookie's life, user-id-cookie.ts) is the same
 * user in a new conversation, and so that no page can choose whom it speaks as.
 *
 * - The id: `dl_` + 128 random bits in base64url (22 characters). The Direct
 *   Line service binds a token's user id to its activities only for ids that
 *   start with `dl_` (with the channel's enhanced authentication on).
 * - The cookie's value: `<id>.<HMAC-SHA256(key, id)>` in base64url.
 * - The key: from WEBCHAT_USER_ID_SECRET (at least 32 characters; what every
 *   instance must share), else 32 random bytes made once and kept in
 *   DATA_DIR/webchat-user-id.key (mode 0600), so a restart keeps recognising
 *   users. The key and the MACs never go into a log line.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../../config';

import { WEBCHAT_USER_ID_PREFIX } from '../../../domain/conversation/returning-user';
const SIGNED_SHAPE = /^(dl_[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
/** Domain separation: a MAC of this key never equals anything else made with it. */
const MAC_CONTEXT = 'bt_user/v1:';

export const USER_ID_SECRET_VARIABLE = 'WEBCHAT_USER_ID_SECRET';
export const USER_ID_KEY_FILE = 'webchat-user-id.key';
const MIN_SECRET_LENGTH = 32;

export function newWebChatUserId(): string {
  return `${WEBCHAT_USER_ID_PREFIX}${randomBytes(16).toString('base64url')}`;
}

/** Signs ids into cookie values and reads them back. */
export class WebChatUserIdSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the web chat user id key must be at least 32 bytes');
  }

  sign(id: string): string {
    return `${id}.${this.mac(id)}`;
  }

  /** The id of a value signed with this key; undefined for anything else (absent, malformed, forged, another key's). */
  verify(value: string | undefined): string | undefined {
    const match = value === undefined ? null : SIGNED_SHAPE.exec(value);
    if (!match) return undefined;
    const id = match[1]!;
    const given = match[2]!;
    // Both are 43 characters of base64url here, so the lengths match and the comparison takes constant time.
    return timingSafeEqual(Buffer.from(given), Buffer.from(this.mac(id))) ? id : undefined;
  }

  private mac(id: string): string {
    return createHmac('sha256', this.key).update(MAC_CONTEXT + id).digest('base64url');
  }
}

/** Where the key comes from (validated; the secret itself is never part of an error). */
export type WebChatUserIdKeySetting = { kind: 'secret'; secret: string } | { kind: 'file'; path: string };

/**
 * WEBCHAT_USER_ID_SECRET if set (trimmed; empty counts as unset), else the key file in DATA_DIR.
 * Throws ConfigError naming the variable when the secret is too short or not visible ASCII.
 */
export function webChatUserIdKeySetting(env: NodeJS.ProcessEnv, dataDir: string): WebChatUserIdKeySetting {
  const secret = env[USER_ID_SECRET_VARIABLE]?.trim() ?? '';
  if (secret === '') return { kind: 'file', path: join(dataDir, USER_ID_KEY_FILE) };
  if (secret.length < MIN_SECRET_LENGTH || !/^[\x21-\x7e]+$/.test(secret)) {
    throw new ConfigError(USER_ID_SECRET_VARIABLE, `must be at least ${MIN_SECRET_LENGTH} visible ASCII characters without spaces (e.g. the output of openssl rand -base64 48)`);
  }
  return { kind: 'secret', secret };
}

export interface LoadedUserIdKey {
  key: Buffer;
  /** `created`: a new file (users of an earlier key, if any, start afresh); `readable`: the file is open to other accounts. */
  file?: { path: string; created: boolean; readable: boolean };
}

export function loadWebChatUserIdKey(setting: WebChatUserIdKeySetting): LoadedUserIdKey {
  // A key of its own from the secret, so that the variable could serve another purpose without the MACs giving it away.
  if (setting.kind === 'secret') return { key: createHmac('sha256', setting.secret).update('webchat-user-id-key/v1').digest() };
  const created = createKeyFile(setting.path);
  const key = readKeyFile(setting.path);
  return { key, file: { path: setting.path, created, readable: (statSync(setting.path).mode & 0o077) !== 0 } };
}

function readKeyFile(path: string): Buffer {
  const text = readFileSync(path, 'utf8').trim();
  const key = Buffer.from(text, 'base64url');
  if (!/^[A-Za-z0-9_-]{43}$/.test(text) || key.length !== 32) {
    throw new Error(`${path} is not a web chat user id key (43 characters of base64url): delete it to make a new one (returning users start afresh) or set ${USER_ID_SECRET_VARIABLE}`);
  }
  return key;
}

/**
 * Makes the key file unless it exists; true if this call made it. Instances
 * starting together on one DATA_DIR (and parallel tests) must end up with one
 * key: the key is written to a temporary file and hard-linked into place, which
 * fails if the file is already there, so nobody reads a half-written key.
 */
function createKeyFile(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const content = `${randomBytes(32).toString('base64url')}\n`;
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (some network shares): an exclusive create instead.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return writeExclusive(path, content);
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function writeExclusive(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
