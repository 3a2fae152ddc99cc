/** The answers the insights routes share: pages under their policy, JSON errors, "not here", "sign in". */
import type { Request, Response } from 'restify';
import { insightsPolicy } from './page';
import type { ParameterProblem } from '../../../domain/insights/query-parameters';

export function sendHtml(res: Response, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': insightsPolicy(),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  res.end(html);
}

export function sendJsonError(res: Response, status: number, code: string, message: string, fields: Record<string, string> = {}): void {
  res.header('cache-control', 'no-store');
  res.header('x-content-type-options', 'nosniff');
  res.json(status, { error: { code, message, ...fields } });
}

export function sendProblem(res: Response, problem: ParameterProblem): void {
  sendJsonError(res, 400, 'InvalidParameter', problem.message, { parameter: problem.parameter });
}

/** Exactly what restify says for a route it does not have: a hidden dashboard looks absent. */
export function sendNotFound(req: Request, res: Response): void {
  res.json(404, { code: 'ResourceNotFound', message: `${req.getPath()} does not exist` });
}

export function sendUnauthorized(res: Response, message: string): void {
  res.header('www-authenticate', 'Bearer realm="insights"');
  sendJsonError(res, 401, 'Unauthorized', message);
}

export function redirect(res: Response, location: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...extra });
  res.end();
}

export function searchParamsOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://local').searchParams;
}
