/**
 * `npm run package:teams`: builds the Microsoft Teams app package from manifest/.
 * Fills the template with the bot id, names and developer links from the
 * environment (see manifest/template.ts), checks the result against the official
 * Teams schemas bundled in @microsoft/app-manifest (offline) and the icons, and
 * only then writes the zip: manifest.json, ja.json, color.png and outline.png at
 * its root. A refusal prints what to fix (no stack trace), writes nothing and
 * exits non-zero: 78 for a bad environment variable, 1 for anything else.
 *
 *   MicrosoftAppId=<guid> npm run package:teams [-- --out <file.zip>]
 *
 * The zip goes to --out, else $TEAMS_PACKAGE_OUT, else dist/teams/azure-backup-troubleshooter-teams.zip.
 */
import AdmZip from 'adm-zip';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { PROJECT_ROOT } from '../src/project-root';
import {
  fillTemplate,
  ICONS,
  LOCALIZATION_FILES,
  PACKAGE_FILE_NAME,
  placeholderPointers,
  readTeamsSettings,
  TEMPLATE_FILE,
  TeamsSettingsError,
  TemplateError,
  type IconFile,
  type TeamsAppSettings,
} from '../manifest/template';
import { iconProblems } from './teams-icons';
import { schemaProblems, unmatchedLocalizationKeys } from './teams-schema';

const MANIFEST_DIR = join(PROJECT_ROOT, 'manifest');
const DEFAULT_OUT = join(PROJECT_ROOT, 'dist', 'teams', PACKAGE_FILE_NAME);
/** Where the developer links point when package.json has no "homepage". */
const DEFAULT_PROJECT_URL = 'https://github.com/azure-backup-troubleshooter/azure-backup-troubleshooter';

const EXIT_USAGE = 2;
const EXIT_CONFIG = 78;
const EXIT_REFUSED = 1;

/** A reason not to write the package, said to the user as it is. */
class Refusal extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'Refusal';
  }
}

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  try {
    return JSON.parse(readFileSync(join(MANIFEST_DIR, file), 'utf8')) as Json;
  } catch (error) {
    throw new Refusal(`Cannot read manifest/${file}: ${(error as Error).message}`, EXIT_REFUSED);
  }
}

function projectDefaults(): { version: string; projectUrl: string } {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string; homepage?: string };
  return { version: pkg.version ?? '0.0.0', projectUrl: pkg.homepage ?? DEFAULT_PROJECT_URL };
}

function outputPath(argv: string[], env: NodeJS.ProcessEnv): string {
  let out: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--out' && argv[i + 1] !== undefined) out = argv[(i += 1)];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else throw new Refusal(`Unknown argument "${arg}". Usage: package-teams [--out <file.zip>]`, EXIT_USAGE);
  }
  const chosen = out?.trim() || env['TEAMS_PACKAGE_OUT']?.trim() || DEFAULT_OUT;
  return resolve(chosen);
}

