/** `classify` names the current article's errors outside the five (issue 12); the status stays none. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root';

// The real command, built by jest's globalSetup, run as a user would run it.
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');
const PAGE = 'backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout';

function run(args: string[], input: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('backup-troubleshooter classify and the other errors', () => {
  it('When --json gets an other error code, Then otherError names it with its title and section, and status stays none', () => {
    const answer = JSON.parse(run(['classify', '--json'], 'Error code: UserErrorBackupOperationInProgress').stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      status: 'none',
      category: null,
      otherError: {
        code: 'UserErrorBackupOperationInProgress',
        title: 'Unable to initiate backup as another backup operation is currently in progress',
        url: `https://learn.microsoft.com/azure/backup/${PAGE}#usererrorbackupoperationinprogress---unable-to-initiate-backup-as-another-backup-operation-is-currently-in-progress`,
      },
    });
    expect(Object.keys(answer)).toEqual(['status', 'category', 'confidence', 'candidates', 'evidence', 'hints', 'otherError']);
  });

  it('When --json gets a Japanese message of an other error, Then the title and the link are Japanese', () => {
    const answer = JSON.parse(run(['classify', '--json'], 'この仮想マシンは、Azure Backup によって (アクティブに) 保護されていません。').stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      status: 'none',
      otherError: {
        code: 'UserErrorBcmDatasourceNotPresent',
        title: 'バックアップ失敗: この仮想マシンは、Azure Backup によって (アクティブに) 保護されていません',
        url: `https://learn.microsoft.com/ja-jp/azure/backup/${PAGE}#usererrorbcmdatasourcenotpresent---backup-failed-this-virtual-machine-is-not-actively-protected-by-azure-backup`,
      },
    });
  });

  it.each(['How much does Azure Backup cost?', 'Error code: ExtensionSnapshotFailedNoNetwork'])('When --json gets %j, Then there is no otherError', (paste) => {
    expect(JSON.parse(run(['classify', '--json'], paste).stdout)).not.toHaveProperty('otherError');
  });

  it('When --jsonl gets an other error, Then its line has otherError too', () => {
    const line = JSON.parse(run(['classify', '--jsonl'], JSON.stringify({ id: 'x', text: 'UserErrorKeyvaultPermissionsNotConfigured' })).stdout) as Record<string, unknown>;
    expect(line).toMatchObject({ id: 'x', status: 'none', otherError: { code: 'UserErrorKeyvaultPermissionsNotConfigured' } });
  });

  it('When a person reads the answer, Then it names the error and its section', () => {
    const { stdout } = run(['classify'], 'UserErrorUnsupportedDiskSize');
    expect(stdout).toContain('This is not one of the five');
    expect(stdout).toContain('It is UserErrorUnsupportedDiskSize: "The configured disk size(s) is currently not supported by Azure Backup".');
    expect(stdout).toContain(`#usererrorunsupporteddisksize---the-configured-disk-sizes-is-currently-not-supported-by-azure-backup`);
  });
});
