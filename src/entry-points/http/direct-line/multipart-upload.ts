/**
 * Reads Web Chat's upload (`POST …/conversations/:id/upload?userId=…`) as
 * botframework-directlinejs sends it: multipart/form-data with one `activity`
 * part (the message as JSON, `application/vnd.microsoft.activity`, its
 * attachments without contentUrl) and one `file` part per attachment, in the
 * same order. The body is read into memory with a limit and parsed by the
 * platform's own FormData parser (undici); nothing touches the disk.
 */
import type { Request } from 'restify';
import { MAX_IMAGE_BYTES } from '../../../domain/paste/ocr/image-format';

/** One picture at the bot's limit, plus the activity part (Web Chat adds a thumbnail) and the multipart framing. */
export const MAX_UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + 512 * 1024;
/** Web Chat's page sends one file at a time; two at most are taken, as the bot reads two pictures of a message at most. */
export const MAX_UPLOAD_FILES = 2;

const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/]+\/upload$/;

/** The upload route, whose bodies are larger than other requests' and multipart. */
export function isUploadPath(path: string): boolean {
  return UPLOAD_PATH.test(path);
}

export interface UploadedFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export type UploadBody =
  | { ok: true; activity: Record<string, unknown>; files: UploadedFile[] }
  | { ok: false; status: 400 | 413 | 415; message: string };

async function readBody(req: Request, maxBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

async function activityOf(part: ReturnType<FormData["get"]>): Promise<Record<string, unknown> | undefined> {
  if (part === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(typeof part === 'string' ? part : await part.text());
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function readUploadBody(req: Request, maxBytes = MAX_UPLOAD_BODY_BYTES): Promise<UploadBody> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return { ok: false, status: 415, message: 'An upload is sent as multipart/form-data.' };
  const body = await readBody(req, maxBytes);
  if (body === 'too-large') return { ok: false, status: 413, message: `The upload is larger than ${Math.floor(maxBytes / 1024)} KB.` };
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false, status: 400, message: 'The upload is not valid multipart/form-data.' };
  }
  const activity = await activityOf(form.get('activity'));
  if (!activity) return { ok: false, status: 400, message: 'The upload needs an "activity" part holding the message as JSON.' };
  const parts = form.getAll('file');
  if (parts.length === 0 || parts.length > MAX_UPLOAD_FILES) return { ok: false, status: 400, message: `An upload carries 1 to ${MAX_UPLOAD_FILES} files.` };
  const files: UploadedFile[] = [];
  for (const part of parts) {
    if (typeof part === 'string') return { ok: false, status: 400, message: 'A "file" part must be a file.' };
    files.push({ name: part.name.slice(0, 200), contentType: (part.type || 'application/octet-stream').slice(0, 100), bytes: new Uint8Array(await part.arrayBuffer()) });
  }
  return { ok: true, activity, files };
}
