import { findHints } from '../../../src/domain/matching/hints';

describe('hints found in a paste', () => {
  it.each([
    ['VM Agent unable to communicate with Azure Backup', 'en'],
    ['バックアップが失敗しました: VM Agent unable to communicate with Azure Backup', 'ja'],
    ['ＶＭ エージェント', 'ja'],
  ])('When the paste is %j, Then the language is %s', (paste, language) => {
    expect(findHints(paste).language).toBe(language);
  });

  it.each([
    ['2017-09-20T03:14:15Z INFO waagent is running', 'linux', 'waagent'],
    ['Ubuntu 18.04 の VM でバックアップが失敗', 'linux', 'Ubuntu'],
    ['I restarted it in services.msc already', 'windows', 'services.msc'],
    ['Windows Server 2019 Datacenter', 'windows', 'Windows Server'],
  ])('When the paste is %j, Then the guest OS is %s', (paste, os, clue) => {
    expect(findHints(paste)).toMatchObject({ guestOs: os, guestOsClue: clue });
  });

  it('When the paste names no OS or both, Then the guest OS is left open', () => {
    expect(findHints('VM Agent unable to communicate with Azure Backup').guestOs).toBeUndefined();
    expect(findHints('Windows Server with waagent?').guestOs).toBeUndefined();
  });

  it('When the paste is az backup job show JSON, Then every identifier is found', () => {
    const paste = JSON.stringify({
      id: '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-prod/providers/Microsoft.RecoveryServices/vaults/rsv-prod/backupJobs/8f3e1c2a-7d4b-4e2f-9a61-3c5d7e9f1b2d',
      properties: { entityFriendlyName: 'vm-app-01', errorDetails: [{ errorCode: 'BackUpOperationFailed' }] },
      resourceGroup: 'rg-prod',
    });
    expect(findHints(paste).identifiers).toEqual({
      subscriptionId: '0b1f6471-1bf0-4dda-aec3-cb9272f09590',
      resourceGroup: 'rg-prod',
      vault: 'rsv-prod',
      jobId: '8f3e1c2a-7d4b-4e2f-9a61-3c5d7e9f1b2d',
      vmName: 'vm-app-01',
    });
  });

  it('When the paste is PowerShell job output, Then the VM and job id are found', () => {
    const paste = 'WorkloadName     : sqlvm02\nOperation        : Backup\nStatus           : Failed\nJobId            : 2c0e6b8f-5d0a-4b7e-9e37-2f1a7c6d9e10\n';
    expect(findHints(paste).identifiers).toMatchObject({ vmName: 'sqlvm02', jobId: '2c0e6b8f-5d0a-4b7e-9e37-2f1a7c6d9e10' });
  });

  it('When identifiers are written in a Japanese sentence, Then they are found', () => {
    const paste = 'VM 名: web-jp-01、リソース グループ: rg-tokyo のバックアップが失敗しました';
    expect(findHints(paste).identifiers).toMatchObject({ vmName: 'web-jp-01', resourceGroup: 'rg-tokyo' });
  });

  it('When "VM" is followed by an ordinary word, Then it is not taken for a name', () => {
    expect(findHints('The VM agent is not responsive').identifiers.vmName).toBeUndefined();
  });
});

describe('names that are not names', () => {
  it('When an error code follows "VM:", Then it is not taken for the VM name', () => {
    expect(findHints('Backup failed on our Ubuntu 22.04 VM: ExtensionSnapshotFailedNoNetwork').identifiers.vmName).toBeUndefined();
  });
});

describe('words that look like an OS but are not', () => {
  it.each(['AccountName=stg;EndpointSuffix=core.windows.net', 'Windows Azure Linux Agent is running'])('When the paste says %j, Then it is not taken for Windows', (paste) => {
    expect(findHints(paste).guestOs).not.toBe('windows');
  });
});
