import { availableParallelism } from 'node:os';
import { ConfigError, DEFAULT_PORT, defaultOcrEngines, loadConfig } from '../src/config';

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';

describe('configuration from the environment', () => {
  it('When nothing is set, Then the bot runs locally without auth on the Bot Framework default port', () => {
    expect(DEFAULT_PORT).toBe(3_978);
    expect(loadConfig({})).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1', dataDir: 'data', handoff: { hub: false, language: 'en' }, insights: { retentionDays: 30, keepTexts: true }, followUpAfterMs: 86_400_000, ocrEngines: defaultOcrEngines(availableParallelism()) });
  });

  it.each([
    ['30s', 30_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['0', null],
  ])('When FOLLOW_UP_AFTER is %s, Then the follow-up waits %s ms (null: off)', (value, ms) => {
    expect(loadConfig({ FOLLOW_UP_AFTER: value }).followUpAfterMs).toBe(ms);
  });

  it.each([
    [1, 1],
    [2, 1],
    [4, 2],
  ])('When the machine has %s core(s) and OCR_ENGINES is unset, Then %s OCR engine(s) read screenshots', (cores, engines) => {
    expect(defaultOcrEngines(cores)).toBe(engines);
  });

  it('When OCR_ENGINES is set, Then it decides whatever the cores', () => {
    expect(loadConfig({ OCR_ENGINES: '2' }).ocrEngines).toBe(2);
    expect(loadConfig({ OCR_ENGINES: '1' }).ocrEngines).toBe(1);
  });

  it('When the insights variables are set, Then they are typed and kept', () => {
    const connectionString = `InstrumentationKey=${APP_ID};IngestionEndpoint=https://japaneast-1.in.applicationinsights.azure.com/`;
    expect(
      loadConfig({ INSIGHTS_RETENTION_DAYS: '90', INSIGHTS_KEEP_TEXTS: 'false', INSIGHTS_TOKEN: 'a'.repeat(32), APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).insights,
    ).toEqual({ retentionDays: 90, keepTexts: false, token: 'a'.repeat(32), applicationInsightsConnectionString: connectionString });
  });

  it('When auth is off, Then the bot listens on loopback by default; with auth, or HOST set on purpose, on what is asked', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' }).host).toBe('0.0.0.0');
  });

  it('When the Bot Framework variables are set, Then they are typed and kept', () => {
    expect(
      loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: APP_ID, PORT: '8080' }),
    ).toMatchObject({ port: 8080, auth: { appId: APP_ID, appPassword: 'secret', appType: 'SingleTenant', tenantId: APP_ID } });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MicrosoftAppId: 'my-bot' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: APP_ID }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'Personal' }, 'MicrosoftAppType'],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    [{ MicrosoftAppTenantId: 'contoso' }, 'MicrosoftAppTenantId'],
    [{ FOLLOW_UP_AFTER: 'tomorrow' }, 'FOLLOW_UP_AFTER'],
    [{ FOLLOW_UP_AFTER: '90d' }, 'FOLLOW_UP_AFTER'],
    [{ OCR_ENGINES: '4' }, 'OCR_ENGINES'],
    [{ HELPDESK_LANGUAGE: 'fr' }, 'HELPDESK_LANGUAGE'],
    [{ HELPDESK_LANGUAGE: 'ja-JP' }, 'HELPDESK_LANGUAGE'],
    [{ INSIGHTS_RETENTION_DAYS: '0' }, 'INSIGHTS_RETENTION_DAYS'],
    [{ INSIGHTS_RETENTION_DAYS: 'a month' }, 'INSIGHTS_RETENTION_DAYS'],
    [{ INSIGHTS_KEEP_TEXTS: 'no' }, 'INSIGHTS_KEEP_TEXTS'],
    [{ INSIGHTS_TOKEN: 'short' }, 'INSIGHTS_TOKEN'],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${APP_ID};IngestionEndpoint=http://collector.example.com/` }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
  ])('When the environment is %j, Then start-up fails naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

describe('the helpdesk language (HELPDESK_LANGUAGE)', () => {
  it.each([
    [{}, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{ LANG: 'ja_JP.UTF-8' }, 'ja'],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'ja_JP.UTF-8' }, 'ja'],
    [{ LANG: 'ja_JP.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'ja_JP.UTF-8', HELPDESK_LANGUAGE: 'en' }, 'en'],
    [{ LANG: 'en_US.UTF-8', HELPDESK_LANGUAGE: 'ja' }, 'ja'],
  ])('When the environment is %j, Then the helpdesk reads %s', (env, language) => {
    expect(loadConfig(env).handoff.language).toBe(language);
  });
});
