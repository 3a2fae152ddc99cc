/** Pastes of the sizes the benchmark measures, shaped like what users send. */
const PORTAL_BLOCK =
  'Error Code: UserErrorGuestAgentStatusUnavailable\nError Message: VM Agent unable to communicate with Azure Backup\nRecommended Action: Ensure the VM has network connectivity and the VM agent is latest and running.';

const CLI_JSON = JSON.stringify(
  {
    id: '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-prod-east/providers/Microsoft.RecoveryServices/vaults/rsv-prod-east/backupJobs/8f3e1c2a-7d4b-4e2f-9a61-3c5d7e9f1b2d',
    name: '8f3e1c2a-7d4b-4e2f-9a61-3c5d7e9f1b2d',
    properties: {
      activityId: '6d1c9b7e-2a34-4f8e-bc11-9a0e2f4d6c88',
      backupManagementType: 'AzureIaasVM',
      duration: '0:31:10.512000',
      entityFriendlyName: 'vm-app-01',
      errorDetails: [
        {
          errorCode: 'ExtensionSnapshotFailedNoNetwork',
          errorString: 'Snapshot operation failed due to no network connectivity on the virtual machine.',
          errorTitle: '',
          recommendations: [
            'Ensure that VM has network access. For snapshot to succeed, either whitelist Azure datacenter IP ranges or set up a proxy server for network access.',
          ],
        },
      ],
      operation: 'Backup',
      status: 'Failed',
    },
    resourceGroup: 'rg-prod-east',
    type: 'Microsoft.RecoveryServices/vaults/backupJobs',
  },
  null,
  2,
);

const COMPLAINT =
  'おはようございます。昨夜のスケジュール バックアップが失敗しました。ポータルを見ると次のように出ています。どなたか原因の切り分け方を教えていただけますか？ 仮想マシンは Windows Server 2016 です。\n';

const LOG_LINE = '2017-09-20T03:14:15.926535Z INFO ExtHandler [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9114.0] Target handler state: enabled\n';

/** Repeats filler around the error until the paste reaches about `bytes`. */
function padTo(bytes: number, filler: string, core: string): string {
  const parts = [core];
  let size = Buffer.byteLength(core);
  let index = 0;
  while (size < bytes) {
    parts.splice(index % 2 === 0 ? 0 : parts.length, 0, filler);
    size += Buffer.byteLength(filler);
    index++;
  }
  return parts.join('');
}

/** What people type (issue 9): short descriptions in both languages, no code, no exact message. */
const DESCRIPTIONS = [
  'backup fails with vm agent not responding',
  'バックアップが失敗しました。VM エージェントが応答していません',
  'hi, our nightly backup keeps failing, the snapshot says there is no network on the vm, nsg blocks outbound maybe?',
  'ｽﾅｯﾌﾟｼｮｯﾄの拡張機能がｴﾗｰになります。どうすればいいですか',
];

export const BENCH_PASTES: { name: string; texts: string[] }[] = [
  { name: 'descr', texts: DESCRIPTIONS },
  { name: '200 B', texts: [PORTAL_BLOCK.slice(0, 200), 'VM エージェントが応答していないため、この操作を実行できません。対処方法を教えてください。', 'BackUpOperationFailed: Backup failed with an internal error - Please retry the operation in a few minutes'] },
  { name: '4 KB', texts: [padTo(4096, COMPLAINT, CLI_JSON), padTo(4096, LOG_LINE, 'ERROR VMSnapshot extension operation failed\n')] },
  { name: '1 MB', texts: [padTo(1 << 20, LOG_LINE, 'ERROR Could not communicate with the VM agent for snapshot status\n'), padTo(1 << 20, COMPLAINT, PORTAL_BLOCK)] },
];
