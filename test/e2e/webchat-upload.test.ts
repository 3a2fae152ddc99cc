/**
 * The web chat page's upload button end to end, in headless Chromium: a user
 * picks a screenshot of the portal's error pane with the send box's upload
 * button and sends it; Web Chat uploads it to the local Direct Line (multipart),
 * the bot reads it from the loopback URL with the real OCR, and the recognised
 * card says it was read from the image. Nothing leaves the machine, and the
 * page raises no script error or Content-Security-Policy violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { silentLogger } from '../../src/logger';
import { browserTestsEnabled, launchBrowser, screenshot, waitForText, type BrowserSession } from '../support/webchat-browser';
import { PortalCamera, portalPage, TEST_SHOTS } from '../support/portal-screenshots';

const enabled = browserTestsEnabled();
const describeInBrowser = enabled.run ? describe : describe.skip;

describeInBrowser('the web chat page: uploading a screenshot', () => {
  jest.setTimeout(90_000);
  let server: RunningServer;
  let storage: SqliteStorage;
  let dataDir: string;
  let browser: BrowserSession;
  let picture: Buffer;

  beforeAll(async () => {
    const camera = await PortalCamera.open(TEST_SHOTS);
    try {
      const html = portalPage({ language: 'ja', code: 'ExtensionSnapshotFailedNoNetwork', message: '仮想マシンがネットワークに接続していないため、スナップショット操作に失敗しました', action: 'VM がネットワークにアクセスできることを確認してください。' }, true);
      picture = await camera.shoot('webchat-upload-pane', html, { chrome: true, scale: 1, format: 'png' });
    } finally {
      await camera.close();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'backup-bot-upload-'));
    storage = new SqliteStorage(join(dataDir, 'bot.sqlite'));
    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), storage, silentLogger);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('When a Japanese user picks a screenshot with the upload button and sends it, Then the error is recognised and said to be read from the image', async () => {
    const texts = CARD_TEXTS.ja;
    const page = await browser.newPage();
    await page.goto(`${server.url}/?locale=ja-JP`);
    await waitForText(page, texts.welcome.title);

    // The upload button opens a file picker; its input takes the file as the picker would.
    await page.locator('.webchat__upload-button--file-input').setInputFiles({ name: 'portal-error.png', mimeType: 'image/png', buffer: picture });
    // The upload button shows a check mark once the file is attached to the send box (its thumbnail made); then it is sent.
    await page.locator('.webchat__attachment-icon--checked').waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.webchat__send-button').click();

    await waitForText(page, texts.recognised.title, 30_000);
    await waitForText(page, /画像から読み取りました: エラー コード ExtensionSnapshotFailedNoNetwork が含まれています/);
    // The user's own message shows the picture (its thumbnail), not a file to download.
    await page.locator('.webchat__stacked-layout--from-user img').first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.locator('.webchat__stacked-layout--from-user .webchat__fileContent').count()).toBe(0);
    await screenshot(page, 'webchat-upload-ja');
    expect(browser.blocked).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
