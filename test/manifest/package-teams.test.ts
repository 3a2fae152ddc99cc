import AdmZip from 'adm-zip';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { schemaProblems } from '../../scripts/teams-schema';
import { PROJECT_ROOT } from '../../src/project-root';

// @microsoft/app-manifest requires strip-bom 5, which is ESM only: plain Node 20 loads it (the script does),
// jest on Node 20 cannot. It only strips a BOM when the package reads a manifest file, which this test never asks.
jest.mock(require.resolve('strip-bom', { paths: [`${require.resolve('@microsoft/app-manifest')}/..`] }), () => ({
  __esModule: true,
  default: (text: string) => text.replace(/^\uFEFF/, ''),
}));

// The real script, built by jest's globalSetup, run as `npm run package:teams` runs it.
const SCRIPT = join(PROJECT_ROOT, 'dist', 'scripts', 'package-teams.js');
const BOT_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const APP_ID = '7d2c4a10-5b3e-4f6a-9c1d-2e8f0a6b4c3d';
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

type Json = Record<string, unknown>;

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'teams-package-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

/** Runs the script with only these variables (nothing leaks in from the developer's shell). */
function run(env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', TEAMS_PACKAGE_OUT: join(out, 'app.zip'), ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function unzip(file: string) {
  const zip = new AdmZip(file);
  const json = (name: string) => JSON.parse(zip.readAsText(name, 'utf8')) as Json;
  return { names: zip.getEntries().map((entry) => entry.entryName).sort(), zip, json };
}

describe('npm run package:teams (scripts/package-teams.ts)', () => {
  it('When MicrosoftAppId is set, Then the zip holds manifest.json, ja.json, color.png and outline.png at its root, valid and filled', async () => {
    const { status, stdout, stderr } = run({ MicrosoftAppId: BOT_ID });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(join(out, 'app.zip'));

    const { names, zip, json } = unzip(join(out, 'app.zip'));
    expect(names).toEqual(['color.png', 'ja.json', 'manifest.json', 'outline.png']);
    const manifest = json('manifest.json');
    expect(manifest).toMatchObject({ id: BOT_ID, version: PACKAGE_VERSION, bots: [{ botId: BOT_ID }], name: { short: 'Azure Backup Troubleshooter' } });
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(await schemaProblems(manifest)).toEqual([]);
    const ja = json('ja.json');
    expect(ja['name.short']).toBe('Azure Backup トラブルシューター');
    expect(await schemaProblems(ja)).toEqual([]);

    const color = PNG.sync.read(zip.readFile('color.png')!);
    const outline = PNG.sync.read(zip.readFile('outline.png')!);
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(zip.readFile('outline.png')!.equals(readFileSync(join(PROJECT_ROOT, 'manifest', 'outline.png')))).toBe(true);
  });

  it('When the app id, names, version and links are set, Then the package carries them and Japanese follows the new name', () => {
    const { status } = run(
      {
        MicrosoftAppId: BOT_ID,
        TEAMS_APP_ID: APP_ID,
        TEAMS_APP_NAME: 'Contoso VM Backup Troubleshooter for Operators',
        TEAMS_APP_SHORT_NAME: 'Contoso Backup Help',
        TEAMS_APP_VERSION: '2.0.1',
        TEAMS_DEVELOPER_NAME: 'Contoso IT',
        TEAMS_DEVELOPER_WEBSITE_URL: 'https://contoso.example/backup-bot',
        TEAMS_DEVELOPER_PRIVACY_URL: 'https://contoso.example/privacy',
        TEAMS_DEVELOPER_TERMS_URL: 'https://contoso.example/terms',
      },
      ['--out', join(out, 'nested', 'custom.zip')],
    );
    expect(status).toBe(0);
    const { json } = unzip(join(out, 'nested', 'custom.zip'));
    expect(json('manifest.json')).toMatchObject({
      id: APP_ID,
      version: '2.0.1',
      bots: [{ botId: BOT_ID }],
      name: { short: 'Contoso Backup Help', full: 'Contoso VM Backup Troubleshooter for Operators' },
      developer: { name: 'Contoso IT', websiteUrl: 'https://contoso.example/backup-bot', privacyUrl: 'https://contoso.example/privacy', termsOfUseUrl: 'https://contoso.example/terms' },
    });
    expect(json('ja.json')).toMatchObject({ 'name.short': 'Contoso Backup Help', 'name.full': 'Contoso VM Backup Troubleshooter for Operators' });
    expect(readdirSync(out)).toEqual(['nested']);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['missing', {}, /^Cannot build the Teams app package: MicrosoftAppId is not set: it must be the bot's app id \(a GUID\)/],
    ['not a GUID', { MicrosoftAppId: 'my-backup-bot' }, /^Cannot build the Teams app package: MicrosoftAppId must be the bot's app id \(a GUID.*got "my-backup-bot"/],
    ['fine but TEAMS_APP_ID is not a GUID', { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: '1234' }, /^Cannot build the Teams app package: TEAMS_APP_ID must be the Teams app id \(a GUID/],
  ])('When the bot id is %s, Then packaging is refused with a message, no stack trace and no zip', (_, env, message) => {
    const { status, stdout, stderr } = run(env);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('When the filled localization fails the official schema, Then packaging is refused naming the file, the field and its variable, and no zip is written', () => {
    const { status, stderr } = run({ MicrosoftAppId: BOT_ID, TEAMS_APP_SHORT_NAME_JA: 'null' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Refusing to write the Teams app package: ja\.json does not match the Teams localization schema:\n {2}- \/name\.short \(set from TEAMS_APP_SHORT_NAME_JA\) must match pattern/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  });

  it('When a package from an earlier run is at the output path, Then a refused run leaves it as it was', () => {
    writeFileSync(join(out, 'app.zip'), 'earlier');
    expect(run({ MicrosoftAppId: 'nope' }).status).not.toBe(0);
    expect(readFileSync(join(out, 'app.zip'), 'utf8')).toBe('earlier');
  });

  it('When an unknown argument is given, Then the usage is printed and the exit code is 2', () => {
    const { status, stderr } = run({ MicrosoftAppId: BOT_ID }, ['--zip']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/Unknown argument "--zip"\. Usage: package-teams \[--out <file\.zip>\]/);
    expect(readdirSync(out)).toEqual([]);
  });
});
