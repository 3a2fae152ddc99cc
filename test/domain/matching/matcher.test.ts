import { defaultMatcher } from '../../../src/domain/matching/load-signatures';
import { loadSignatures } from '../../../src/domain/matching/matcher-data';
import type { ErrorId } from '../../../src/domain/knowledge/schema';

const matcher = defaultMatcher();

describe('the matcher', () => {
  it.each<[string, ErrorId]>([
    ['UserErrorGuestAgentStatusUnavailable', 'agent-unreachable'],
    ['usererrorguestagentstatusunavailable', 'agent-unreachable'],
    ['ＥｘｔｅｎｓｉｏｎＳｎａｐｓｈｏｔＦａｉｌｅｄＮｏＮｅｔｗｏｒｋ', 'no-network'],
    ['ExtensionSnapshotFailedNoNetwrok', 'no-network'],
    ['ExtentionOperationFailed', 'vmsnapshot-extension-failed'],
    ['ExtensionOperationFailedForManagedDisks', 'vmsnapshot-extension-failed'],
    ['GuestAgentSnapshotTaskStatusError', 'agent-unresponsive'],
    ['BackUpOperationFailedV2', 'internal-error'],
  ])('When the paste is the code %s, Then it is %s', (paste, expected) => {
    const result = matcher.classify(paste);
    expect(result).toMatchObject({ status: 'matched', category: expected });
    expect(result.evidence[0]?.kind).toBe('code');
  });

  it.each<[string, ErrorId]>([
    ['Error: VM Agent unable to communicate with Azure Backup', 'agent-unreachable'],
    ['我々のVMで「VM エージェントが Azure Backup と通信できません」と表示されました', 'agent-unreachable'],
    ['snapshot operation failed due to no network connectivity on the virtual machine', 'no-network'],
    ['仮想マシンがネットワークに接続していないため、スナップショット操作に失敗しました。', 'no-network'],
    ['VMSnapshot extention operaton failed', 'vmsnapshot-extension-failed'],
    ['管理ディスクの VMSnapshot の拡張操作に失敗しました', 'vmsnapshot-extension-failed'],
    ['Unable to perform the operation as the VM Agent is not responsive', 'agent-unresponsive'],
    ['Error messagae: "Unable to perform the operation as the VM Agent is not\nresponsive"', 'agent-unresponsive'],
    ['Could not communicate with the VM agent for snapshot status', 'agent-unresponsive'],
    ['VM エージェントが応答していないために操作を実行できない', 'agent-unresponsive'],
    ['Backup failed with an internal eror - Please retry the operation in a few minutes', 'internal-error'],
    ['内部エラーでバックアップに失敗しました', 'internal-error'],
    ['our nightly job says "Snapshot operation failed due to no network conn', 'no-network'],
  ])('When the paste carries the message %j, Then it is %s', (paste, expected) => {
    expect(matcher.classify(paste)).toMatchObject({ status: 'matched', category: expected });
  });

  it.each<[string, ErrorId[]]>([
    ['Could not communicate with the VM agent for snapshot status - Snapshot VM sub task timed out', ['agent-unreachable', 'agent-unresponsive']],
    ['スナップショット VM サブタスクがタイムアウトしました', ['agent-unreachable', 'agent-unresponsive']],
    ['Recovery services extension operation failed. - Make sure the latest virtual machine agent is present on the virtual machine, and agent service is running.', ['agent-unresponsive', 'vmsnapshot-extension-failed']],
    ['FailedRetryableSnapshotFailedNoNetwork', ['internal-error', 'no-network']],
  ])('When the paste is ambiguous by history (%j), Then the candidates are offered', (paste, expected) => {
    const result = matcher.classify(paste);
    expect(result.status).toBe('ambiguous');
    expect(result.category).toBeNull();
    expect(result.candidates.map((candidate) => candidate.category).sort()).toEqual(expected);
  });

  it.each([
    'ExtensionSnapshotFailedNoSecureNetwork',
    'UserErrorRpCollectionLimitReached',
    'CloudInternalError',
    'UserErrorSomethingNobodyDocumented happened',
    'BackUpOperationFailedV2 - The backups of VMs have failed after the policy migration from Standard to Enhanced policy.',
    'The Restore Point collection max limit has reached.',
    '復元ポイント コレクションの上限に達しました。',
    'Azure Site Recovery: replication health critical, Mobility service agent unable to communicate',
    'hello',
    'バックアップの料金を教えてください',
    'Snapshot operation failed because VSS writers were in a bad state.',
  ])('When the paste is about something else (%j), Then the answer is none', (paste) => {
    const result = matcher.classify(paste);
    expect(result.status).toBe('none');
    expect(result.category).toBeNull();
  });

  it('When the answer is matched, Then the evidence names the code a person can check', () => {
    const result = matcher.classify('{"errorCode": "ExtensionSnapshotFailedNoNetwork"}');
    expect(result.evidence.map((item) => item.text)).toContain('error code ExtensionSnapshotFailedNoNetwork');
  });

  it('When the code is misspelt, Then the evidence says how it was written', () => {
    const [first] = matcher.classify('ExtensionSnapshotFailedNoNetwrok').evidence;
    expect(first?.text).toBe('error code ExtensionSnapshotFailedNoNetwork (written "extensionsnapshotfailednonetwrok")');
  });

  it('When the paste is a 1 MB log with the error near the end, Then it is still found', () => {
    const noise = '2017-09-20T03:14:15.926535Z INFO ExtHandler Checking for agent family updates\n'.repeat(13_000);
    const result = matcher.classify(`${noise}2017-09-20T03:15:00Z ERROR ExtHandler VMSnapshot extension operation failed\n`);
    expect(result).toMatchObject({ status: 'matched', category: 'vmsnapshot-extension-failed' });
  });

  it('When the signatures file is broken, Then loading names the field', () => {
    expect(() => loadSignatures({ codes: [{ code: 'X', targets: [] }], phrases: [], outOfScopeContexts: [] }, 'sig.json')).toThrow(
      /sig\.json: codes\.0\.code/,
    );
  });
});

describe('codes as people paste them', () => {
  it.each<[string, string, ErrorId]>([
    ['cut off at the end of a line', 'Error code: ExtensionOperationFailedForMan\nError message: ...', 'vmsnapshot-extension-failed'],
    ['wrapped over two lines', 'Error Code:\nGuestAgentSnapshot\nTaskStatusError', 'agent-unresponsive'],
    ['wrapped in a quoted email', '> Error Code: UserErrorGuestAgent\n> StatusUnavailable', 'agent-unreachable'],
    ['misspelt twice', 'UserErorGuestAgnetStatusUnavailable', 'agent-unreachable'],
  ])('When a code is %s, Then it is still read', (_, paste, expected) => {
    expect(matcher.classify(paste)).toMatchObject({ status: 'matched', category: expected });
  });

  it('When an unknown CamelCase error code is pasted, Then it is answered none', () => {
    const result = matcher.classify('Deployment failed: SomeServiceQuotaLimitReached for the subscription');
    expect(result.status).toBe('none');
    expect(result.evidence[0]?.kind).toBe('other-error');
  });

  it('When a short code prefix could be two different errors, Then it is not guessed', () => {
    // "ExtensionSnapshotFailed" begins both ...NoNetwork (in scope) and ...NoSecureNetwork / ...COM (out of scope).
    expect(matcher.classify('ExtensionSnapshotFailed').status).not.toBe('matched');
  });
});
