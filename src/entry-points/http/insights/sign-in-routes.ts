/**
 * The sign-in form, for browsers (they cannot send a bearer token by themselves):
 *
 *   GET  /insights/sign-in   the form (?lang=ja|en)
 *   POST /insights/sign-in   token=… (urlencoded) → the session cookie and 303 to /insights, or 401 and the form again
 *
 * Only while a token is configured with auth on; otherwise these routes are
 * not there (404). The token is compared in constant time and never logged.
 */
import type { TLSSocket } from 'node:tls';
import type { Request, Response, Server } from 'restify';
import type { Language } from '../../../domain/knowledge/schema';
import type { Logger } from '../../../logger';
import { isLocalCaller, type InsightsAccess } from './access';
import { renderSignIn, type PageAssets } from './page';
import { redirect, searchParamsOf, sendHtml, sendJsonError, sendNotFound } from './responses';
import { sameSecret, sessionCookieHeader, sessionCookieValue } from './session-cookie';
import { INSIGHTS_TEXTS, insightsLanguage } from './texts';

export const SIGN_IN_ROUTE = '/insights/sign-in';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The parsed form (restify's body parser, mounted by request-limits.ts, turns urlencoded bodies into an object). */
function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The cookie is Secure unless the browser is on this machine over plain http
 * (`npm start` and tests): a Secure cookie would never come back there. Behind a
 * TLS-terminating proxy the request is not from loopback, so Secure stays.
 */
function needsSecureCookie(req: Request): boolean {
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  return encrypted || !isLocalCaller({ remoteAddress: req.socket.remoteAddress, headers: req.headers });
}

export function mountSignInRoutes(server: Server, access: InsightsAccess, assets: PageAssets, logger: Logger): void {
  const languageOf = (req: Request, given?: string): Language => insightsLanguage(given ?? searchParamsOf(req).get('lang'), req.headers['accept-language']);
  const form = (res: Response, status: number, language: Language, failed: boolean) =>
    sendHtml(res, status, renderSignIn({ language, texts: INSIGHTS_TEXTS[language], failed }, assets));

  server.get(SIGN_IN_ROUTE, async (req, res) => {
    if (access.kind !== 'token') return sendNotFound(req, res);
    form(res, 200, languageOf(req), false);
  });

  server.post(SIGN_IN_ROUTE, async (req, res) => {
    if (access.kind !== 'token') return sendNotFound(req, res);
    if (req.getContentType() !== FORM_TYPE) return sendJsonError(res, 415, 'UnsupportedMediaType', `send the form as ${FORM_TYPE}`);
    const language = languageOf(req, formField(req.body, 'lang'));
    const token = formField(req.body, 'token');
    if (token === undefined || !sameSecret(token, access.token)) {
      logger.log('info', 'insights-sign-in', { outcome: 'refused' });
      return form(res, 401, language, true);
    }
    logger.log('info', 'insights-sign-in', { outcome: 'signed-in' });
    redirect(res, `/insights?lang=${language}`, { 'set-cookie': sessionCookieHeader(sessionCookieValue(access.token), needsSecureCookie(req)) });
  });
}
