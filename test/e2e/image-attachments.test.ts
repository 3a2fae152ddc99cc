/**
 * Pictures over the real server, as Teams sends them: an inline image
 * (`contentType: image/png` with a `contentUrl`, beside its text/html copy) and
 * a file (`application/vnd.microsoft.teams.file.download.info`), both served
 * by a loopback stand-in on the serviceUrl's host. The screenshots are drawn
 * in Chromium; the OCR is the real tesseract.js pool the server composes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { TEAMS_FILE_DOWNLOAD } from '../../src/bot/images/attachments';
import { HttpBotConversation } from '../support/http-bot-client';
import { button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';
import { captureLog, type CapturedLog } from '../operations/helpers';
import { browserTestsEnabled } from '../support/webchat-browser';
import { PortalCamera, UNRELATED_PAGES, portalPage, TEST_SHOTS } from '../support/portal-screenshots';

const describeWithBrowser = browserTestsEnabled().run ? describe : describe.skip;

describeWithBrowser('Pictures sent to the bot (Teams-style attachments on a loopback stand-in)', () => {
  const files = new Map<string, Buffer>();
  const requested: string[] = [];
  let images: Server;
  let imageBase: string;
  let running: RunningServer;
  let storage: SqliteStorage;
  let dataDir: string;
  let log: CapturedLog;
  let sequence = 0;

  beforeAll(async () => {
    const camera = await PortalCamera.open(TEST_SHOTS);
    try {
      const en = portalPage({ language: 'en', code: 'UserErrorGuestAgentStatusUnavailable', message: 'VM Agent unable to communicate with Azure Backup', action: 'Ensure that the VM has network connectivity and the VM agent is up to date and running.' }, true);
      const ja = portalPage({ language: 'ja', code: 'BackUpOperationFailedV2', message: 'バックアップ操作は内部エラーのため失敗しました - 数分以内に操作をやり直してください', action: '数分後に操作をやり直してください。' }, false);
      files.set('/en.png', await camera.shoot('e2e-en', en, { chrome: true, scale: 1, format: 'png' }));
      files.set('/ja.png', await camera.shoot('e2e-ja', ja, { chrome: false, scale: 1.5, format: 'png' }));
      files.set('/photo.png', await camera.shoot('e2e-photo', UNRELATED_PAGES.photo, { chrome: false, scale: 1, format: 'png' }));
    } finally {
      await camera.close();
    }
    // Over the 4 MB limit; the bytes start like a PNG, so only the size can refuse it.
    files.set('/huge.png', Buffer.concat([files.get('/en.png')!, Buffer.alloc(5 * 1024 * 1024)]));
    images = createServer((req, res) => {
      requested.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
      const body = files.get(req.url ?? '');
      // Not chained: restify (loaded with the server) replaces ServerResponse's writeHead with one that returns nothing.
      res.writeHead(body ? 200 : 404, body ? { 'content-type': 'image/png', 'content-length': body.length } : {});
      res.end(body);
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'image-e2e-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    log = captureLog();
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, log.logger);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    storage?.close();
    images?.closeAllConnections();
    await new Promise((resolve) => images?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => (requested.length = 0));

  function teamsUser(locale: 'en-US' | 'ja-JP'): HttpBotConversation {
    sequence += 1;
    return new HttpBotConversation(running.url, locale, `a:teams-image-${sequence}`, `29:user-${sequence}`, 'msteams');
  }

  const inline = (path: string, host = imageBase): Activity['attachments'] => [
    { contentType: 'image/png', contentUrl: `${host}${path}`, name: 'image.png' },
    { contentType: 'text/html', content: `<div><span><img src="${host}${path}"></span></div>` },
  ];

  test('When a Teams user pastes a screenshot of the portal, Then typing shows and the recognised card says it was read from the image', async () => {
    const replies = await teamsUser('en-US').turn({ text: '<div><div><span><img height="200" src="…"></span></div></div>', textFormat: 'xml', attachments: inline('/en.png') });
    expect(replies[0]?.type).toBe('typing');
    const text = textOf(replies);
    expect(text).toContain('I recognized this error');
    expect(text).toContain('VM Agent unable to communicate with Azure Backup');
    expect(text).toContain('Read from the image: error code UserErrorGuestAgentStatusUnavailable');
    expect(requested).toEqual([`${imageBase.slice('http://'.length)}/en.png`]);
  }, 30_000);

  test('When a session starts from a screenshot, Then the insights count it as begun from an image', async () => {
    const user = teamsUser('en-US');
    await user.turn({ text: '', attachments: inline('/en.png') });
    // Closing drains the insights writer (it writes behind the turns); then the server starts again for the next tests.
    await running.close();
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, log.logger);
    const rows = storage.database.prepare('SELECT via FROM insight_sessions WHERE channel = ?').all('msteams') as { via: string }[];
    expect(rows.map((row) => row.via)).toContain('image');
  }, 30_000);

  test('When a Japanese user attaches the screenshot as a Teams file, Then the card says 画像から読み取りました', async () => {
    const file = { contentType: TEAMS_FILE_DOWNLOAD, name: 'エラー.png', content: { downloadUrl: `${imageBase}/ja.png`, uniqueId: 'u1', fileType: 'png' } };
    const text = textOf(await teamsUser('ja-JP').turn({ text: '', attachments: [file] }));
    expect(text).toContain('このエラーだと判断しました');
    expect(text).toContain('画像から読み取りました: エラー コード BackUpOperationFailedV2 が含まれています');
  }, 30_000);

  test('When the user types a line and adds the screenshot, Then both count and the card says so', async () => {
    const text = textOf(await teamsUser('en-US').turn({ text: 'Our nightly job failed again, screenshot below', attachments: inline('/en.png') }));
    expect(text).toContain('Read from the image and your message:');
    expect(text).toContain('error code UserErrorGuestAgentStatusUnavailable');
  }, 30_000);

  test('When a screenshot of another error comes mid-walk, Then the switch card says it was read from the image, and so does the card after switching', async () => {
    const user = teamsUser('en-US');
    const walking = await user.turn({ text: 'ExtensionSnapshotFailedNoNetwork on my Windows VM' });
    expect(buttonsOf(lastCard(walking)).map((entry) => entry.data.action)).toContain('next');
    const switchCard = await user.turn({ text: '', attachments: inline('/en.png') });
    expect(textOf(switchCard)).toContain('Read from the image you just sent, the error looks like "VM Agent unable to communicate with Azure Backup"');
    const switched = textOf(await user.turn({ value: button(lastCard(switchCard), 'switch-error') }));
    expect(switched).toContain('I recognized this error');
    expect(switched).toContain('Read from the image: error code UserErrorGuestAgentStatusUnavailable');
  }, 30_000);

  test('When the picture is on a host the bot does not download from, Then the user hears why and nothing is fetched', async () => {
    const elsewhere = imageBase.replace('127.0.0.1', 'localhost');
    const replies = await teamsUser('ja-JP').turn({ text: '', attachments: inline('/en.png', elsewhere) });
    expect(textOf(replies)).toContain('この画像は開きませんでした');
    expect(requested).toEqual([]);
  }, 30_000);

  test('When the picture is over 4 MB, Then it is refused in the user\'s language', async () => {
    expect(textOf(await teamsUser('en-US').turn({ text: '', attachments: inline('/huge.png') }))).toContain('larger than I read (4 MB)');
  }, 30_000);

  test('When the picture holds no text (a photo), Then the user hears that no text could be read, never a match', async () => {
    const text = textOf(await teamsUser('en-US').turn({ text: '', attachments: inline('/photo.png') }));
    expect(text).toContain('I could not read any text in that picture');
    expect(text).not.toContain('I recognized this error');
  }, 30_000);

  test('When pictures were read, Then neither their bytes nor their URLs nor their text are logged, and no picture is stored', async () => {
    await teamsUser('en-US').turn({ text: '', attachments: inline('/en.png') });
    for (const line of log.lines) {
      expect(line).not.toContain(imageBase);
      expect(line).not.toContain('UserErrorGuestAgentStatusUnavailable');
    }
    const database = readFileSync(join(dataDir, 'bot.sqlite'));
    expect(database.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(false);
    expect(database.includes(Buffer.from(files.get('/en.png')!.subarray(0, 64).toString('base64').slice(0, 40)))).toBe(false);
  }, 30_000);
});
