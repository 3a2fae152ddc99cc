/**
 * The files the page needs, served by this server (nothing from a CDN): Web
 * Chat's bundle from node_modules, the page's script and style, and the embed
 * script from public/. Each is read once, gzipped once, and revalidated by ETag;
 * a request that names the current version (`?v=`) may keep it for a year.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'restify';
import { PROJECT_ROOT } from '../../../project-root';

const gzipAsync = promisify(gzip);

export const PUBLIC_DIR = join(PROJECT_ROOT, 'public');

/** Web Chat's full bundle (it exports only "." so the folder is found from its main file). */
export function webChatBundlePath(): { path: string; version: string } {
  const packageDir = join(dirname(require.resolve('botframework-webchat')), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { path: join(packageDir, 'dist', 'webchat.js'), version };
}

interface Loaded {
  raw: Buffer;
  gzipped: Buffer;
  etag: string;
}

export class StaticAsset {
  private loaded?: Promise<Loaded>;

  constructor(
    readonly path: string,
    readonly contentType: string,
    /** Short cache for files other sites link to without a version (embed.js). */
    readonly unversionedMaxAge = 0,
  ) {}

  /** A short hash of the content, for `?v=` in links. */
  version(): string {
    return createHash('sha256').update(readFileSync(this.path)).digest('hex').slice(0, 12);
  }

  private load(): Promise<Loaded> {
    this.loaded ??= (async () => {
      const raw = readFileSync(this.path);
      const gzipped = await gzipAsync(raw, { level: 9 });
      return { raw, gzipped, etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"` };
    })();
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  async serve(req: Request, res: Response, currentVersion: string): Promise<void> {
    const { raw, gzipped, etag } = await this.load();
    const versioned = new URL(req.url ?? '/', 'http://local').searchParams.get('v') === currentVersion;
    const headers: Record<string, string> = {
      'content-type': this.contentType,
      etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': versioned ? 'public, max-age=31536000, immutable' : this.unversionedMaxAge > 0 ? `public, max-age=${this.unversionedMaxAge}` : 'no-cache',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = acceptsGzip ? gzipped : raw;
    res.writeHead(200, { ...headers, ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
    res.end(body);
  }
}
