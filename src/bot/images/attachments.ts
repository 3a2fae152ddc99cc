/**
 * The pictures in a message, as each channel attaches them:
 *
 * - Teams inline images (pasted into the compose box) and Web Chat uploads:
 *   `contentType: image/…` (Teams writes `image/*`) with a `contentUrl`.
 * - Teams files (attached with the paper clip): `application/vnd.microsoft.teams.file.download.info`
 *   with a pre-authenticated `content.downloadUrl` and `content.fileType`.
 *
 * Teams adds a `text/html` copy of the message beside an inline image; it is not a picture.
 */
import type { Activity } from 'botbuilder';

export const TEAMS_FILE_DOWNLOAD = 'application/vnd.microsoft.teams.file.download.info';
/** More pictures in one message are left unread: two screenshots cover an error pane and its log. */
export const MAX_IMAGES_PER_MESSAGE = 2;

const IMAGE_FILE_TYPES = new Set(['png', 'jpg', 'jpeg']);

export interface ImageAttachment {
  url: string;
  /** `image`: a channel's own attachment URL (may need the bot's token); `file`: a pre-authenticated file download. */
  kind: 'image' | 'file';
  /** False for a Teams file that is no PNG or JPEG by its type (a PDF, a log): answered without downloading it. */
  readable: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function teamsFile(content: unknown): ImageAttachment | undefined {
  if (!isObject(content) || typeof content['downloadUrl'] !== 'string') return undefined;
  const fileType = typeof content['fileType'] === 'string' ? content['fileType'].toLowerCase() : '';
  return { url: content['downloadUrl'], kind: 'file', readable: IMAGE_FILE_TYPES.has(fileType) };
}

export function imageAttachmentsOf(activity: Partial<Activity>): ImageAttachment[] {
  const found: ImageAttachment[] = [];
  for (const attachment of activity.attachments ?? []) {
    const contentType = typeof attachment.contentType === 'string' ? attachment.contentType.toLowerCase() : '';
    if (contentType.startsWith('image/') && typeof attachment.contentUrl === 'string') {
      found.push({ url: attachment.contentUrl, kind: 'image', readable: true });
    } else if (contentType === TEAMS_FILE_DOWNLOAD) {
      const file = teamsFile(attachment.content);
      if (file) found.push(file);
    }
  }
  return found.slice(0, MAX_IMAGES_PER_MESSAGE);
}
