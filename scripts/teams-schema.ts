/**
 * Validation of a Teams manifest and its localization files against the official
 * JSON schemas that @microsoft/app-manifest bundles. The schema is always read
 * from the package (never fetched), so this works offline and gives the same
 * answer everywhere.
 */
import { AppManifestUtils } from '@microsoft/app-manifest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Manifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];
type Schema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

const SCHEMA_HOST = 'https://developer.microsoft.com/';
const TEAMS_SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v\d+\.\d+\/MicrosoftTeams(?:\.Localization)?\.schema\.json$/;

/** The schemas folder of @microsoft/app-manifest (build/json-schemas). */
function bundledSchemasRoot(): string {
  return join(dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas');
}

/** The Teams manifest versions whose schemas the installed @microsoft/app-manifest bundles, oldest first. */
export function bundledManifestVersions(): string[] {
  const folder = join(bundledSchemasRoot(), 'teams');
  return readdirSync(folder)
    .filter((name) => /^v\d+\.\d+$/.test(name) && existsSync(join(folder, name, 'MicrosoftTeams.schema.json')))
    .map((name) => name.slice(1))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * The official localization schemas (v1.22 to v1.30 at least) have a pattern with a
 * lone `]` (`…\b]\.description$`, for activities.activityTypes) that is valid in a
 * JavaScript RegExp without the `u` flag but not with it, and Ajv compiles with `u`.
 * Escaping that bracket matches exactly the same keys; any other pattern is left alone.
 */
function repairPatterns(schema: Record<string, unknown>): Record<string, unknown> {
  const patterns = schema['patternProperties'];
  if (!patterns || typeof patterns !== 'object') return schema;
  const repaired = Object.fromEntries(
    Object.entries(patterns).map(([pattern, rule]) => {
      try {
        new RegExp(pattern, 'u');
        return [pattern, rule];
      } catch {
        return [pattern.replace(/\\b\](?=\\\.)/g, '\\b\\]'), rule];
      }
    }),
  );
  return { ...schema, patternProperties: repaired };
}

/** The bundled schema named by a `$schema` URL, or an error naming what is missing. */
export function bundledSchema(schemaUrl: unknown): Record<string, unknown> {
  if (typeof schemaUrl !== 'string' || !TEAMS_SCHEMA_URL.test(schemaUrl)) {
    throw new Error(`$schema must be an official Teams schema URL (${SCHEMA_HOST}json-schemas/teams/v1.N/…), got ${JSON.stringify(schemaUrl)}`);
  }
  const file = join(bundledSchemasRoot(), ...schemaUrl.slice(`${SCHEMA_HOST}json-schemas/`.length).split('/'));
  if (!existsSync(file)) {
    throw new Error(`@microsoft/app-manifest does not bundle ${schemaUrl} (bundled manifest versions: ${bundledManifestVersions().join(', ')})`);
  }
  // The package cleans the files the same way before parsing (\a and \v are not JSON escapes).
  const raw = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return repairPatterns(JSON.parse(raw) as Record<string, unknown>);
}

/** Problems of a manifest.json or localization file against the schema its `$schema` names; empty when valid. */
export async function schemaProblems(document: Record<string, unknown>): Promise<string[]> {
  const schema = bundledSchema(document['$schema']);
  const failures = await AppManifestUtils.validateAgainstSchema(document as unknown as Manifest, schema as unknown as Schema);
  return failures.map((failure) => failure.replace(/^ /, '(root) ').trim());
}

/** "bots[0].commandLists[0].commands[1].title" → ['bots', 0, 'commandLists', 0, 'commands', 1, 'title']. */
function pathOf(key: string): (string | number)[] {
  return key.split('.').flatMap((part) => {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [part];
    const indexes = [...match[2]!.matchAll(/\[(\d+)\]/g)].map((index) => Number(index[1]));
    return [match[1]!, ...indexes];
  });
}

/** Keys of a localization file that name no string of the manifest (Teams refuses such a package). */
export function unmatchedLocalizationKeys(manifest: unknown, localization: Record<string, unknown>): string[] {
  return Object.keys(localization)
    .filter((key) => key !== '$schema' && key !== 'localizationKeys')
    .filter((key) => {
      let node: unknown = manifest;
      for (const step of pathOf(key)) {
        node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
      }
      return typeof node !== 'string';
    });
}
