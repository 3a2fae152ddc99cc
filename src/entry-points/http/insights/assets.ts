/**
 * The dashboard's files, served by this server like the web chat's: its script
 * and style from public/insights/, and Chart.js's UMD bundle from node_modules
 * (no CDN). Links carry `?v=<hash>` so browsers may keep them for a year.
 */
import { dirname, join } from 'node:path';
import { PUBLIC_DIR, StaticAsset } from '../webchat/static-assets';

export const ASSET_ROUTES = {
  chartScript: '/insights/chart.umd.js',
  pageScript: '/insights/dashboard.js',
  pageStyle: '/insights/dashboard.css',
} as const;

export type AssetName = keyof typeof ASSET_ROUTES;

/** Chart.js exports no subpaths: its UMD bundle is found beside its CommonJS entry (dist/chart.cjs). */
export function chartBundlePath(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

export interface InsightsAssets {
  files: Record<AssetName, StaticAsset>;
  versions: Record<AssetName, string>;
  /** The links the pages use, with their versions. */
  links: Record<AssetName, string>;
}

export function insightsAssets(): InsightsAssets {
  const script = 'application/javascript; charset=utf-8';
  const files: Record<AssetName, StaticAsset> = {
    chartScript: new StaticAsset(chartBundlePath(), script),
    pageScript: new StaticAsset(join(PUBLIC_DIR, 'insights', 'dashboard.js'), script),
    pageStyle: new StaticAsset(join(PUBLIC_DIR, 'insights', 'dashboard.css'), 'text/css; charset=utf-8'),
  };
  const names = Object.keys(ASSET_ROUTES) as AssetName[];
  const versions = Object.fromEntries(names.map((name) => [name, files[name].version()])) as Record<AssetName, string>;
  const links = Object.fromEntries(names.map((name) => [name, `${ASSET_ROUTES[name]}?v=${versions[name]}`])) as Record<AssetName, string>;
  return { files, versions, links };
}
