/**
 * The OCR port end to end on pictures drawn here: portal-like error panes in
 * both languages, with and without the portal around them, at 100 % and 150 %,
 * as PNG and as a JPEG at quality 60, whole and cropped → read with the
 * tesseract.js pool (the trained data from node_modules) → classified like a
 * paste → the right error, each of the five at least once. Pictures that are
 * not one of the five (a photo, a chart, an empty pane, another error) → none,
 * or no text at all; never a wrong match.
 */
import { defaultMatcher } from '../../../src/domain/matching/load-signatures';
import type { ErrorId } from '../../../src/domain/knowledge/schema';
import { DEFAULT_OCR_POOL, TesseractPool } from '../../../src/data-access/ocr/tesseract-pool';
import { browserTestsEnabled } from '../../support/webchat-browser';
import { PortalCamera, UNRELATED_PAGES, portalPage, type ErrorPane, type ShotOptions, TEST_SHOTS } from '../../support/portal-screenshots';

interface Case {
  name: string;
  pane: ErrorPane;
  shot: ShotOptions;
  expected: ErrorId;
}

const PANES = {
  agentUnreachableEn: {
    language: 'en',
    code: 'UserErrorGuestAgentStatusUnavailable',
    message: 'VM Agent unable to communicate with Azure Backup',
    action: 'Ensure that the VM has network connectivity and the VM agent is up to date and running. For more information, please refer to https://aka.ms/guestagent-status-unavailable',
  },
  agentUnreachableJaMessageOnly: {
    language: 'ja',
    message: 'VM エージェントが Azure Backup と通信できません',
    action: 'VM がネットワークに接続でき、最新の VM エージェントが実行されていることを確認します。',
  },
  noNetworkJa: {
    language: 'ja',
    code: 'ExtensionSnapshotFailedNoNetwork',
    message: '仮想マシンがネットワークに接続していないため、スナップショット操作に失敗しました',
    action: 'VM がネットワークにアクセスできることを確認してください。Azure データセンターの IP 範囲を許可するか、プロキシ サーバーを設定してください。',
  },
  extensionFailedEn: {
    language: 'en',
    code: 'ExtensionOperationFailedForManagedDisks',
    message: 'VMSnapshot extension operation failed for managed disks - Retry the backup operation',
    action: 'Retry the backup operation. If the issue persists, contact Microsoft Support.',
  },
  agentUnresponsiveJa: {
    language: 'ja',
    code: 'GuestAgentSnapshotTaskStatusError',
    message: 'スナップショットの状態について VM エージェントと通信できませんでした',
    action: 'VM エージェントが実行中で最新であることを確認してください。',
  },
  agentUnresponsiveEnMessageOnly: {
    language: 'en',
    message: 'Unable to perform the operation as the VM Agent is not responsive',
    action: 'Ensure that the VM agent is running and up to date.',
  },
  internalErrorEn: {
    language: 'en',
    code: 'BackUpOperationFailedV2',
    message: 'Backup failed with an internal error - Please retry the operation in a few minutes',
    action: 'Retry the operation in a few minutes. If the problem persists, contact Microsoft Support.',
  },
  internalErrorJa: {
    language: 'ja',
    code: 'BackUpOperationFailed',
    message: 'バックアップ操作は内部エラーのため失敗しました - 数分以内に操作をやり直してください',
    action: '数分後に操作をやり直してください。',
  },
  otherErrorEn: {
    language: 'en',
    code: 'ExtensionFailedVssWriterInBadState',
    message: 'Snapshot operation failed because VSS writers were in a bad state.',
    action: 'Restart the VSS writers that are in a bad state, then retry the backup.',
  },
} satisfies Record<string, ErrorPane>;

