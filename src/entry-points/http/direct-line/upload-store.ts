/**
 * The files Web Chat uploads through the local Direct Line, held until the bot
 * has fetched them: in memory only (never on disk), each for a few minutes,
 * and bounded in count and bytes (the oldest go first). Ids are random and
 * unguessable; the route that serves them answers loopback callers only.
 */
import { randomBytes } from 'node:crypto';

export interface UploadLimits {
  /** Files kept at once. */
  maxFiles: number;
  /** Bytes kept over all files. */
  maxBytes: number;
  /** A file is served for this long after its upload (the bot fetches it in the same turn). */
  ttlMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFiles: 32, maxBytes: 32 * 1024 * 1024, ttlMs: 10 * 60 * 1000 };

export interface StoredUpload {
  bytes: Uint8Array;
  contentType: string;
  /** Which conversation uploaded it (for the log, never served by it). */
  conversationId: string;
  expiresAt: number;
}

export class UploadStore {
  private readonly files = new Map<string, StoredUpload>();
  private totalBytes = 0;

  constructor(
    readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.files.size;
  }

  get storedBytes(): number {
    return this.totalBytes;
  }

  /** Keeps a file and returns its id; older files make room. A file larger than the whole store is not kept (undefined). */
  put(bytes: Uint8Array, contentType: string, conversationId: string): string | undefined {
    if (bytes.byteLength > this.limits.maxBytes) return undefined;
    this.sweep();
    while (this.files.size >= this.limits.maxFiles || this.totalBytes + bytes.byteLength > this.limits.maxBytes) this.evictOldest();
    const id = randomBytes(18).toString('base64url');
    this.files.set(id, { bytes, contentType, conversationId, expiresAt: this.now() + this.limits.ttlMs });
    this.totalBytes += bytes.byteLength;
    return id;
  }

  get(id: string): StoredUpload | undefined {
    this.sweep();
    return this.files.get(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, file] of this.files) if (file.expiresAt <= now) this.remove(id);
  }

  private evictOldest(): void {
    const oldest = this.files.keys().next();
    if (!oldest.done) this.remove(oldest.value);
  }

  private remove(id: string): void {
    const file = this.files.get(id);
    if (!file) return;
    this.files.delete(id);
    this.totalBytes -= file.bytes.byteLength;
  }
}
