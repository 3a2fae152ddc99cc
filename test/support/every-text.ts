/**
 * Every text the bot can show, found rather than listed: the string leaves of
 * every JSON file under the content folder, every exported per-language table
 * (`{ ja, en }`) of src/domain/i18n with its sentence functions called on
 * realistic values, and every card as rendered (every-card.ts). A new content
 * file, a new text table or a new card is scanned without touching this file;
 * a sentence function with a parameter nobody has a sample for fails loudly.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { describeEvidence, EVIDENCE_TEXTS } from '../../src/domain/i18n/evidence-texts';
import { describeDelay } from '../../src/domain/follow-up/follow-up';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import { CAUSE_IDS, ERROR_IDS, LANGUAGES, type Language } from '../../src/domain/knowledge/schema';
import { PROJECT_ROOT } from '../../src/project-root';
import { cardObjects } from '../domain/cards/card-checks';
import { everyCard } from './every-card';

export interface ShownText {
  language: Language;
  /** Where it comes from: a file and a path in it, or a card. */
  where: string;
  text: string;
  /** Copied as is by the user (a monospace block): commands and pasted text, not wording. */
  verbatim?: boolean;
}

export const CONTENT_DIR = join(PROJECT_ROOT, 'src/domain/knowledge/content');
export const I18N_DIR = join(PROJECT_ROOT, 'src/domain/i18n');

/** Keys whose values are identifiers, commands or links, not wording. */
const NOT_WORDING = new Set(['id', 'kind', 'os', 'appliesTo', 'language', 'revision', 'code', 'url', 'anchor', 'causes', 'category', 'causeId', '$comment', '$schema']);

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, extension);
    return name.endsWith(extension) ? [path] : [];
  });
}

function stringLeaves(value: unknown, path: string, found: { path: string; text: string }[]): void {
  if (typeof value === 'string') found.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, index) => stringLeaves(item, `${path}[${index}]`, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (!NOT_WORDING.has(key)) stringLeaves(item, path ? `${path}.${key}` : key, found);
  }
}

/** The language of a content file: its `language` field, else `ja`/`en` in its name or folder. */
function languageOfFile(file: string, json: unknown): Language {
  const declared = (json as { language?: unknown }).language;
  if (declared === 'ja' || declared === 'en') return declared;
  const match = /(?:^|[./_-])(ja|en)(?:[./_-]|$)/.exec(relative(CONTENT_DIR, file));
  if (match) return match[1] as Language;
  throw new Error(`${file}: cannot tell its language (no "language" field, no ja/en in its name)`);
}

export function contentTexts(): ShownText[] {
  return filesUnder(CONTENT_DIR, '.json').flatMap((file) => {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const language = languageOfFile(file, json);
    const found: { path: string; text: string }[] = [];
    stringLeaves(json, '', found);
    return found.map(({ path, text }) => ({ language, where: `${relative(PROJECT_ROOT, file)}: ${path}`, text }));
  });
}

/** Realistic values per parameter name, per language; several values give several sentences. */
function samples(language: Language): Record<string, readonly unknown[]> {
  const knowledge = defaultLibrary()[language];
  const t = CARD_TEXTS[language];
  const ja = language === 'ja';
  const errorTitles = ERROR_IDS.map((id) => knowledge.error(id).title);
  return {
    codes: [['UserErrorGuestAgentStatusUnavailable'], ['ExtentionOperationFailed', 'ExtensionOperationFailedForManagedDisks']],
    percent: [93],
    errorTitle: errorTitles,
    currentTitle: errorTitles.slice(0, 1),
    nextTitle: errorTitles.slice(1, 2),
    causeTitle: CAUSE_IDS.map((id) => knowledge.cause(id).title),
    current: [2],
    total: [5],
    position: [3],
    buttonTitle: [t.cause.next, t.buttons.helpdesk],
    helpdeskButton: [t.buttons.helpdesk],
    delay: [describeDelay(24 * 3_600_000, language), describeDelay(30 * 60_000, language)],
    vmName: ['vm-web-01', undefined],
    caseId: ['7f3a9c2e-1b4d-4e5f-8a6b-9c0d1e2f3a4b'],
    name: ['Aiko Tanaka', '田中 愛子', undefined],
    contact: ['helpdesk@contoso.com', ja ? 'IT ヘルプデスク (内線 1234)' : 'the IT helpdesk (ext. 1234)', undefined],
    reference: ['INC0012345'],
    kilobytes: [64],
    limit: [28],
    limitKilobytes: [28],
    problem: ['empty', 'too-large', 'invalid-utf8', 'binary'],
    message: [ja ? 'VM エージェントが Azure Backup と通信できません' : 'VM Agent unable to communicate with Azure Backup'],
    code: ['UserErrorGuestAgentStatusUnavailable'],
    reading: ['', EVIDENCE_TEXTS[language].reading('UserErrorGuestAgentStatusUnavailabel', true)],
    written: ['UserErrorGuestAgentStatusUnavailabel', undefined],
    cutShort: [false, true],
    terms: [ja ? ['エージェント', '応答しない'] : ['vm agent', 'not responding']],
    os: ['windows', 'linux'],
    step: [ja ? 'VM 内で PowerShell を開きます。' : 'In the VM, open PowerShell.'],
    evidence: [describeEvidence({ kind: 'code', code: 'ExtensionSnapshotFailedNoNetwork', elsewhere: false, cutShort: false }, language)],
    shortened: [false, true],
    // The current article's section titles and a moved page's label (issue 12).
    sectionTitle: [ja ? 'VM エージェントが Azure Backup と通信できない' : 'The VM agent is unable to communicate with Azure Backup'],
    label: [ja ? '.NET Framework のバージョンを確認する' : 'Determine which .NET Framework versions are installed'],
  };
}

