/**
 * Descriptions in the user's own words (issue 9): concepts, not strings. The
 * cases are the shapes the lexicon is meant to cover; the labelled sets in
 * test/fixtures/eval measure it on texts written without seeing it.
 */
import { defaultMatcher } from '../../../src/domain/matching/load-signatures';
import type { Classification } from '../../../src/domain/matching/classification';

const matcher = defaultMatcher();

function answer(text: string): string {
  const result = matcher.classify(text);
  return result.status === 'matched' ? result.category! : result.status;
}

function offered(result: Classification): string[] {
  return result.candidates.map((candidate) => candidate.category).sort();
}

describe('descriptions that name one error', () => {
  it.each([
    ['バックアップが失敗しました。VM エージェントが応答していません', 'agent-unresponsive'],
    ['backup fails with vm agent not responding', 'agent-unresponsive'],
    ['snapshot failed, no network on the vm', 'no-network'],
    ['backup failed - guest agent status unavailable', 'agent-unreachable'],
    ['スナップショットの拡張機能がエラーになります', 'vmsnapshot-extension-failed'],
    ['The guest agent on our VM cannot talk to the backup service any more', 'agent-unreachable'],
    ['waagent が Azure Backup とつながらないみたいです', 'agent-unreachable'],
    ['ゲスト エージェントが反応がないのでバックアップできません', 'agent-unresponsive'],
    ['backup job died: internal error, it says retry in a few minutes', 'internal-error'],
    ['内部エラーでバックアップがこけました。数分後に再試行してくださいとのこと', 'internal-error'],
    ['the VMSnapshot extension keeps failing on our Linux box', 'vmsnapshot-extension-failed'],
    ['NSG blocks outbound traffic so the snapshot fails', 'no-network'],
  ])('When someone writes %j, Then it is matched to %s', (text, expected) => {
    expect(answer(text)).toBe(expected);
  });

  it('When the words are spelt with half-width kana, full-width letters or without spaces, Then they read the same', () => {
    for (const text of ['ﾊﾞｯｸｱｯﾌﾟ失敗、ｴｰｼﾞｪﾝﾄが応答なし', 'ＶＭエージェントが応答しません', 'V M エ ー ジ ェ ン ト が 応 答 し ま せ ん']) {
      expect(answer(text)).toBe('agent-unresponsive');
    }
  });

  it('When key words are misspelt or written in hiragana, Then they still count', () => {
    expect(answer('snaphsot operation faild becuase of no netwrok connectivity')).toBe('no-network');
    expect(answer('ないぶえらーでばっくあっぷしっぱい')).toBe('internal-error');
  });

  it('When a code is half-remembered (no prefix, or shortened), Then it counts as the code', () => {
    expect(answer('backup for vm-sql01 failed w/ GuestAgentStatusUnavailable')).toBe('agent-unreachable');
    expect(answer('BackUpOpFailed internal err. retry didnt help')).toBe('internal-error');
  });
});

describe('negation and context', () => {
  it('When the agent is said to be running and the network is what fails, Then it is the network, not the agent', () => {
    expect(answer('The agent service is running fine, but the snapshot fails because the VM has no internet access.')).toBe('no-network');
    expect(answer('エージェントは正常に動いていますが、ネットワークに接続できずスナップショットが失敗します')).toBe('no-network');
  });

  it('When the agent is running but does not respond, Then the fault still counts', () => {
    expect(answer('the agent is running but it does not respond to the backup')).toBe('agent-unresponsive');
  });

  it('When the text asks to check that the agent is running, Then that is not a statement that it is', () => {
    const result = matcher.classify('VMエージェントを最新にして実行中か確認してください、というエラーでした');
    expect(result.status).toBe('ambiguous');
    expect(offered(result)).toEqual(['agent-unreachable', 'agent-unresponsive']);
  });

  it('When the backup is said to be fine and something else lacks the internet, Then it is none', () => {
    expect(answer('Windows Update on the VM fails because it cannot reach the internet. Backups are fine.')).toBe('none');
    expect(answer('VMからインターネットに出られないので apt update ができません。バックアップは問題なしです。')).toBe('none');
  });

  it('When no error is reported, Then a question about the agent is none', () => {
    expect(answer('Linux VM エージェントのバージョンを確認する方法を教えてください。特にエラーは出ていません。')).toBe('none');
  });
});

describe('descriptions that fit more than one error', () => {
  it.each([
    ['backup fails, something is wrong with the VM agent', ['agent-unreachable', 'agent-unresponsive']],
    ['スナップショットが失敗します', ['no-network', 'vmsnapshot-extension-failed']],
    ['Backup failed and the error mentioned network connectivity', ['agent-unreachable', 'no-network']],
  ])('When someone writes %j, Then the user is asked with %j', (text, expected) => {
    const result = matcher.classify(text);
    expect(result.status).toBe('ambiguous');
    expect(offered(result)).toEqual([...expected].sort());
  });

  it('When two strong descriptions disagree, Then the user is asked rather than told', () => {
    const result = matcher.classify('the VM agent cannot communicate with Azure Backup and the snapshot fails because there is no internet');
    expect(result.status).toBe('ambiguous');
    expect(offered(result)).toEqual(['agent-unreachable', 'no-network']);
  });
});

describe('descriptions of something else', () => {
  it.each([
    'Restoring the VM from yesterday failed with an internal error. The backups themselves are fine.',
    'VMの復元が内部エラーで失敗しました（バックアップ自体は成功しています）',
    'MARS agent is not responding on our file server',
    'Site Recovery replication is stuck, the mobility agent does not respond',
    'VSS writers are in a failed state during backup',
    'Backup has no permission to the key vault for our encrypted VMs',
    '復元ポイントの上限に達したと言われました',
    'the VM is in a failed provisioning state',
    'the Custom Script extension fails on deployment',
    'how much does Azure VM backup cost per month?',
    'how do I enable backup for a new VM?',
    'Backups of our VMs have failed ever since the policy migration from Standard to Enhanced, code BackUpOperationFailedV2',
    'ポータルから手動でマネージドディスクのスナップショットを作ろうとしたら失敗しました',
    'ﾓﾆﾀﾘﾝｸﾞｴｰｼﾞｪﾝﾄの拡張機能がｴﾗｰになってる',
  ])('When someone writes %j, Then it is none', (text) => {
    expect(answer(text)).toBe('none');
  });
});

describe('what the answer shows', () => {
  it('When a description is matched, Then the evidence names the words found', () => {
    const result = matcher.classify('backup fails with vm agent not responding');
    const described = result.evidence.find((item) => item.kind === 'description');
    expect(described?.about).toEqual({ kind: 'described', terms: ['agent', 'not responding'] });
    expect(described?.text).toBe('your words: "agent" + "not responding"');
  });

  it('When the exact message or a code is pasted, Then the words around it add no description evidence', () => {
    const result = matcher.classify('Could not communicate with the VM agent for snapsh');
    expect(result.evidence.some((item) => item.kind === 'description')).toBe(false);
    expect(result.category).toBe('agent-unresponsive');
  });

  it('When a description is a match, Then its confidence stays below a code\'s', () => {
    expect(matcher.classify('backup fails with vm agent not responding').confidence).toBeLessThan(matcher.classify('GuestAgentSnapshotTaskStatusError').confidence);
  });
});
