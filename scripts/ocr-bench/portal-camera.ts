/**
 * Screenshots of an Azure-portal-like "Error details" pane, drawn in headless
 * Chromium for the OCR tests and `npm run bench -- --ocr`: a small page written
 * here (no portal assets), in English or Japanese, with or without the portal's
 * chrome around it (top bar, breadcrumb, the job list), at any device scale, as
 * PNG or JPEG, whole or cropped to one element. Also pictures that are not
 * errors at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, kept off the network (as test/support/webchat-browser.ts launches it). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ErrorPane {
  language: 'en' | 'ja';
  /** Left out: a pane that shows only the message (a user who cropped the code away). */
  code?: string;
  message: string;
  action: string;
}

export interface ShotOptions {
  chrome: boolean;
  scale: 1 | 1.5;
  format: 'png' | 'jpeg';
  /** A CSS selector to crop to (e.g. '#message'). */
  crop?: string;
}

const LABELS = {
  en: { title: 'Error details', code: 'Error code', message: 'Error message', action: 'Recommended action', job: 'Backup job', status: 'Failed' },
  ja: { title: 'エラーの詳細', code: 'エラー コード', message: 'エラー メッセージ', action: '推奨される操作', job: 'バックアップ ジョブ', status: '失敗' },
} as const;

const FONTS = "'Segoe UI', 'Noto Sans CJK JP', 'Liberation Sans', sans-serif";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

function paneHtml(pane: ErrorPane): string {
  const t = LABELS[pane.language];
  const field = (id: string, label: string, value: string): string =>
    `<div id="${id}" class="field"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
  return `<section id="pane" class="pane"><h2>${escapeHtml(t.title)}</h2>
    ${pane.code ? field('code', t.code, pane.code) : ''}${field('message', t.message, pane.message)}${field('action', t.action, pane.action)}</section>`;
}

function chromeHtml(pane: ErrorPane, inner: string): string {
  const t = LABELS[pane.language];
  return `<header class="topbar"><b>Microsoft Azure</b><span class="search">Search resources, services, and docs (G+/)</span></header>
  <nav class="crumbs">Home &gt; Recovery Services vaults &gt; vault-prod &gt; ${escapeHtml(t.job)}</nav>
  <main class="layout"><aside class="jobs"><h3>${escapeHtml(t.job)}</h3>
    <table><tr><th>vm-web01</th><td>${escapeHtml(t.status)}</td></tr><tr><td>12/07/2026 02:00</td><td>00:31:12</td></tr></table></aside>${inner}</main>`;
}

export function portalPage(pane: ErrorPane, chrome: boolean): string {
  const body = chrome ? chromeHtml(pane, paneHtml(pane)) : paneHtml(pane);
  return `<!doctype html><html lang="${pane.language}"><head><meta charset="utf-8"><style>
    body { margin: 0; font-family: ${FONTS}; font-size: 13px; color: #323130; background: #fff; }
    .topbar { background: #0f6cbd; color: #fff; padding: 10px 16px; display: flex; gap: 48px; }
    .search { background: #fff; color: #605e5c; padding: 2px 12px; border-radius: 2px; width: 360px; }
    .crumbs { padding: 8px 16px; color: #0f6cbd; }
    .layout { display: flex; }
    .jobs { width: 260px; padding: 0 16px; border-right: 1px solid #e1dfdd; }
    .jobs td, .jobs th { padding: 4px 8px 4px 0; text-align: left; font-weight: normal; }
    .pane { width: 600px; padding: 16px 24px; }
    h2 { font-size: 20px; font-weight: 600; margin: 0 0 16px; }
    .field { margin-top: 12px; }
    .label { color: #605e5c; }
    .value { margin-top: 4px; }
  </style></head><body>${body}</body></html>`;
}

/** A photo-like picture: soft gradients and a blurred shape, no text. */
const PHOTO = `<!doctype html><html><body style="margin:0"><div style="width:640px;height:400px;background:radial-gradient(circle at 30% 40%, #f4c27a, #8a4f2a 40%, #1e3550 80%)">
  <div style="position:absolute;left:120px;top:200px;width:300px;height:120px;border-radius:50%;background:radial-gradient(#6b8e23,#2f4f2f);filter:blur(6px)"></div></div></body></html>`;

/** A rendered chart: bars, a title and axis labels (text, but no error). */
const CHART = `<!doctype html><html><body style="margin:0;font-family:${FONTS}"><svg width="640" height="400">
  ${Array.from({ length: 12 }, (_, i) => `<rect x="${40 + i * 48}" y="${360 - ((i * 37) % 300)}" width="30" height="${((i * 37) % 300) + 20}" fill="#0078d4"/>`).join('')}
  <text x="40" y="30" font-size="18">Percentage CPU (Avg) vm-web01</text><text x="40" y="395" font-size="11">00:00 04:00 08:00 12:00 16:00 20:00</text></svg></body></html>`;

/** The portal's job pane with nothing in it yet. */
const EMPTY_PANE = `<!doctype html><html><body style="margin:0"><div style="width:640px;height:400px;border:1px solid #e1dfdd;background:#faf9f8"></div></body></html>`;

export const UNRELATED_PAGES = { photo: PHOTO, chart: CHART, 'empty-pane': EMPTY_PANE } as const;

export class PortalCamera {
  private constructor(
    private readonly browser: Browser,
    private readonly saveTo: string | undefined,
  ) {}

  /** `saveTo`: a folder where each picture is also written, to look at. */
  static async open(saveTo?: string): Promise<PortalCamera> {
    return new PortalCamera(await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }), saveTo);
  }

  /** Draws `html` and returns the picture's bytes (also written to `saveTo`/<name>). */
  async shoot(name: string, html: string, options: ShotOptions): Promise<Buffer> {
    const context = await this.browser.newContext({ deviceScaleFactor: options.scale, viewport: { width: options.chrome ? 940 : 660, height: 420 } });
    // The pages load nothing; anything that tries leaves no machine.
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      // Fonts are local (Noto CJK, Liberation): wait until they are in use.
      await page.evaluate('document.fonts.ready');
      const shot = { type: options.format, ...(options.format === 'jpeg' ? { quality: 60 } : {}) } as const;
      const bytes = options.crop ? await page.locator(options.crop).screenshot(shot) : await page.screenshot(shot);
      if (this.saveTo) {
        mkdirSync(this.saveTo, { recursive: true });
        writeFileSync(join(this.saveTo, `${name}.${options.format === 'jpeg' ? 'jpg' : 'png'}`), bytes);
      }
      return bytes;
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
