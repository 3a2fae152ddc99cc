/**
 * Debian's Chromium driven by playwright-core, as the machine allows: headless,
 * no sandbox (root), no background networking (the network is closed), and a
 * route that aborts every request leaving loopback (recorded, so a test can
 * fail on them or ignore expected CDN misses).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** In CI the browser must be there; on a developer machine without it the browser tests say so and skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI']) throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get`);
  return false;
}

export interface HeadlessBrowser {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but loopback, aborted. */
  blocked: string[];
  close(): Promise<void>;
}

/** `locale`: the browser's language (navigator.language, Accept-Language), e.g. ja-JP for a Japanese user. */
export async function openBrowser(options: { locale?: string } = {}): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    ...(options.locale ? { locale: options.locale } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    if (protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    blocked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
