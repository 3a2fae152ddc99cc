/**
 * The Teams app template of this folder and how it is filled: manifest.json and
 * ja.json carry `${{NAME}}` placeholders; `readTeamsSettings` reads their values
 * from the environment (with defaults), `fillTemplate` puts them in. Pure: no
 * file or network access, so the packaging script and the tests share it.
 */

/** The files of the app package, all at the zip's root. */
export const TEMPLATE_FILE = 'manifest.json';
export const LOCALIZATION_FILES = ['ja.json'] as const;
/** Icon file → its width and height in pixels. */
export const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;
export type IconFile = keyof typeof ICONS;

export const PACKAGE_FILE_NAME = 'azure-backup-troubleshooter-teams.zip';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What Teams accepts as an app version: MAJOR.MINOR.PATCH, numbers only. */
const APP_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const DEFAULT_NAMES = {
  short: 'Azure Backup Troubleshooter',
  full: 'Azure VM Backup Troubleshooter: agent and extension errors',
  shortJa: 'Azure Backup トラブルシューター',
  fullJa: 'Azure VM バックアップ トラブルシューター (エージェント・拡張機能のエラー)',
} as const;
export const DEFAULT_DEVELOPER_NAME = 'azure-backup-troubleshooter';

/** The values of the placeholders, named as in the templates. */
export interface TeamsAppSettings {
  MicrosoftAppId: string;
  TEAMS_APP_ID: string;
  TEAMS_APP_VERSION: string;
  TEAMS_APP_SHORT_NAME: string;
  TEAMS_APP_NAME: string;
  TEAMS_APP_SHORT_NAME_JA: string;
  TEAMS_APP_NAME_JA: string;
  TEAMS_DEVELOPER_NAME: string;
  TEAMS_DEVELOPER_WEBSITE_URL: string;
  TEAMS_DEVELOPER_PRIVACY_URL: string;
  TEAMS_DEVELOPER_TERMS_URL: string;
}

export interface SettingDefaults {
  /** package.json's version. */
  version: string;
  /** The project's page (README), without a #fragment: the developer links point into it. */
  projectUrl: string;
}

/** A variable of the environment has a value the package cannot be built with. */
export class TeamsSettingsError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable} ${detail}`);
    this.name = 'TeamsSettingsError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

function guid(env: Env, variable: string, detail: string): string | undefined {
  const value = text(env, variable);
  if (value !== undefined && !GUID.test(value)) throw new TeamsSettingsError(variable, `must be ${detail} (a GUID such as 00000000-0000-0000-0000-000000000000), got "${value}"`);
  return value;
}

function limited(variable: string, value: string, max: number): string {
  if ([...value].length > max) throw new TeamsSettingsError(variable, `must be at most ${max} characters, got ${[...value].length}: "${value}"`);
  return value;
}

function httpsUrl(env: Env, variable: string, fallback: string): string {
  const value = text(env, variable) ?? fallback;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') throw new TeamsSettingsError(variable, `must be an https:// URL, got "${value}"`);
  return limited(variable, value, 2048);
}

/**
 * The placeholder values from the environment. MicrosoftAppId (the bot's app id)
 * is required; the Teams app id defaults to it. A name set for English is used
 * for Japanese too unless a Japanese one is set, so a renamed app keeps one name.
 */
