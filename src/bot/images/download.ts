/**
 * Downloads one picture into memory: only where download-policy.ts allows
 * (every redirect checked again), at most MAX_IMAGE_BYTES (the declared length
 * is checked first, the bytes as they come), within a time limit. Nothing is
 * written to disk and nothing about the picture is logged.
 */
import { MAX_IMAGE_BYTES } from '../../domain/paste/ocr/image-format';
import type { ImageAttachment } from './attachments';
import { downloadDecision } from './download-policy';

export const DOWNLOAD_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

export type DownloadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; problem: 'not-allowed' | 'too-large' | 'download-failed' };

export interface DownloadOptions {
  serviceUrl: string | undefined;
  /** The bot's token for the channel's connector; undefined without an app id (then nothing is sent). */
  token: () => Promise<string | undefined>;
  maxBytes?: number;
  timeoutMs?: number;
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return 'too-large';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return 'too-large';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export async function downloadImage(attachment: ImageAttachment, options: DownloadOptions): Promise<DownloadOutcome> {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  let url = attachment.url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const decision = downloadDecision(url, attachment.kind, options.serviceUrl);
      if (!decision.allowed) return { ok: false, problem: 'not-allowed' };
      const token = decision.sendToken ? await options.token() : undefined;
      const response = await fetch(url, { redirect: 'manual', signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url).href;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, problem: 'download-failed' };
      }
      const bytes = await readLimited(response, maxBytes);
      return bytes === 'too-large' ? { ok: false, problem: 'too-large' } : { ok: true, bytes };
    }
    return { ok: false, problem: 'download-failed' };
  } catch {
    // Timed out, refused, reset: the user hears that it could not be downloaded, whatever the cause.
    return { ok: false, problem: 'download-failed' };
  }
}
