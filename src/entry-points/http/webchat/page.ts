/**
 * The HTML of the web chat page and its Content-Security-Policy. The page
 * carries its configuration as JSON in a non-executable script element (every
 * `<` escaped); public/webchat/page.js reads it, gets a token and renders Web
 * Chat. Nothing on the page comes from outside this server, and the policy
 * says so: scripts from here only, styles from here or with the page's nonce
 * (Web Chat's emotion styles get it), connections to here and, in production,
 * to the Direct Line service.
 */
import type { PageOptions } from './page-options';
import { initialsOf } from './page-options';

/** How the page connects: the local stand-in, the Direct Line service, or not at all. */
export type ConnectionMode =
  | { mode: 'local'; tokenUrl: string; domainPath: string }
  | { mode: 'service'; tokenUrl: string; domain: string }
  | { mode: 'unavailable' };

export interface PageConfig {
  mode: ConnectionMode['mode'];
  /** POST here for `{ token, expires_in, conversationId }`. */
  tokenUrl?: string;
  /** Direct Line domain: absolute (service) or a path on this server (local). */
  domain?: string;
  domainIsPath?: boolean;
  webSocket: boolean;
  pollingInterval?: number;
  locale: PageOptions['locale'];
  language: 'ja' | 'en';
  botName: string;
  initials: string;
  avatar?: string;
  colors: PageOptions['colors'];
  nonce: string;
  /** Options of the query string that were not valid and were left out (the page logs them). */
  ignoredOptions?: string[];
}

export const DEFAULT_BOT_NAMES = { ja: 'Azure VM バックアップ トラブルシューター', en: 'Azure VM Backup troubleshooter' } as const;

const TEXTS = {
  ja: { noScript: 'このページを使うには JavaScript を有効にしてください。', chat: 'チャット' },
  en: { noScript: 'Please turn on JavaScript to use this page.', chat: 'Chat' },
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that is safe inside a script element: no `<` (so no `</script>`), no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function pageConfig(options: PageOptions, connection: ConnectionMode, nonce: string): PageConfig {
  const language = options.locale === 'ja-JP' ? 'ja' : 'en';
  const name = options.botName ?? DEFAULT_BOT_NAMES[language];
  const base = {
    locale: options.locale,
    language,
    botName: name,
    initials: initialsOf(name),
    ...(options.avatar ? { avatar: options.avatar } : {}),
    colors: options.colors,
    nonce,
  } as const;
  switch (connection.mode) {
    case 'local':
      // The stand-in has no WebSocket; polling twice a second keeps the chat brisk on one machine.
      return { ...base, mode: 'local', tokenUrl: connection.tokenUrl, domain: connection.domainPath, domainIsPath: true, webSocket: false, pollingInterval: 500 };
    case 'service':
      return { ...base, mode: 'service', tokenUrl: connection.tokenUrl, domain: connection.domain, domainIsPath: false, webSocket: true };
    default:
      return { ...base, mode: 'unavailable', webSocket: false };
  }
}

export function renderPage(config: PageConfig, assets: { webChatScript: string; pageScript: string; pageStyle: string; icon: string }): string {
  const texts = TEXTS[config.language];
  return `<!DOCTYPE html>
<html lang="${config.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${escapeHtml(config.botName)}</title>
<link rel="icon" href="${escapeHtml(assets.icon)}" type="image/svg+xml">
<link rel="stylesheet" href="${escapeHtml(assets.pageStyle)}">
<script type="application/json" id="webchat-config">${jsonForScript(config)}</script>
</head>
<body>
<header class="bar">
<span class="bar__avatar" aria-hidden="true"></span>
<h1 class="bar__title">${escapeHtml(config.botName)}</h1>
</header>
<div id="notice" class="notice" role="status" hidden></div>
<main id="webchat" class="webchat" aria-label="${escapeHtml(`${texts.chat}: ${config.botName}`)}"></main>
<noscript><p class="notice">${escapeHtml(texts.noScript)}</p></noscript>
<script src="${escapeHtml(assets.webChatScript)}" defer></script>
<script src="${escapeHtml(assets.pageScript)}" defer></script>
</body>
</html>
`;
}

/**
 * The hash of an empty style element. Web Chat gives its nonce to its own emotion
 * styles but not to react-scroll-to-bottom's, which creates an empty <style> and
 * fills it through the CSSOM (which CSP does not govern). Allowing exactly the
 * empty element keeps 'unsafe-inline' out.
 */
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * Sources the page may connect to: this server, plus the Direct Line service (https and its WebSocket).
 * `blob:`: Web Chat reads a file picked with the upload button from its blob: URL before it uploads it.
 */
export function contentSecurityPolicy(config: PageConfig, frameAncestors: readonly string[] | undefined): string {
  const connect = ["'self'"];
  if (config.mode === 'service' && config.domain) {
    const service = new URL(config.domain);
    connect.push(service.origin, `${service.protocol === 'https:' ? 'wss:' : 'ws:'}//${service.host}`);
  }
  connect.push('blob:');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${config.nonce}' '${EMPTY_STYLE_HASH}'`,
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src ${connect.join(' ')}`,
    // Web Chat draws an uploaded picture's thumbnail in a worker it creates from a blob: URL.
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors && frameAncestors.length > 0 ? ["'self'", ...frameAncestors].join(' ') : '*'}`,
  ].join('; ');
}
