/**
 * RATE_LIMIT_PER_MINUTE and BOT_OPENID_METADATA_URL: what is accepted, what
 * stops start-up (naming the variable), and that the metadata override keeps
 * every other check of the public cloud.
 */
import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { ConfigError, DEFAULT_RATE_LIMIT_PER_MINUTE, loadConfig } from '../../src/config';
import { openIdMetadataOptions } from '../../src/entry-points/http/request-limits';

const APP = { MicrosoftAppId: '0b1f6471-1bf0-4dda-aec3-cb9272f09590', MicrosoftAppPassword: 'not-a-real-secret' };

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('RATE_LIMIT_PER_MINUTE', () => {
  test('defaults to 60 a minute per conversation', () => {
    expect(DEFAULT_RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(loadConfig({}).security).toBeUndefined();
    expect(loadConfig({ ...APP, BOT_OPENID_METADATA_URL: 'https://login.example.com/m' }).security?.ratePerMinute).toBe(60);
  });

  test.each(['1', '600', '100000'])('accepts %s', (value) => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: value }).security?.ratePerMinute).toBe(Number(value));
  });

  test.each(['0', '-5', '1.5', 'lots', '100001', '1e3'])('refuses %s, naming the variable', (value) => {
    expect(configError({ RATE_LIMIT_PER_MINUTE: value }).message).toMatch(/^Invalid configuration: RATE_LIMIT_PER_MINUTE must be a number of requests per minute \(1\.\.100000\)/);
  });
});

describe('BOT_OPENID_METADATA_URL', () => {
  test.each([
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
    'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    'http://127.0.0.1:49152/.well-known/openidconfiguration',
    'http://[::1]:49152/.well-known/openidconfiguration',
  ])('accepts %s (with an app id)', (url) => {
    expect(loadConfig({ ...APP, BOT_OPENID_METADATA_URL: url }).security?.openIdMetadataUrl).toBe(url);
  });

  test.each([
    ['plain http to another host', 'http://login.botframework.com/v1/.well-known/openidconfiguration'],
    ['plain http to localhost (a name, which /etc/hosts can point anywhere)', 'http://localhost:49152/.well-known/openidconfiguration'],
    ['plain http to a LAN address', 'http://10.0.0.5/.well-known/openidconfiguration'],
    ['credentials in the URL', 'https://user:secret@login.example.com/.well-known/openidconfiguration'],
    ['another scheme', 'file:///etc/openid.json'],
    ['not a URL', 'login.botframework.com'],
  ])('refuses %s', (_why, url) => {
    expect(configError({ ...APP, BOT_OPENID_METADATA_URL: url }).message).toMatch(/^Invalid configuration: BOT_OPENID_METADATA_URL must be the https URL of an OpenID metadata document/);
  });

  test('refuses it without an app id: there is no auth to point anywhere', () => {
    expect(configError({ BOT_OPENID_METADATA_URL: 'https://login.example.com/.well-known/openidconfiguration' }).message).toBe(
      'Invalid configuration: BOT_OPENID_METADATA_URL only applies when MicrosoftAppId is set (without an app id the bot runs without auth)',
    );
  });

  test('unset: the public cloud\'s metadata (nothing overridden)', () => {
    expect(loadConfig(APP).security?.openIdMetadataUrl).toBeUndefined();
  });

  test('the override changes where the keys come from and keeps the public cloud\'s issuer, scopes and caller id', () => {
    expect(openIdMetadataOptions('http://127.0.0.1:1/.well-known/openidconfiguration')).toEqual({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: true,
    });
  });
});