/** The parameter names of a sentence function, read from its source: `(a, b) => …`, `a => …`, `function (a) {…}`. */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = fn.toString();
  const list = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(source)?.[1] ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source)?.[1] ?? '';
  return list
    .split(',')
    .map((part) => part.replace(/=.*$/s, '').trim())
    .filter((part) => part !== '');
}

function product(lists: readonly (readonly unknown[])[]): unknown[][] {
  return lists.reduce<unknown[][]>((combos, list) => combos.flatMap((combo) => list.map((value) => [...combo, value])), [[]]);
}

function tableTexts(value: unknown, where: string, language: Language, found: ShownText[], missing: Set<string>): void {
  if (typeof value === 'string') found.push({ language, where, text: value });
  else if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    const names = parameterNames(fn);
    const values = names.map((name) => samples(language)[name]);
    const unknown = names.filter((_name, index) => values[index] === undefined);
    if (unknown.length > 0) {
      unknown.forEach((name) => missing.add(`${where}(${name})`));
      return;
    }
    product(values as unknown[][]).forEach((args, index) => tableTexts(fn(...args), `${where}#${index}`, language, found, missing));
  } else if (Array.isArray(value)) value.forEach((item, index) => tableTexts(item, `${where}[${index}]`, language, found, missing));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) tableTexts(item, `${where}.${key}`, language, found, missing);
  }
}

function isLocalized(value: unknown): value is Record<Language, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  return keys.length === LANGUAGES.length && LANGUAGES.every((language) => keys.includes(language));
}

/** Every `{ ja, en }` export of src/domain/i18n/*.ts; `missing` lists sentence parameters without a sample. */
export function i18nTexts(): { texts: ShownText[]; missing: string[]; tables: string[] } {
  const texts: ShownText[] = [];
  const missing = new Set<string>();
  const tables: string[] = [];
  for (const file of filesUnder(I18N_DIR, '.ts')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is walked, so its modules are loaded by path
    const exports = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (!isLocalized(value)) continue;
      tables.push(`${basename(file)}: ${name}`);
      for (const language of LANGUAGES) tableTexts(value[language], `${relative(PROJECT_ROOT, file)}: ${name}.${language}`, language, texts, missing);
    }
  }
  return { texts, missing: [...missing], tables };
}

/** The wording of a rendered card: text blocks (monospace ones marked verbatim), facts, action titles, input labels. */
export function cardTexts(): ShownText[] {
  return LANGUAGES.flatMap((language) =>
    everyCard(language).flatMap(({ name, ctx, render }) =>
      cardObjects(render(ctx).card).flatMap((element): ShownText[] => {
        const where = `card ${name}: ${String(element.type)}`;
        const shown = (text: unknown, verbatim = false): ShownText[] => (typeof text === 'string' && text !== '' ? [{ language, where, text, ...(verbatim ? { verbatim } : {}) }] : []);
        if (element.type === 'TextBlock') return shown(element.text, element.fontType === 'Monospace');
        if (element.type === 'FactSet' && Array.isArray(element.facts)) {
          return (element.facts as { title?: unknown; value?: unknown }[]).flatMap((fact) => [...shown(fact.title), ...shown(fact.value)]);
        }
        if (String(element.type).startsWith('Action.')) return shown(element.title);
        if (String(element.type).startsWith('Input.')) return [...shown(element.label), ...shown(element.placeholder)];
        return [];
      }),
    ),
  );
}
