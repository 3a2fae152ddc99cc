/**
 * The figures and the export:
 *
 *   GET /insights/data.json?since=&until=&abandonAfter=    readInsights as JSON (figures.ts's Insights)
 *   GET /insights/sessions.csv?since=&until=&abandonAfter=  one row a session (sessions-csv.ts)
 *
 * Both are computed when asked and never cached: they change with every session.
 */
import type { Request, Response, Server } from 'restify';
import { causesInArticleOrder } from '../../../domain/insights/article-order';
import { periodBounds } from '../../../domain/insights/figures';
import type { InsightsStore } from '../../../domain/insights/insights-store';
import { readInsights } from '../../../domain/insights/read-insights';
import { sessionsCsv } from '../../../domain/insights/sessions-csv';
import { describeError, type Logger } from '../../../logger';
import type { Gate } from './gate';
import { parseInsightsParameters, type InsightsParameters } from '../../../domain/insights/query-parameters';
import { searchParamsOf, sendJsonError, sendProblem } from './responses';

export const DATA_ROUTE = '/insights/data.json';
export const CSV_ROUTE = '/insights/sessions.csv';

export function mountDataRoutes(server: Server, store: InsightsStore, gate: Gate, logger: Logger): void {
  /** The parameters, or the 400 already sent; the store's failures become 500 with the error in the log. */
  const answer = async (req: Request, res: Response, respond: (parameters: InsightsParameters) => Promise<void>): Promise<void> => {
    if (!gate(req, res, 'data')) return;
    const parsed = parseInsightsParameters(searchParamsOf(req));
    if (!parsed.ok) return sendProblem(res, parsed.problem);
    try {
      await respond(parsed.value);
    } catch (error) {
      logger.log('error', 'insights-read-failed', { route: req.getPath(), ...describeError(error) });
      sendJsonError(res, 500, 'InsightsUnavailable', 'the figures could not be read');
    }
  };

  server.get(DATA_ROUTE, async (req, res) => {
    await answer(req, res, async ({ period, abandonAfterMinutes }) => {
      const insights = await readInsights(store, { period, abandonAfterMinutes, causesOf: causesInArticleOrder });
      res.header('cache-control', 'no-store');
      res.header('x-content-type-options', 'nosniff');
      res.json(200, insights);
    });
  });

  server.get(CSV_ROUTE, async (req, res) => {
    await answer(req, res, async ({ period, abandonAfterMinutes }) => {
      const { since, until } = periodBounds(period);
      const csv = sessionsCsv(await store.sessionsStartedBetween(since, until), new Date(), abandonAfterMinutes);
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="insights-${period.since}-${period.until}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(csv);
    });
  });
}