export function readTeamsSettings(env: Env, defaults: SettingDefaults): TeamsAppSettings {
  const botId = guid(env, 'MicrosoftAppId', "the bot's app id");
  if (!botId) throw new TeamsSettingsError('MicrosoftAppId', "is not set: it must be the bot's app id (a GUID), the Microsoft App ID of its Azure Bot resource");
  const appId = guid(env, 'TEAMS_APP_ID', 'the Teams app id') ?? botId;

  const version = text(env, 'TEAMS_APP_VERSION') ?? defaults.version;
  if (!APP_VERSION.test(version)) {
    const variable = text(env, 'TEAMS_APP_VERSION') ? 'TEAMS_APP_VERSION' : 'TEAMS_APP_VERSION (default: package.json version)';
    throw new TeamsSettingsError(variable, `must be MAJOR.MINOR.PATCH with numbers only (e.g. 1.0.0), got "${version}"`);
  }

  const fullName = text(env, 'TEAMS_APP_NAME');
  const shortName = text(env, 'TEAMS_APP_SHORT_NAME');
  if (fullName && !shortName && [...fullName].length > 30) {
    throw new TeamsSettingsError('TEAMS_APP_SHORT_NAME', `must be set (at most 30 characters) when TEAMS_APP_NAME is longer than 30 characters ("${fullName}")`);
  }
  const renamed = fullName !== undefined || shortName !== undefined;
  const short = shortName ?? fullName ?? DEFAULT_NAMES.short;
  const full = fullName ?? shortName ?? DEFAULT_NAMES.full;

  const home = defaults.projectUrl.replace(/#.*$/, '');
  return {
    MicrosoftAppId: botId,
    TEAMS_APP_ID: appId,
    TEAMS_APP_VERSION: version,
    TEAMS_APP_SHORT_NAME: limited(shortName ? 'TEAMS_APP_SHORT_NAME' : 'TEAMS_APP_NAME', short, 30),
    TEAMS_APP_NAME: limited(fullName ? 'TEAMS_APP_NAME' : 'TEAMS_APP_SHORT_NAME', full, 100),
    TEAMS_APP_SHORT_NAME_JA: limited('TEAMS_APP_SHORT_NAME_JA', text(env, 'TEAMS_APP_SHORT_NAME_JA') ?? (renamed ? short : DEFAULT_NAMES.shortJa), 30),
    TEAMS_APP_NAME_JA: limited('TEAMS_APP_NAME_JA', text(env, 'TEAMS_APP_NAME_JA') ?? (renamed ? full : DEFAULT_NAMES.fullJa), 100),
    TEAMS_DEVELOPER_NAME: limited('TEAMS_DEVELOPER_NAME', text(env, 'TEAMS_DEVELOPER_NAME') ?? DEFAULT_DEVELOPER_NAME, 32),
    TEAMS_DEVELOPER_WEBSITE_URL: httpsUrl(env, 'TEAMS_DEVELOPER_WEBSITE_URL', `${home}#readme`),
    TEAMS_DEVELOPER_PRIVACY_URL: httpsUrl(env, 'TEAMS_DEVELOPER_PRIVACY_URL', `${home}#privacy`),
    TEAMS_DEVELOPER_TERMS_URL: httpsUrl(env, 'TEAMS_DEVELOPER_TERMS_URL', `${home}#licence-and-sources`),
  };
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A placeholder of the template that has no value. */
export class TemplateError extends Error {
  constructor(readonly file: string, readonly placeholder: string) {
    super(`${file} has a placeholder \${{${placeholder}}} that the packaging does not know`);
    this.name = 'TemplateError';
  }
}

/**
 * A copy of the parsed template with every `${{NAME}}` in its strings (keys and
 * values) replaced. Values are inserted as they are, never re-read as placeholders
 * or as JSON, so a name with quotes or braces cannot change the manifest's shape.
 */
export function fillTemplate<T>(template: T, values: Readonly<Record<string, string>>, file = TEMPLATE_FILE): T {
  const fill = (value: string) =>
    value.replace(PLACEHOLDER, (_, name: string) => {
      const replacement = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
      if (replacement === undefined) throw new TemplateError(file, name);
      return replacement;
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, value]) => [fill(key), walk(value)]));
    return node;
  };
  return walk(template) as T;
}

/** The placeholders a template uses, in order of first use. */
export function placeholdersOf(template: unknown): string[] {
  return [...new Set([...JSON.stringify(template).matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** JSON pointer (as in schema errors, e.g. "/name/short") of each template string with placeholders → their names. */
export function placeholderPointers(template: unknown): Map<string, string[]> {
  const pointers = new Map<string, string[]>();
  const walk = (node: unknown, pointer: string) => {
    if (typeof node === 'string') {
      const names = placeholdersOf(node);
      if (names.length > 0) pointers.set(pointer, names);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  walk(template, '');
  return pointers;
}
