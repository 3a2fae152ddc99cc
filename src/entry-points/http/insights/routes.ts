/**
 * The helpdesk's insights dashboard:
 *
 *   GET  /insights                  the page (?lang=ja|en, else Accept-Language; ?since=&until=&abandonAfter= preset the period)
 *   GET  /insights/data.json        the figures of a period (data-routes.ts)
 *   GET  /insights/sessions.csv     the sessions of a period (data-routes.ts)
 *   GET  /insights/sign-in, POST    the sign-in form, with auth on and INSIGHTS_TOKEN (sign-in-routes.ts)
 *   GET  /insights/dashboard.js, /insights/dashboard.css, /insights/chart.umd.js
 *
 * Who may see them: access.ts. With auth on and no INSIGHTS_TOKEN none of these exist.
 */
import type { Server } from 'restify';
import type { Config } from '../../../config';
import { defaultPeriod } from '../../../domain/insights/figures';
import type { InsightsStore } from '../../../domain/insights/insights-store';
import { defaultLibrary } from '../../../domain/knowledge/load-articles';
import { CAUSE_IDS, ERROR_IDS, LANGUAGES, type Language } from '../../../domain/knowledge/schema';
import type { Logger } from '../../../logger';
import { insightsAccess } from './access';
import { ASSET_ROUTES, insightsAssets, type AssetName } from './assets';
import { CSV_ROUTE, DATA_ROUTE, mountDataRoutes } from './data-routes';
import { createGate, type RouteKind } from './gate';
import { renderDashboard, type DashboardSettings, type PageAssets } from './page';
import { DEFAULT_ABANDON_AFTER_MINUTES, MAX_ABANDON_AFTER_MINUTES, MAX_PERIOD_DAYS, parseInsightsParameters } from '../../../domain/insights/query-parameters';
import { searchParamsOf, sendHtml } from './responses';
import { CHECK_IDS } from '../../../domain/knowledge/current-schema';
import { defaultCurrentLibrary } from '../../../domain/knowledge/load-current';
import { CURRENT_GUIDANCE_TEXTS } from '../../../domain/i18n/current-guidance-texts';
import { mountSignInRoutes } from './sign-in-routes';
import { INSIGHTS_TEXTS, insightsLanguage } from './texts';

/** The article's titles in one language, for the page's labels. */
function titlesIn(language: Language): DashboardSettings['titles'] {
  const knowledge = defaultLibrary()[language];
  return {
    errors: Object.fromEntries(ERROR_IDS.map((id) => [id, knowledge.error(id).title])),
    causes: {
      ...Object.fromEntries(CAUSE_IDS.map((id) => [id, knowledge.cause(id).title])),
      // The current article's extra checks (issue 12), marked as such so the per-cause figures keep them apart.
      ...Object.fromEntries(CHECK_IDS.map((id) => [id, `${CURRENT_GUIDANCE_TEXTS[language].checks.source}: ${defaultCurrentLibrary()[language].check(id).title}`])),
    },
  };
}

export function mountInsights(server: Server, config: Config, store: InsightsStore, logger: Logger): void {
  const access = insightsAccess(config);
  const gate = createGate(access, logger);
  const assets = insightsAssets();
  const pageAssets: PageAssets = { ...assets.links, icon: '/webchat/avatar.svg' };
  const titles = Object.fromEntries(LANGUAGES.map((language) => [language, titlesIn(language)])) as Record<Language, DashboardSettings['titles']>;

  server.get('/insights', async (req, res) => {
    if (!gate(req, res, 'page')) return;
    const query = searchParamsOf(req);
    const language = insightsLanguage(query.get('lang'), req.headers['accept-language']);
    // A period in the address presets the form; a wrong one is ignored here (data.json says what is wrong with it).
    const parsed = parseInsightsParameters(query);
    const initial = parsed.ok ? parsed.value : { period: defaultPeriod(), abandonAfterMinutes: DEFAULT_ABANDON_AFTER_MINUTES };
    const settings: DashboardSettings = {
      language,
      locale: language === 'ja' ? 'ja-JP' : 'en-US',
      texts: INSIGHTS_TEXTS[language],
      titles: titles[language],
      dataUrl: DATA_ROUTE,
      csvUrl: CSV_ROUTE,
      initial,
      limits: { maxPeriodDays: MAX_PERIOD_DAYS, maxAbandonAfterMinutes: MAX_ABANDON_AFTER_MINUTES },
    };
    sendHtml(res, 200, renderDashboard(settings, pageAssets));
  });

  mountDataRoutes(server, store, gate, logger);
  mountSignInRoutes(server, access, pageAssets, logger);

  const kinds: Record<AssetName, RouteKind> = { chartScript: 'data', pageScript: 'data', pageStyle: 'public' };
  for (const name of Object.keys(ASSET_ROUTES) as AssetName[]) {
    server.get(ASSET_ROUTES[name], async (req, res) => {
      if (!gate(req, res, kinds[name])) return;
      await assets.files[name].serve(req, res, assets.versions[name]);
    });
  }
}
