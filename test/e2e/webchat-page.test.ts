/**
 * The web chat page over HTTP (the browser test drives it for real): the page's
 * options are checked and escaped, nothing comes from outside this server, the
 * policy says so, and the assets are served with sensible caching.
 */
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { avatarUrl, botName, cssColor, localeFromAcceptLanguage, pageLocale, parsePageOptions } from '../../src/entry-points/http/webchat/page-options';
import { silentLogger } from '../../src/logger';

interface Page {
  status: number;
  headers: Headers;
  html: string;
  config: Record<string, unknown>;
}

async function page(server: RunningServer, query = '', headers: Record<string, string> = {}): Promise<Page> {
  const response = await fetch(`${server.url}/${query}`, { headers });
  const html = await response.text();
  const json = /<script type="application\/json" id="webchat-config">(.*?)<\/script>/s.exec(html)?.[1];
  return { status: response.status, headers: response.headers, html, config: json ? (JSON.parse(json) as Record<string, unknown>) : {} };
}

describe('the web chat page', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), new SqliteStorage(':memory:'), silentLogger);
  });
  afterAll(() => server.close());

  it('When it is opened without options, Then it uses the local Direct Line, the browser\'s language, and only this server\'s files', async () => {
    const { status, html, config, headers } = await page(server, '', { 'accept-language': 'fr-FR,ja;q=0.8,en;q=0.5' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<html lang="ja">');
    expect(config).toMatchObject({ mode: 'local', tokenUrl: '/v3/directline/tokens/generate', domain: '/v3/directline', webSocket: false, locale: 'ja-JP', language: 'ja' });
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
    expect(references).toEqual([
      expect.stringMatching(/^\/webchat\/avatar\.svg\?v=/),
      expect.stringMatching(/^\/webchat\/page\.css\?v=/),
      expect.stringMatching(/^\/webchat\/webchat\.js\?v=4\.18\.1$/),
      expect.stringMatching(/^\/webchat\/page\.js\?v=/),
    ]);
  });

  it('When it is served, Then its policy allows scripts and connections to this server only, and styles only with its nonce', async () => {
    const { headers, config } = await page(server, '?locale=en');
    const policy = headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain(`style-src 'self' 'nonce-${String(config['nonce'])}'`);
    expect(policy).not.toContain('unsafe-inline');
    // blob: for Web Chat's upload button (it reads the picked file from its blob: URL).
    expect(policy).toContain("connect-src 'self' blob:;");
    expect(policy).toContain('frame-ancestors *');
    expect(headers.get('cache-control')).toBe('no-store');
    expect((await page(server)).config['nonce']).not.toBe(config['nonce']);
  });

  it('When valid options are given, Then the page takes them', async () => {
    const query = new URLSearchParams({
      locale: 'ja',
      botName: '  バックアップ   相談窓口 ',
      accent: '#0063B1',
      background: 'rgb(250, 250, 250)',
      botBubble: 'WhiteSmoke',
      userBubble: 'hsl(210 100% 35%)',
      userText: 'white',
      avatar: 'https://helpdesk.example.com/bot.png?size=64',
    });
    const { config, html } = await page(server, `?${query}`);
    expect(config).toMatchObject({
      locale: 'ja-JP',
      botName: 'バックアップ 相談窓口',
      initials: 'バ相',
      avatar: 'https://helpdesk.example.com/bot.png?size=64',
      colors: { accent: '#0063B1', background: 'rgb(250, 250, 250)', botBubble: 'whitesmoke', userBubble: 'hsl(210 100% 35%)', userText: 'white' },
    });
    expect(config['ignoredOptions']).toBeUndefined();
    expect(html).toContain('<title>バックアップ 相談窓口</title>');
  });

  it('When options try to inject HTML, CSS or script, Then they are escaped or left out', async () => {
    const query = new URLSearchParams({
      botName: '</script><script>alert(1)</script>',
      accent: 'red; background: url(https://evil.example/x)',
      background: 'expression(alert(1))',
      avatar: 'javascript:alert(1)',
      userBubble: '#12345',
      locale: 'xx-YY',
    });
    const { config, html } = await page(server, `?${query}`);
    expect(config['ignoredOptions']).toEqual(['locale', 'avatar', 'accent', 'background', 'userBubble']);
    expect(config['colors']).toEqual({});
    expect(config['avatar']).toBeUndefined();
    expect(config['botName']).toBe('</script><script>alert(1)</script>');
    // Exactly the page's own three script elements: the name is text, escaped everywhere.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).toContain('<title>&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>');
    expect(html).not.toContain('alert(1)</script>');
  });

  it.each([
    ['//evil.example/x.png'],
    ['http://helpdesk.example.com/bot.png'],
    ['https://user:pass@helpdesk.example.com/bot.png'],
    ['data:image/svg+xml,<svg onload=alert(1)>'],
    ['/\\evil.example/x.png'],
    ['https://helpdesk.example.com/bot .png'],
  ])('When the avatar is %s, Then it is left out', async (avatar) => {
    const { config } = await page(server, `?${new URLSearchParams({ avatar })}`);
    expect(config['avatar']).toBeUndefined();
    expect(config['ignoredOptions']).toEqual(['avatar']);
  });

  it('When the avatar is a path on this server, Then it is kept as a path', async () => {
    expect((await page(server, '?avatar=/webchat/avatar.svg')).config['avatar']).toBe('/webchat/avatar.svg');
  });

  it('When Web Chat\'s bundle is asked for, Then it comes from node_modules, gzipped, cached by version and revalidated by ETag', async () => {
    const response = await fetch(`${server.url}/webchat/webchat.js?v=4.18.1`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeGreaterThan(500_000);
    expect(body.toString('utf8')).toContain('botframework-webchat:bundle:version","4.18.1"');
    const etag = response.headers.get('etag')!;
    expect((await fetch(`${server.url}/webchat/webchat.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const { request } = await import('node:http');
    const compressed = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${server.url}/webchat/page.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(compressed.encoding).toBe('gzip');
    expect(gunzipSync(compressed.body).toString('utf8')).toContain('createDirectLine');
  });

  it('When another site loads /embed.js, Then it gets the script, loadable cross-origin and cached briefly', async () => {
    const response = await fetch(`${server.url}/embed.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const script = await response.text();
    expect(script).toContain('document.currentScript');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});

describe('the web chat page with embed origins', () => {
  it('When WEBCHAT_EMBED_ORIGINS is set, Then only those sites (and the page itself) may frame it', async () => {
    const server = await startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', WEBCHAT_EMBED_ORIGINS: 'https://helpdesk.example.com https://intra.example.com' }),
      new SqliteStorage(':memory:'),
      silentLogger,
    );
    try {
      const { headers } = await page(server);
      expect(headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://helpdesk.example.com https://intra.example.com");
    } finally {
      await server.close();
    }
  });
});

describe('the page options', () => {
  it.each(['#0063B1', '#fff', '#ffffff80', 'rgb(0, 99, 177)', 'rgba(0,99,177,0.5)', 'rgb(0 99 177 / 50%)', 'hsl(210, 100%, 35%)', 'hsla(210deg 100% 35% / .5)', 'RebeccaPurple', 'transparent'])(
    'When a colour is %s, Then it is a CSS colour',
    (color) => {
      expect(cssColor(color)).toBeDefined();
    },
  );

  it.each(['#12345', '0063B1', 'red;', 'red }', 'url(x)', 'var(--x)', 'rgb(0,0,0);color:red', 'expression(1)', 'notacolour', 'rgb(0, 99)', `#${'0'.repeat(70)}`])(
    'When a colour is %s, Then it is refused',
    (color) => {
      expect(cssColor(color)).toBeUndefined();
    },
  );

  it('When a name holds control or bidi characters, Then they are removed; empty or too long names are refused', () => {
    expect(botName('Help\u202Edesk\u0000 bot')).toBe('Helpdesk bot');
    expect(botName('   ')).toBeUndefined();
    expect(botName('x'.repeat(41))).toBeUndefined();
    expect(botName('相'.repeat(40))).toBe('相'.repeat(40));
  });

  it('When the locale is given in any usual spelling, Then it maps to ja-JP or en-US; others are refused', () => {
    expect(['ja', 'JA-jp', 'ja_JP', 'en', 'en-GB'].map(pageLocale)).toEqual(['ja-JP', 'ja-JP', 'ja-JP', 'en-US', 'en-US']);
    expect(['fr-FR', 'j', '', 'ja-JP<'].map(pageLocale)).toEqual([undefined, undefined, undefined, undefined]);
    expect(localeFromAcceptLanguage('de;q=0.9,en;q=0.5,ja;q=0.7')).toBe('ja-JP');
    expect(localeFromAcceptLanguage('de')).toBeUndefined();
  });

  it('When the avatar is https or a path here, Then it is normalised', () => {
    expect(avatarUrl('https://Helpdesk.Example.com/a b'.replace(' ', '%20'))).toBe('https://helpdesk.example.com/a%20b');
    expect(avatarUrl('/webchat/../webchat/avatar.svg')).toBe('/webchat/avatar.svg');
  });

  it('When the same option comes twice or with another spelling, Then the first one counts', () => {
    const { options } = parsePageOptions(new URLSearchParams('bot-name=First&botName=Second&LOCALE=ja'));
    expect(options).toMatchObject({ botName: 'First', locale: 'ja-JP' });
  });
});
