import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_NAMES,
  fillTemplate,
  placeholdersOf,
  readTeamsSettings,
  TeamsSettingsError,
  TemplateError,
  type TeamsAppSettings,
} from '../../manifest/template';
import { bundledManifestVersions, schemaProblems, unmatchedLocalizationKeys } from '../../scripts/teams-schema';
import { readReply, type Reply } from '../../src/domain/conversation/read-reply';
import { PROJECT_ROOT } from '../../src/project-root';

// @microsoft/app-manifest requires strip-bom 5, which is ESM only: plain Node 20 loads it, jest on Node 20
// cannot. It only strips a BOM when the package reads a manifest file, which these tests never ask it to do.
jest.mock(require.resolve('strip-bom', { paths: [`${require.resolve('@microsoft/app-manifest')}/..`] }), () => ({
  __esModule: true,
  default: (text: string) => text.replace(/^\uFEFF/, ''),
}));

type Json = Record<string, unknown>;
interface Command {
  title: string;
  description?: string;
}
interface Bot {
  botId: string;
  scopes: string[];
  commandLists: { scopes: string[]; commands: Command[] }[];
}

const BOT_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const APP_ID = '7d2c4a10-5b3e-4f6a-9c1d-2e8f0a6b4c3d';
const DEFAULTS = { version: '0.1.0', projectUrl: 'https://example.org/azure-backup-troubleshooter' };

const readTemplate = (file: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'manifest', file), 'utf8')) as Json;
const settings = readTeamsSettings({ MicrosoftAppId: BOT_ID }, DEFAULTS);
const filledManifest = () => fillTemplate(readTemplate('manifest.json'), { ...settings });
const filledJa = () => fillTemplate(readTemplate('ja.json'), { ...settings }, 'ja.json');
const botOf = (manifest: Json) => (manifest['bots'] as Bot[])[0]!;