function refuseIfAny(problems: string[], what: string): void {
  if (problems.length > 0) throw new Refusal(`${what}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, EXIT_REFUSED);
}

/** Schema failures of a filled field that came from the environment name the variable to change. */
function withSources(problems: string[], template: Json | undefined): string[] {
  const pointers = placeholderPointers(template);
  return problems.map((problem) => {
    const [pointer = ''] = problem.split(' ', 1);
    const names = pointers.get(pointer);
    return names ? `${pointer} (set from ${names.join(', ')})${problem.slice(pointer.length)}` : problem;
  });
}

export interface PackageResult {
  path: string;
  files: string[];
  appId: string;
  botId: string;
  version: string;
}

/** Fills, validates and writes the package; throws a Refusal before writing anything if something is wrong. */
export async function packageTeamsApp(argv: string[], env: NodeJS.ProcessEnv): Promise<PackageResult> {
  const out = outputPath(argv, env);

  let settings: TeamsAppSettings;
  try {
    settings = readTeamsSettings(env, projectDefaults());
  } catch (error) {
    if (error instanceof TeamsSettingsError) throw new Refusal(`Cannot build the Teams app package: ${error.message}.`, EXIT_CONFIG);
    throw error;
  }
  const templates = new Map<string, Json>([TEMPLATE_FILE, ...LOCALIZATION_FILES].map((file) => [file, readJson(file)]));
  let manifest: Json;
  const localizations = new Map<string, Json>();
  try {
    manifest = fillTemplate(templates.get(TEMPLATE_FILE)!, { ...settings }, TEMPLATE_FILE);
    for (const file of LOCALIZATION_FILES) localizations.set(file, fillTemplate(templates.get(file)!, { ...settings }, file));
  } catch (error) {
    if (error instanceof TemplateError) throw new Refusal(`Cannot build the Teams app package: ${error.message}.`, EXIT_REFUSED);
    throw error;
  }

  refuseIfAny(
    withSources(await schemaProblems(manifest), templates.get(TEMPLATE_FILE)),
    `Refusing to write the Teams app package: manifest.json does not match the Teams manifest schema v${String(manifest['manifestVersion'])}`,
  );
  for (const [file, localization] of localizations) {
    refuseIfAny(withSources(await schemaProblems(localization), templates.get(file)), `Refusing to write the Teams app package: ${file} does not match the Teams localization schema`);
    refuseIfAny(
      unmatchedLocalizationKeys(manifest, localization).map((key) => `"${key}" names no text of manifest.json`),
      `Refusing to write the Teams app package: ${file} translates strings that manifest.json does not have`,
    );
  }
  const declared = (manifest['localizationInfo'] as { additionalLanguages?: { file: string }[] } | undefined)?.additionalLanguages ?? [];
  refuseIfAny(
    declared.filter(({ file }) => !localizations.has(file)).map(({ file }) => `localizationInfo names ${file}, which the packaging does not include`),
    'Refusing to write the Teams app package',
  );

  const icons = new Map<IconFile, Buffer>();
  const iconIssues: string[] = [];
  for (const file of Object.keys(ICONS) as IconFile[]) {
    try {
      const bytes = readFileSync(join(MANIFEST_DIR, file));
      iconIssues.push(...iconProblems(file, PNG.sync.read(bytes)));
      icons.set(file, bytes);
    } catch (error) {
      iconIssues.push(`manifest/${file} is not a readable PNG: ${(error as Error).message}`);
    }
  }
  refuseIfAny(iconIssues, 'Refusing to write the Teams app package: the icons are not what Teams needs');

  const zip = new AdmZip();
  zip.addFile(TEMPLATE_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const [file, localization] of localizations) zip.addFile(file, Buffer.from(`${JSON.stringify(localization, null, 2)}\n`, 'utf8'));
  for (const [file, bytes] of icons) zip.addFile(file, bytes);

  // Write next to the target, then rename: a failed write never leaves a partial package behind.
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  try {
    writeFileSync(partial, zip.toBuffer());
    renameSync(partial, out);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new Refusal(`Cannot write ${out}: ${(error as Error).message}`, EXIT_REFUSED);
  }
  return {
    path: out,
    files: zip.getEntries().map((entry) => entry.entryName),
    appId: settings.TEAMS_APP_ID,
    botId: settings.MicrosoftAppId,
    version: settings.TEAMS_APP_VERSION,
  };
}

async function main(): Promise<number> {
  try {
    const result = await packageTeamsApp(process.argv.slice(2), process.env);
    const shown = relative(process.cwd(), result.path);
    console.log(`Wrote ${shown.startsWith('..') ? result.path : shown} (${result.files.join(', ')})`);
    console.log(`  app id ${result.appId}, bot id ${result.botId}, version ${result.version}`);
    console.log('Upload it in Teams: Apps → Manage your apps → Upload an app.');
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(`Cannot build the Teams app package: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_REFUSED;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