const MATCHES: Case[] = [
  { name: 'en-pane-100', pane: PANES.agentUnreachableEn, shot: { chrome: false, scale: 1, format: 'png' }, expected: 'agent-unreachable' },
  { name: 'ja-pane-100', pane: PANES.noNetworkJa, shot: { chrome: false, scale: 1, format: 'png' }, expected: 'no-network' },
  { name: 'en-portal-150', pane: PANES.extensionFailedEn, shot: { chrome: true, scale: 1.5, format: 'png' }, expected: 'vmsnapshot-extension-failed' },
  { name: 'ja-portal-100-jpeg60', pane: PANES.agentUnresponsiveJa, shot: { chrome: true, scale: 1, format: 'jpeg' }, expected: 'agent-unresponsive' },
  { name: 'en-portal-100-jpeg60', pane: PANES.internalErrorEn, shot: { chrome: true, scale: 1, format: 'jpeg' }, expected: 'internal-error' },
  { name: 'ja-pane-150', pane: PANES.internalErrorJa, shot: { chrome: false, scale: 1.5, format: 'png' }, expected: 'internal-error' },
  { name: 'en-portal-cropped', pane: PANES.agentUnresponsiveEnMessageOnly, shot: { chrome: true, scale: 1, format: 'png', crop: '#message' }, expected: 'agent-unresponsive' },
  { name: 'ja-portal-150-cropped', pane: PANES.agentUnreachableJaMessageOnly, shot: { chrome: true, scale: 1.5, format: 'png', crop: '#pane' }, expected: 'agent-unreachable' },
];

const browser = browserTestsEnabled();
const describeWithBrowser = browser.run ? describe : describe.skip;

describeWithBrowser('Reading the error from a screenshot of the portal', () => {
  const matcher = defaultMatcher();
  let camera: PortalCamera;
  let pool: TesseractPool;
  /** Every picture is drawn and read once, up front (two engines side by side); the tests look at the results. */
  const read = new Map<string, Promise<{ text: string; ms: number }>>();

  beforeAll(async () => {
    camera = await PortalCamera.open(TEST_SHOTS);
    // Every picture is handed over at once: the queue holds them all.
    pool = new TesseractPool({ ...DEFAULT_OCR_POOL, maxQueue: 16 });
    for (const { name, pane, shot } of MATCHES) read.set(name, camera.shoot(name, portalPage(pane, shot.chrome), shot).then((bytes) => pool.read(bytes)));
    read.set('other-error', camera.shoot('other-error', portalPage(PANES.otherErrorEn, true), { chrome: true, scale: 1, format: 'png' }).then((bytes) => pool.read(bytes)));
    for (const [name, html] of Object.entries(UNRELATED_PAGES)) read.set(name, camera.shoot(name, html, { chrome: false, scale: 1, format: 'png' }).then((bytes) => pool.read(bytes)));
    await Promise.allSettled(read.values());
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await camera?.close();
  });

  test.each(MATCHES.map((c) => [c.name, c.expected] as const))('When the picture is %s, Then the error read from it is %s', async (name, expected) => {
    const { text } = await read.get(name)!;
    const result = matcher.classify(text);
    expect({ name, status: result.status, category: result.category }).toEqual({ name, status: 'matched', category: expected });
  });

  test('When the five errors are drawn, Then each of them is read at least once', () => {
    expect(new Set(MATCHES.map((c) => c.expected))).toEqual(new Set(['agent-unreachable', 'no-network', 'vmsnapshot-extension-failed', 'agent-unresponsive', 'internal-error']));
  });

  test('When the pane is in Japanese, Then the read text is Japanese, spaced out as the engine reads it, and still matches the message', async () => {
    const { text } = await read.get('ja-pane-100')!;
    expect(text).toMatch(/ExtensionSnapshotFailedNoNetwork/);
    expect(text).toMatch(/[ぁ-ん]/);
    const evidence = matcher.classify(text).evidence.map((item) => item.kind);
    expect(evidence).toEqual(expect.arrayContaining(['code', 'phrase']));
  });

  test('When the picture shows another error (a VSS writer), Then the answer is none, not one of the five', async () => {
    const { text } = await read.get('other-error')!;
    expect(text).toMatch(/VssWriter/i);
    expect(matcher.classify(text).status).toBe('none');
  });

  test.each(Object.keys(UNRELATED_PAGES))('When the picture is a %s, Then nothing is matched', async (name) => {
    const { text } = await read.get(name)!;
    expect(matcher.classify(text.trim() === '' ? ' ' : text).status).toBe('none');
    if (name !== 'chart') expect(text.trim()).toBe('');
  });
});
