/**
 * `classify --image FILE`: the real command (built by jest's globalSetup) on a
 * screenshot drawn in Chromium, with every socket and name lookup refused in
 * the process and its worker threads (test/support/no-network.js): the OCR
 * runs on the trained data from node_modules and nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root';
import { browserTestsEnabled } from '../../support/webchat-browser';
import { PortalCamera, UNRELATED_PAGES, portalPage, TEST_SHOTS } from '../../support/portal-screenshots';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');
const NO_NETWORK = join(PROJECT_ROOT, 'test', 'support', 'no-network.js');

function run(args: string[], input = '', script: string[] = [CLI]) {
  const result = spawnSync(process.execPath, [...script, ...args], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_OPTIONS: `--require ${NO_NETWORK}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const describeWithBrowser = browserTestsEnabled().run ? describe : describe.skip;

describeWithBrowser('backup-troubleshooter classify --image', () => {
  const folder = mkdtempSync(join(tmpdir(), 'classify-image-'));
  const pane = join(folder, 'pane.png');
  const photo = join(folder, 'photo.png');
  const message = 'VM Agent unable to communicate with Azure Backup';

  beforeAll(async () => {
    const camera = await PortalCamera.open(TEST_SHOTS);
    try {
      const html = portalPage({ language: 'en', code: 'UserErrorGuestAgentStatusUnavailable', message, action: 'Ensure that the VM has network connectivity.' }, true);
      writeFileSync(pane, await camera.shoot('cli-pane', html, { chrome: true, scale: 1, format: 'png' }));
      writeFileSync(photo, await camera.shoot('cli-photo', UNRELATED_PAGES.photo, { chrome: false, scale: 1, format: 'png' }));
    } finally {
      await camera.close();
    }
  }, 60_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('When a screenshot is given with --json, Then the answer is the one its text gets, with the read text in ocrText, and nothing touched the network', () => {
    const { status, stdout, stderr } = run(['classify', '--image', pane, '--json']);
    expect(stderr).not.toContain('NETWORK ATTEMPT');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as Record<string, unknown> & { ocrText: string };
    expect(answer).toMatchObject({ status: 'matched', category: 'agent-unreachable' });
    expect(answer.ocrText).toContain('UserErrorGuestAgentStatusUnavailable');
    const fromText = JSON.parse(run(['classify', '--json'], answer.ocrText).stdout) as Record<string, unknown>;
    expect({ ...answer, ocrText: undefined }).toEqual({ ...fromText, ocrText: undefined });
  });

  test('When a photo is given, Then a person hears that no text could be read (exit code 0)', () => {
    const { status, stdout, stderr } = run(['classify', '--image', photo]);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('No text could be read from the picture.');
  });

  test('When the file is no picture, or missing, Then a one-line problem (JSON) or a usage error', () => {
    const text = join(folder, 'error.txt');
    writeFileSync(text, 'UserErrorGuestAgentStatusUnavailable');
    expect(JSON.parse(run(['classify', '--image', text, '--json']).stdout)).toEqual({ error: { problem: 'unsupported', message: expect.stringMatching(/PNG or JPEG/) } });
    const missing = run(['classify', '--image', join(folder, 'nope.png')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.png: ENOENT/);
    expect(run(['classify', '--image', pane, '--jsonl']).status).toBe(2);
  });

  test('When tesseract.js is left to its defaults under the same guard, Then its download attempt is caught (the guard works in worker threads)', () => {
    const control = `require('tesseract.js').createWorker('eng', 1, { cacheMethod: 'none', errorHandler: () => process.exit(0) });`;
    const { stderr } = run([], '', ['-e', control]);
    expect(stderr).toMatch(/NETWORK ATTEMPT fetch https:\/\/cdn\.jsdelivr\.net\/npm\/@tesseract\.js-data\/eng\//);
  });
});
