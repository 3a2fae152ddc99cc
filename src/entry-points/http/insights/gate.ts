/**
 * The check in front of every insights route: the verdict of access.ts turned
 * into an answer that suits what was asked for. A browser opening the page
 * without credentials is sent to the sign-in form; a script asking for data
 * hears 401; anyone the dashboard is hidden from gets restify's own 404.
 * Refusals are logged by route and reason, never with a token or a cookie.
 */
import type { Request, Response } from 'restify';
import type { Logger } from '../../../logger';
import { judge, type InsightsAccess } from './access';
import { redirect, searchParamsOf, sendNotFound, sendUnauthorized } from './responses';

/** `page`: HTML for people; `data`: JSON, CSV and scripts; `public`: needed by the sign-in form itself (the stylesheet). */
export type RouteKind = 'page' | 'data' | 'public';

export type Gate = (req: Request, res: Response, kind: RouteKind) => boolean;

export function createGate(access: InsightsAccess, logger: Logger): Gate {
  return (req, res, kind) => {
    const verdict = judge(access, { remoteAddress: req.socket.remoteAddress, headers: req.headers });
    if (verdict === 'allowed') return true;
    if (verdict === 'hidden') {
      sendNotFound(req, res);
      return false;
    }
    if (kind === 'public') return true;
    if (verdict === 'refused') {
      logger.log('info', 'insights-refused', { route: req.getPath(), reason: 'wrong bearer token' });
      sendUnauthorized(res, 'the bearer token is not right');
      return false;
    }
    if (kind === 'page') {
      const lang = searchParamsOf(req).get('lang');
      redirect(res, `/insights/sign-in${lang === 'ja' || lang === 'en' ? `?lang=${lang}` : ''}`);
      return false;
    }
    sendUnauthorized(res, 'sign in at /insights/sign-in, or send Authorization: Bearer <INSIGHTS_TOKEN>');
    return false;
  };
}
