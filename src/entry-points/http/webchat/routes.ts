/**
 * The web chat: the page at /, its assets, the embed script, and how the page
 * connects. With DIRECT_LINE_SECRET the page gets tokens from
 * POST /api/directline/token and talks to the Direct Line service; without it,
 * while auth is off, it talks to the local Direct Line stand-in of this same
 * process; with auth on and no secret it says that the chat is not set up.
 *
 *   GET /                      the page (options in the query string, see page-options.ts)
 *   GET /embed.js              the embed script for other sites (data- attributes on its tag)
 *   GET /webchat/webchat.js    Web Chat's bundle from node_modules
 *   GET /webchat/page.js, /webchat/page.css, /webchat/avatar.svg
 *
 * Both token routes bind the token to the user id of the browser's signed
 * cookie (user-id-cookie.ts), so a user who comes back within a week is the
 * same user in a new conversation.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'restify';
import type { Config } from '../../../config';
import type { Logger } from '../../../logger';
import { LOCAL_DIRECT_LINE_PATH, mountLocalDirectLine, type LocalDirectLine, type LocalDirectLineOptions } from '../direct-line/local-direct-line';
import { TOKEN_ROUTE, mountTokenExchange } from '../direct-line/token-exchange';
import type { UserIdentifier } from '../direct-line/http-helpers';
import { parsePageOptions } from './page-options';
import { contentSecurityPolicy, pageConfig, renderPage, type ConnectionMode } from './page';
import { PUBLIC_DIR, StaticAsset, webChatBundlePath } from './static-assets';
import { userIdFromCookie } from './user-id-cookie';
import { loadWebChatUserIdKey, USER_ID_SECRET_VARIABLE, WebChatUserIdSigner, webChatUserIdKeySetting } from './user-id';

export interface WebChatRoutes {
  /** The local Direct Line stand-in, while auth is off. */
  localDirectLine?: LocalDirectLine;
  connection: ConnectionMode;
}

export interface WebChatOptions {
  localDirectLine?: Partial<Omit<LocalDirectLineOptions, 'logger' | 'identify'>>;
  /** Where WEBCHAT_USER_ID_SECRET is read (default: process.env; it is not part of Config yet). */
  env?: NodeJS.ProcessEnv;
}

const LOCAL_TOKEN_ROUTE = `${LOCAL_DIRECT_LINE_PATH}/tokens/generate`;

/**
 * The signer of the user id cookie. Read at start-up, so that a bad
 * WEBCHAT_USER_ID_SECRET or an unwritable DATA_DIR stops the server at once.
 * The log says where a new key file is, never the key.
 */
function userIdSigner(config: Config, env: NodeJS.ProcessEnv, logger: Logger): WebChatUserIdSigner {
  const { key, file } = loadWebChatUserIdKey(webChatUserIdKeySetting(env, config.dataDir));
  if (file?.created) logger.log('info', 'webchat-user-id-key-created', { path: file.path });
  if (file?.readable) logger.log('warn', 'webchat-user-id-key-readable', { path: file.path, hint: 'other accounts can read this file: chmod 600 it' });
  if (file && config.azureBlobStorage) {
    // Instances that share state but not DATA_DIR would each sign with their own key and forget each other's users.
    logger.log('warn', 'webchat-user-id-key-per-instance', { hint: `set ${USER_ID_SECRET_VARIABLE} to the same value on every instance` });
  }
  return new WebChatUserIdSigner(key);
}

export function mountWebChat(server: Server, config: Config, logger: Logger, options: WebChatOptions = {}): WebChatRoutes {
  const tokenRoutes = config.directLine !== undefined || !config.auth;
  const signer = tokenRoutes ? userIdSigner(config, options.env ?? process.env, logger) : undefined;
  const embedded = (config.webChatEmbedOrigins?.length ?? 0) > 0;
  const identify = (path: string): UserIdentifier => {
    // Without a token route (auth on, no secret) the exchange only answers 503 and never asks who the user is.
    if (!signer) return () => { throw new Error('the web chat issues no tokens on this server'); };
    return userIdFromCookie(signer, { path, embedded });
  };

  // The stand-in takes anyone's activities to the bot: only while the bot itself takes unauthenticated ones.
  const localDirectLine = config.auth ? undefined : mountLocalDirectLine(server, { logger, ...options.localDirectLine, identify: identify(LOCAL_TOKEN_ROUTE) });
  mountTokenExchange(server, { service: config.directLine, logger, localDirectLine: localDirectLine !== undefined, identify: identify(TOKEN_ROUTE) });

  const connection: ConnectionMode = config.directLine
    ? { mode: 'service', tokenUrl: TOKEN_ROUTE, domain: `${config.directLine.endpoint}/v3/directline` }
    : localDirectLine
      ? { mode: 'local', tokenUrl: LOCAL_TOKEN_ROUTE, domainPath: LOCAL_DIRECT_LINE_PATH }
      : { mode: 'unavailable' };

  const bundle = webChatBundlePath();
  const assets = {
    webChat: new StaticAsset(bundle.path, 'application/javascript; charset=utf-8'),
    pageScript: new StaticAsset(join(PUBLIC_DIR, 'webchat', 'page.js'), 'application/javascript; charset=utf-8'),
    pageStyle: new StaticAsset(join(PUBLIC_DIR, 'webchat', 'page.css'), 'text/css; charset=utf-8'),
    avatar: new StaticAsset(join(PUBLIC_DIR, 'webchat', 'avatar.svg'), 'image/svg+xml'),
    embed: new StaticAsset(join(PUBLIC_DIR, 'embed.js'), 'application/javascript; charset=utf-8', 300),
  };
  const versions = {
    webChat: bundle.version,
    pageScript: assets.pageScript.version(),
    pageStyle: assets.pageStyle.version(),
    avatar: assets.avatar.version(),
    embed: assets.embed.version(),
  };

  const frameAncestors = config.webChatEmbedOrigins;
  server.get('/', async (req, res) => {
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const { options: pageOptions, rejected } = parsePageOptions(query, req.headers['accept-language']);
    const nonce = randomBytes(16).toString('base64');
    const settings = { ...pageConfig(pageOptions, connection, nonce), ...(rejected.length > 0 ? { ignoredOptions: rejected } : {}) };
    const html = renderPage(settings, {
      webChatScript: `/webchat/webchat.js?v=${versions.webChat}`,
      pageScript: `/webchat/page.js?v=${versions.pageScript}`,
      pageStyle: `/webchat/page.css?v=${versions.pageStyle}`,
      icon: `/webchat/avatar.svg?v=${versions.avatar}`,
    });
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(settings, frameAncestors),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    res.end(html);
  });

  server.get('/webchat/webchat.js', async (req, res) => {
    await assets.webChat.serve(req, res, versions.webChat);
  });
  server.get('/webchat/page.js', async (req, res) => {
    await assets.pageScript.serve(req, res, versions.pageScript);
  });
  server.get('/webchat/page.css', async (req, res) => {
    await assets.pageStyle.serve(req, res, versions.pageStyle);
  });
  server.get('/webchat/avatar.svg', async (req, res) => {
    await assets.avatar.serve(req, res, versions.avatar);
  });
  server.get('/embed.js', async (req, res) => {
    await assets.embed.serve(req, res, versions.embed);
  });

  return { ...(localDirectLine ? { localDirectLine } : {}), connection };
}