describe('Teams app manifest (manifest/manifest.json)', () => {
  it('When the template is filled with a test GUID, Then it is valid against the official Teams schema bundled offline', async () => {
    const manifest = filledManifest();
    expect(await schemaProblems(manifest)).toEqual([]);
    expect(manifest).toMatchObject({ id: BOT_ID, version: '0.1.0', bots: [{ botId: BOT_ID }] });
  });

  it('When the schema version is chosen, Then it is a version that @microsoft/app-manifest bundles and $schema names the same', () => {
    const manifest = readTemplate('manifest.json');
    const version = manifest['manifestVersion'] as string;
    expect(bundledManifestVersions()).toContain(version);
    expect(manifest['$schema']).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    expect(readTemplate('ja.json')['$schema']).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.Localization.schema.json`);
  });

  it('When the filled manifest breaks the schema, Then the validation reports each broken field', async () => {
    const manifest = filledManifest();
    (manifest['name'] as Json)['short'] = 'x'.repeat(31);
    botOf(manifest).botId = 'my-bot';
    const problems = await schemaProblems(manifest);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/name\/short /), expect.stringMatching(/^\/bots\/0\/botId /)]));
  });

  it('When the bot is declared, Then it is conversational in personal, team and groupChat scopes with a command list for them', () => {
    const bot = botOf(filledManifest());
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(filledManifest()).toMatchObject({ bots: [{ isNotificationOnly: false }], icons: { color: 'color.png', outline: 'outline.png' } });
  });

  it('When the manifest declares its languages, Then English is the default and ja-jp points to ja.json', () => {
    expect(filledManifest()['localizationInfo']).toEqual({ defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'ja-jp', file: 'ja.json' }] });
  });
});

describe('Japanese localization (manifest/ja.json)', () => {
  it('When the template is filled, Then it is valid against the official Teams localization schema', async () => {
    expect(await schemaProblems(filledJa())).toEqual([]);
  });

  it('When its keys are looked up in the manifest, Then each names a text of the manifest', () => {
    expect(unmatchedLocalizationKeys(filledManifest(), filledJa())).toEqual([]);
  });

  it('When a key names no text of the manifest, Then it is reported, and a key outside the schema is refused', async () => {
    const ja = { ...filledJa(), 'bots[0].commandLists[0].commands[9].title': 'ない', 'name.long': '長い' };
    expect(unmatchedLocalizationKeys(filledManifest(), ja)).toEqual(['bots[0].commandLists[0].commands[9].title', 'name.long']);
    expect(await schemaProblems(ja)).toEqual([expect.stringMatching(/additional properties.*name\.long/)]);
  });

  it('When Japanese is chosen, Then the name, both descriptions and every command title and description are translated', () => {
    const ja = filledJa();
    for (const key of ['name.short', 'name.full', 'description.short', 'description.full']) expect(ja[key]).toMatch(/[ぁ-んァ-ヶ一-龯]/);
    botOf(filledManifest()).commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        expect(ja[`bots[0].commandLists[${l}].commands[${c}].title`]).toEqual(expect.any(String));
        expect(ja[`bots[0].commandLists[${l}].commands[${c}].description`]).toMatch(/[ぁ-んァ-ヶ一-龯]/);
        expect(command.description).toEqual(expect.any(String));
      }),
    );
  });
});

describe('command menu', () => {
  const expected: Reply[] = [
    { kind: 'command', command: 'help' },
    { kind: 'command', command: 'start-over' },
    { kind: 'command', command: 'cancel' },
    { kind: 'command', command: 'helpdesk' },
    { kind: 'language', language: 'en' },
    { kind: 'language', language: 'ja' },
  ];

  it('When a user picks a command in English or Japanese, Then the bot reads its title as that command', () => {
    const [list] = botOf(filledManifest()).commandLists;
    const ja = filledJa();
    expect(list!.commands.map((command) => readReply(command.title))).toEqual(expected);
    expect(list!.commands.map((_, c) => readReply(ja[`bots[0].commandLists[0].commands[${c}].title`] as string))).toEqual(expected);
  });

  it('When the Japanese titles are shown, Then they are the words the README gives (ヘルプ, 最初から, キャンセル, 担当者)', () => {
    const ja = filledJa();
    expect([0, 1, 2, 3, 4, 5].map((c) => ja[`bots[0].commandLists[0].commands[${c}].title`])).toEqual([
      'ヘルプ',
      '最初から',
      'キャンセル',
      '担当者',
      'English',
      '日本語',
    ]);
  });
});

describe('template placeholders (manifest/template.ts)', () => {
  it('When the templates are read, Then every placeholder they use has a value in the settings', () => {
    const used = [...placeholdersOf(readTemplate('manifest.json')), ...placeholdersOf(readTemplate('ja.json'))];
    expect(used.filter((name) => !(name in settings))).toEqual([]);
    expect(placeholdersOf(filledManifest())).toEqual([]);
    expect(placeholdersOf(filledJa())).toEqual([]);
  });

  it('When a template uses an unknown placeholder, Then filling it fails naming the file and the placeholder', () => {
    expect(() => fillTemplate({ name: '${{TEAMS_APP_COLOUR}}' }, { ...settings }, 'manifest.json')).toThrow(TemplateError);
    expect(() => fillTemplate({ name: '${{TEAMS_APP_COLOUR}}' }, { ...settings }, 'manifest.json')).toThrow(/manifest\.json .*\$\{\{TEAMS_APP_COLOUR\}\}/);
  });

  it('When a value has quotes, braces or a placeholder, Then it is inserted as it is', () => {
    const name = 'Contoso "Backup" ${{MicrosoftAppId}} }';
    expect(fillTemplate({ full: '${{TEAMS_APP_NAME}}' }, { TEAMS_APP_NAME: name, MicrosoftAppId: BOT_ID })).toEqual({ full: name });
  });
});

describe('settings from the environment', () => {
  it('When only MicrosoftAppId is set, Then it is the bot id and the app id, with the default names, version and README links', () => {
    expect(readTeamsSettings({ MicrosoftAppId: ` ${BOT_ID} ` }, DEFAULTS)).toEqual<TeamsAppSettings>({
      MicrosoftAppId: BOT_ID,
      TEAMS_APP_ID: BOT_ID,
      TEAMS_APP_VERSION: '0.1.0',
      TEAMS_APP_SHORT_NAME: DEFAULT_NAMES.short,
      TEAMS_APP_NAME: DEFAULT_NAMES.full,
      TEAMS_APP_SHORT_NAME_JA: DEFAULT_NAMES.shortJa,
      TEAMS_APP_NAME_JA: DEFAULT_NAMES.fullJa,
      TEAMS_DEVELOPER_NAME: 'azure-backup-troubleshooter',
      TEAMS_DEVELOPER_WEBSITE_URL: 'https://example.org/azure-backup-troubleshooter#readme',
      TEAMS_DEVELOPER_PRIVACY_URL: 'https://example.org/azure-backup-troubleshooter#privacy',
      TEAMS_DEVELOPER_TERMS_URL: 'https://example.org/azure-backup-troubleshooter#licence-and-sources',
    });
  });

  it('When the app is renamed in English only, Then Japanese users see the same name', () => {
    const renamed = readTeamsSettings({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: APP_ID, TEAMS_APP_NAME: 'Contoso Backup Help', TEAMS_APP_VERSION: '2.3.4' }, DEFAULTS);
    expect(renamed).toMatchObject({
      TEAMS_APP_ID: APP_ID,
      MicrosoftAppId: BOT_ID,
      TEAMS_APP_VERSION: '2.3.4',
      TEAMS_APP_SHORT_NAME: 'Contoso Backup Help',
      TEAMS_APP_NAME: 'Contoso Backup Help',
      TEAMS_APP_SHORT_NAME_JA: 'Contoso Backup Help',
      TEAMS_APP_NAME_JA: 'Contoso Backup Help',
    });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{}, /^MicrosoftAppId is not set/],
    [{ MicrosoftAppId: '   ' }, /^MicrosoftAppId is not set/],
    [{ MicrosoftAppId: 'my-bot' }, /^MicrosoftAppId must be the bot's app id \(a GUID/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: 'teams-app' }, /^TEAMS_APP_ID must be the Teams app id \(a GUID/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_APP_VERSION: '1.0' }, /^TEAMS_APP_VERSION must be MAJOR\.MINOR\.PATCH/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_APP_SHORT_NAME: 'Contoso Azure VM Backup Helper Bot' }, /^TEAMS_APP_SHORT_NAME must be at most 30 characters/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_APP_NAME: 'Contoso Azure VM Backup Helper Bot' }, /^TEAMS_APP_SHORT_NAME must be set \(at most 30 characters\) when TEAMS_APP_NAME is longer/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_DEVELOPER_NAME: 'Contoso Infrastructure Operations Team' }, /^TEAMS_DEVELOPER_NAME must be at most 32 characters/],
    [{ MicrosoftAppId: BOT_ID, TEAMS_DEVELOPER_PRIVACY_URL: 'http://contoso.example/privacy' }, /^TEAMS_DEVELOPER_PRIVACY_URL must be an https:\/\/ URL/],
  ])('When the environment is %j, Then the packaging is refused with %s', (env, message) => {
    expect(() => readTeamsSettings(env, DEFAULTS)).toThrow(TeamsSettingsError);
    expect(() => readTeamsSettings(env, DEFAULTS)).toThrow(message);
  });

  it('When package.json has a version Teams does not accept, Then the message says it came from package.json', () => {
    expect(() => readTeamsSettings({ MicrosoftAppId: BOT_ID }, { ...DEFAULTS, version: '1.0.0-beta.1' })).toThrow(/TEAMS_APP_VERSION \(default: package\.json version\)/);
  });
});
