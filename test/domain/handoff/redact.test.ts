import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REDACTION_KINDS, redactDeep, redactText, redactionPlaceholder } from '../../../src/domain/handoff/redact';
import type { RedactionKind } from '../../../src/domain/handoff/redact';
import { fake } from '../../fixtures/redaction/fake-secrets';
import { SAMPLES } from '../../fixtures/redaction/samples';

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n += 1;
  return n;
}

const sorted = (kinds: readonly RedactionKind[]): RedactionKind[] => [...kinds].sort();

describe('redactText on realistic pastes', () => {
  it.each(SAMPLES.map((sample) => [sample.title, sample.lang, sample] as const))(
    'When the paste is %s (%s), Then every secret is gone, the rest survives byte for byte and the kinds are reported',
    (_title, _lang, sample) => {
      for (const secret of sample.secrets) expect(sample.text).toContain(secret);
      const { text, found } = redactText(sample.text);
      for (const secret of sample.secrets) expect(text).not.toContain(secret);
      for (const keep of sample.keep) {
        const before = sample.text.includes(keep) ? occurrences(sample.text, keep) : undefined;
        // A kept fragment is either untouched text, or shows the mask in its place.
        if (before !== undefined) expect(occurrences(text, keep)).toBe(before);
        else expect(text).toContain(keep);
      }
      expect(sorted(found)).toEqual(sorted(sample.kinds));
      if (sample.expected !== undefined) expect(text).toBe(sample.expected);
    },
  );

  it.each(SAMPLES.map((sample) => [sample.id, sample] as const))(
    'When the redacted paste %s is redacted again, Then nothing changes and nothing is found',
    (_id, sample) => {
      const once = redactText(sample.text).text;
      expect(redactText(once)).toEqual({ text: once, found: [] });
    },
  );

  it('When the samples are counted, Then both languages are well covered', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(30);
    expect(SAMPLES.filter((sample) => sample.lang === 'ja').length).toBeGreaterThanOrEqual(8);
    const covered = new Set(SAMPLES.flatMap((sample) => sample.kinds));
    for (const kind of REDACTION_KINDS.filter((k) => k !== 'jwt')) expect(covered).toContain(kind);
  });
});

describe('the structure around a mask', () => {
  it('When a storage connection string is redacted, Then only the account key is masked', () => {
    const key = fake.storageKey('structure');
    expect(redactText(`DefaultEndpointsProtocol=https;AccountName=stgprod01;AccountKey=${key};EndpointSuffix=core.windows.net`)).toEqual({
      text: 'DefaultEndpointsProtocol=https;AccountName=stgprod01;AccountKey=[REDACTED storage key];EndpointSuffix=core.windows.net',
      found: ['connection-string', 'storage-key'],
    });
  });

  it('When a blob SAS URL is redacted, Then the URL and sv, st, se, sp, spr, sr stay and only sig is masked', () => {
    const url = 'https://stgprod01.blob.core.windows.net/vhds/a.vhd?sp=r&st=2023-04-12T06:00:00Z&se=2023-04-12T14:00:00Z&spr=https&sv=2022-11-02&sr=b&sig=';
    expect(redactText(url + fake.sasSignature('structure'))).toEqual({ text: `${url}[REDACTED SAS signature]`, found: ['sas-token'] });
  });

  it('When a SAS signature is URL-encoded inside another URL, Then it is masked too', () => {
    const sig = fake.sasSignature('nested');
    const { text } = redactText(`https://portal.example/open?target=https%3A%2F%2Fstg.blob.core.windows.net%2Fc%2Fb%3Fsv%3D2022-11-02%26sig%3D${sig}`);
    expect(text).not.toContain(sig);
    expect(text).toContain('https%3A%2F%2Fstg.blob.core.windows.net%2Fc%2Fb%3Fsv%3D2022-11-02%26sig%3D[REDACTED SAS signature]');
  });

  it('When JSON names a secret, Then the key and the quotes stay', () => {
    expect(redactText('{"password": "P@ssw0rd-2023", "clientSecret":"x~Y.z_0123456789abcdef"}').text).toBe(
      '{"password": "[REDACTED password]", "clientSecret":"[REDACTED client secret]"}',
    );
  });

  it('When PowerShell Format-List output shows a secret, Then the field name and the alignment stay', () => {
    expect(redactText('UserName         : azureadmin\nPassword         : Str0ng-Pa55\nPasswordExpired  : False').text).toBe(
      'UserName         : azureadmin\nPassword         : [REDACTED password]\nPasswordExpired  : False',
    );
  });

  it('When a password ends a sentence or sits in brackets, Then the punctuation stays outside the mask', () => {
    expect(redactText('(password=Abc12345).').text).toBe('(password=[REDACTED password]).');
    expect(redactText('password: Abc12345, user: admin').text).toBe('password: [REDACTED password], user: admin');
  });

  it('When a private key was cut off before its END line, Then the rest of the key is masked anyway', () => {
    const pem = fake.privateKey('cut');
    const cut = pem.slice(0, pem.length - 200);
    const { text, found } = redactText(`key:\n${cut}`);
    expect(text).toBe('key:\n[REDACTED private key]');
    expect(found).toEqual(['private-key']);
    expect(redactText(`${cut}\n\nThanks, John (see the log below)`).text).toBe('[REDACTED private key]\n\nThanks, John (see the log below)');
    expect(redactText(`"${cut.replace(/\n/g, '\\n')}" is what we have`).text).toBe('"[REDACTED private key]" is what we have');
  });

  it('When a private key sits in a JSON string with \\n escapes, Then the whole key is masked and the JSON stays valid', () => {
    const json = JSON.stringify({ vmName: 'vm-web01', privateKey: fake.privateKey('json', 'PRIVATE KEY') });
    const { text } = redactText(json);
    expect(JSON.parse(text)).toEqual({ vmName: 'vm-web01', privateKey: '[REDACTED private key]' });
  });

  it('When a JWT appears outside an Authorization header, Then it is masked as a JWT', () => {
    const token = fake.jwt('standalone');
    expect(redactText(`id_token?=${token} in the redirect`)).toEqual({ text: 'id_token?=[REDACTED JWT] in the redirect', found: ['jwt'] });
  });

  it('When a client secret in the 8Q~ format stands alone, Then it is masked', () => {
    const secret = fake.clientSecret('alone');
    expect(redactText(`the new one is ${secret} (expires 2025-04-12)`).text).toBe('the new one is [REDACTED client secret] (expires 2025-04-12)');
  });

  it('When a storage key stands alone on a line, Then it is masked', () => {
    const key = fake.storageKey('alone');
    expect(redactText(`key1\n${key}\n`)).toEqual({ text: 'key1\n[REDACTED storage key]\n', found: ['storage-key'] });
  });

  it('When a phone number after a label is written with spaces, Then it is masked and the number after it is not swallowed', () => {
    expect(redactText('TEL 03 1234 5678 090-1234-5678').text).toBe('TEL [REDACTED phone] [REDACTED phone]');
    expect(redactText('携帯 090 1234 5678（平日のみ）').text).toBe('携帯 [REDACTED phone]（平日のみ）');
    expect(redactText('Phone: 425 555 0100, ext. 12').text).toBe('Phone: [REDACTED phone], ext. 12');
    expect(redactText('+81 3 1234 5678 2023年').text).toBe('[REDACTED phone] 2023年');
  });

  it('When a SAS sits under a token-named key, Then only its signature is masked', () => {
    const sig = fake.sasSignature('token-key');
    const sas = `?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2023-04-13T00:00:00Z&spr=https&sig=${sig}`;
    const masked = sas.replace(sig, '[REDACTED SAS signature]');
    expect(redactText(`{"sasToken": "${sas}"}`)).toEqual({ text: `{"sasToken": "${masked}"}`, found: ['sas-token'] });
    expect(redactDeep({ sasToken: sas })).toEqual({ value: { sasToken: masked }, found: ['sas-token'] });
  });

  it('When Get-AzAccessToken output shows a token, Then the token is masked and the other fields stay', () => {
    const token = fake.opaqueToken('ps');
    expect(redactText(`Token     : ${token}\nExpiresOn : 4/12/2023 4:31:53 PM +00:00\nType      : Bearer`).text).toBe(
      'Token     : [REDACTED bearer token]\nExpiresOn : 4/12/2023 4:31:53 PM +00:00\nType      : Bearer',
    );
  });

  it.each(REDACTION_KINDS.map((kind) => [kind] as const))('When a %s is masked, Then the placeholder is the fixed English [REDACTED …] form', (kind) => {
    expect(redactionPlaceholder(kind)).toMatch(/^\[REDACTED [A-Za-z ]+\]$/);
  });
});

/** Text the helpdesk needs: must come out exactly as it went in. */
const NEGATIVES: string[] = [
  'd337f900-73dd-42a1-99ea-711ffb58e5fe',
  '00000000-0000-0000-0000-000000000000',
  '12345678-1234-5678-0120-123456789012',
  '/subscriptions/d337f900-73dd-42a1-99ea-711ffb58e5fe/resourceGroups/rg-web-prod/providers/Microsoft.RecoveryServices/vaults/rsv-prod-jpe-01/backupJobs/52d09217-b204-4918-9b99-26245cf739bb',
  '/subscriptions/d337f900-73dd-42a1-99ea-711ffb58e5fe/resourceGroups/RG-ERP-JPW/providers/Microsoft.Compute/virtualMachines/osk-ap-02',
  '"activityId": "4e3a73d9-d318-49cd-9646-e2e5ef014943-2023-04-12-15:30:04Z"',
  '"containerName": "iaasvmcontainerv2;rg-web-prod;vm-web01"',
  '"errorCode": "UserErrorGuestAgentStatusUnavailable"',
  '"errorCode": 400182',
  'ExtensionSnapshotFailedNoNetwork / ExtentionOperationFailed / BackUpOperationFailedV2 / GuestAgentSnapshotTaskStatusError',
  '"duration": "0:31:48.785280", "endTime": "2023-04-12T16:01:53.782136+00:00"',
  '2017-09-20T03:14:15.926535Z INFO ExtHandler ExtHandler [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.91.0] Target handler state: enabled',
  '開始時刻: 2023/03/05 05:30',
  'StartTime             : 8/14/2022 8:00:31 PM',
  '[00000008] [09/20/2017 03:14:15.92] [WARN]  GoalStateClient: unable to fetch goal state from 168.63.129.16',
  '[09-20-2017 03:14:15] [Error] SnapshotBlob: unable to connect to https://md-hdd-qr8s.blob.core.windows.net:443',
  'Duration              : 00:32:35.0572659',
  'allow 168.63.129.16 and 10.0.0.0/24 on port 8443; proxy 10.0.4.10:3128',
  'WALinuxAgent-2.2.32, Windows Guest Agent 2.7.41491.1102, build 10.0.17763.1234',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\BcdrAgentPersistentKeys',
  'REG ADD "HKLM\\SOFTWARE\\Microsoft\\BcdrAgent" /v USEVSSCOPYBACKUP /t REG_SZ /d TRUE /f',
  '/var/log/waagent.log and /var/log/azure/Microsoft.Azure.RecoveryServices.VMSnapshotLinux/extension.log',
  'C:\\WindowsAzure\\Logs\\Plugins\\Microsoft.Azure.RecoveryServices.VMSnapshot\\1.0.60.0\\IaaSBcdrExtension0.log',
  'For more information, refer to https://go.microsoft.com/fwlink/?LinkId=800034',
  'GET http://168.63.129.16/machine/?comp=goalstate -- IOError timed out',
  'error 151076, KB4012598, HRESULT 0x80070005, event id 1000',
  '(UTC+09:00) 大阪、札幌、東京',
  '〒100-0001 東京都千代田区',
  'MAC 00-15-5D-01-02-03',
  '"contentMd5": "1B2M2Y8AsgTpgAmY7PhCfg=="',
  '"protectedSettingsCertThumbprint": "3B1C4F0D9E2A7B6C5D4E3F2A1B0C9D8E7F6A5B4C"',
  '"keyName": "key1", "permissions": "FULL"',
  'SharedAccessKeyName=RootManageSharedAccessKey',
  '"tokenType": "Bearer"',
  'the bearer token expired',
  '"adminPassword": null',
  '"password": "********"',
  'Password : System.Security.SecureString',
  'New-AzVM -Credential $cred -Password $securePassword',
  'az vm user update -u azureuser --admin-password $ADMIN_PASSWORD',
  '-Password (Read-Host -AsSecureString)',
  'Provisioning.DeleteRootPassword=n',
  'Provisioning.PasswordCryptId=6',
  '"disablePasswordAuthentication": true',
  'the password is expired.',
  'パスワードは Azure ポータルで変更しました。',
  'パスワードの有効期限が切れています',
  'ログ ファイルのパス: /var/log/waagent.log',
  'ssh azureuser@10.0.0.4',
  'ssh azureuser@vm-web01',
  '@インフラチーム 確認お願いします',
  '@{"storageAccountName"="stgprod01"}',
  'sig=short',
  'signature verification failed',
  'https://md-hdd-x1y2z3.blob.core.windows.net/$system/vm-web01.status',
  'ErrorCode       : 400030',
  'Properties            : {[VM Name, vm-sql-prod02], [Backup Size, 0 MB]}',
  'vm-web01 rg-web-prod rsv-prod-jpe-01 stgprod01 tky-file01 jp-erp-web3',
  '毎晩 2 時のスケジュール バックアップが 3 日連続失敗しています',
  '"expires_on": 1681284713',
  'version 123.45.6789',
  'PS C:\\> $details = Get-AzRecoveryServicesBackupJobDetail -Job $job -VaultId $vault.ID',
  'ＵｓｅｒＥｒｒｏｒＧｕｅｓｔＡｇｅｎｔＳｔａｔｕｓＵｎａｖａｉｌａｂｌｅ',
  'I tried to phone 3 times; 内線 4321',
  'Cell 12 of the table',
  'Phone 168.63.129.16 from the VM; tel 10.0.0.4',
  '"continuationToken": null, "InstrumentationKey=0b1f6471-1bf0-4dda-aec3-cb9272f09590;IngestionEndpoint=https://japaneast-1.in.applicationinsights.azure.com/"',
];

describe('what must not be touched', () => {
  it.each(NEGATIVES.map((text) => [text] as const))('When the text is %j, Then it comes out unchanged and nothing is found', (text) => {
    expect(redactText(text)).toEqual({ text, found: [] });
  });

  it('When every paste of the evaluation set is redacted, Then only email addresses change', () => {
    const file = path.join(__dirname, '../../fixtures/eval/pastes.jsonl');
    const pastes = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { id: string; text: string });
    expect(pastes.length).toBeGreaterThan(100);
    for (const paste of pastes) {
      const { text, found } = redactText(paste.text);
      const emailsOnly = paste.text.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, '[REDACTED email]');
      expect({ id: paste.id, text }).toEqual({ id: paste.id, text: emailsOnly });
      expect(found.filter((kind) => kind !== 'email')).toEqual([]);
    }
  });

  it.each([['src/domain/knowledge/content/en.json'], ['src/domain/knowledge/content/ja.json'], ['src/domain/matching/signatures.json']])(
    "When the bot's own text in %s goes through redaction (cause titles, the summary), Then nothing changes",
    (file) => {
      const content: unknown = JSON.parse(readFileSync(path.join(__dirname, '../../..', file), 'utf8'));
      expect(redactDeep(content)).toEqual({ value: content, found: [] });
    },
  );
});

describe('redactDeep', () => {
  const key = fake.storageKey('deep');
  const token = fake.jwt('deep');
  const handoff = {
    caseId: 'c-20230412-0001',
    reason: 'exhausted',
    language: 'ja',
    error: { category: 'agent-unreachable', title: 'VM エージェントが Azure Backup と通信できません', codes: ['UserErrorGuestAgentStatusUnavailable'] },
    causes: [{ causeId: 'agent-not-running', title: 'VM エージェントが実行されていない', answer: 'still-failing', answeredAt: '2023-04-12T16:05:00.000Z' }],
    paste: `AccountName=stgprod01;AccountKey=${key};EndpointSuffix=core.windows.net`,
    identifiers: { vmName: 'vm-web01', resourceGroup: 'rg-web-prod', subscriptionId: 'd337f900-73dd-42a1-99ea-711ffb58e5fe' },
    note: '至急。山田 (hanako.yamada@contoso.co.jp / 03-1234-5678) まで',
    transcript: [
      { from: 'user', text: `Authorization: Bearer ${token}`, at: '2023-04-12T16:00:00.000Z' },
      { from: 'bot', text: 'Cause 1 of 4', at: '2023-04-12T16:00:01.000Z' },
    ],
    attempts: 3,
    fixed: false,
    fixedBy: null,
    createdAt: new Date('2023-04-12T16:06:00.000Z'),
  };

  it('When a handoff case is redacted, Then every string is redacted, keys and other values are kept, and the input is unchanged', () => {
    const before = structuredClone(handoff);
    const { value, found } = redactDeep(handoff);
    expect(handoff).toEqual(before);
    expect(value).toEqual({
      ...handoff,
      paste: 'AccountName=stgprod01;AccountKey=[REDACTED storage key];EndpointSuffix=core.windows.net',
      note: '至急。山田 ([REDACTED email] / [REDACTED phone]) まで',
      transcript: [
        { from: 'user', text: 'Authorization: Bearer [REDACTED bearer token]', at: '2023-04-12T16:00:00.000Z' },
        { from: 'bot', text: 'Cause 1 of 4', at: '2023-04-12T16:00:01.000Z' },
      ],
    });
    expect(value.createdAt).toBe(handoff.createdAt);
    expect(JSON.stringify(value)).not.toContain(key);
    expect(JSON.stringify(value)).not.toContain(token);
    expect(sorted(found)).toEqual(sorted(['connection-string', 'storage-key', 'email', 'phone', 'bearer-token']));
  });

  it('When a key names a secret, Then its string value is masked as a whole, whatever it looks like', () => {
    const { value, found } = redactDeep({
      password: 'hunter2',
      settings: { clientSecret: 'plain words', storageAccountKey: 'short', 'x-functions-key': 'abc' },
      passwords: ['one', 'two'],
      パスワード: 'とても秘密',
      adminPassword: null,
      apiKey: '',
      keyName: 'key1',
    });
    expect(value).toEqual({
      password: '[REDACTED password]',
      settings: { clientSecret: '[REDACTED client secret]', storageAccountKey: '[REDACTED storage key]', 'x-functions-key': '[REDACTED API key]' },
      passwords: ['one', 'two'],
      パスワード: '[REDACTED password]',
      adminPassword: null,
      apiKey: '',
      keyName: 'key1',
    });
    expect(sorted(found)).toEqual(sorted(['password', 'client-secret', 'storage-key', 'api-key']));
  });

  it('When the value is a bare string or an array, Then it is redacted the same way', () => {
    expect(redactDeep('mail me: a.b@contoso.com')).toEqual({ value: 'mail me: [REDACTED email]', found: ['email'] });
    expect(redactDeep(['090-1234-5678', 42, true])).toEqual({ value: ['[REDACTED phone]', 42, true], found: ['phone'] });
  });
});

describe('time on large and hostile input', () => {
  it('When a 1 MB log with secrets sprinkled in is redacted, Then it takes well under a second and every secret is gone', () => {
    const pastes = readFileSync(path.join(__dirname, '../../fixtures/eval/pastes.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text);
    const key = fake.storageKey('big');
    const sig = fake.sasSignature('big');
    let log = '';
    for (let i = 0; log.length < 1_000_000; i += 1) {
      log += `${pastes[i % pastes.length]}\n`;
      if (i % 50 === 0) log += `AccountKey=${key}; sig=${sig}& password=Pa55-${i} tanaka@contoso.co.jp 03-1234-5678\n`;
    }
    const started = performance.now();
    const { text, found } = redactText(log);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1000);
    expect(text).not.toContain(key);
    expect(text).not.toContain(sig);
    expect(text).not.toContain('Pa55-');
    expect(text).not.toContain('tanaka@contoso.co.jp');
    expect(found).toEqual(expect.arrayContaining(['storage-key', 'sas-token', 'password', 'email', 'phone']));
  });

  const N = 100_000;
  const hostile: [string, string][] = [
    ['a=', 'a='.repeat(N / 2)],
    [';', ';'.repeat(N)],
    ['digits', '1'.repeat(N)],
    ['a=;', 'a=;'.repeat(N / 3)],
    ['a=1;', 'a=1;'.repeat(N / 4)],
    ['digits and hyphens', '0-'.repeat(N / 2)],
    ['full-width digits and hyphens', '０－'.repeat(N / 2)],
    ['digits and dots', '1.'.repeat(N / 2)],
    ['one long word', 'a'.repeat(N)],
    ['one long base64 run', 'Ab0+/'.repeat(N / 5)],
    ['password= repeated', 'password='.repeat(N / 9)],
    ['password= and commas', `password=${',a'.repeat(N / 2)}`],
    [';Password= and quotes', ';Password="'.repeat(N / 11)],
    ['quotes', '"'.repeat(N)],
    ['single quotes after a name', `password: ${"'".repeat(N)}`],
    ['a long mysql line', `mysql ${'-u x '.repeat(N / 5)}`],
    ['escaped quotes', '\\"'.repeat(N / 2)],
    ['JSON keys', '"password":'.repeat(N / 11)],
    ['eyJ and hyphens', 'eyJ-'.repeat(N / 4)],
    ['eyJ segments', 'eyJaaaaaaaaaaa.'.repeat(N / 15)],
    ['at signs', 'a@'.repeat(N / 2)],
    ['almost emails', 'a.a@a'.repeat(N / 5)],
    ['plus signs and digits', '+1 '.repeat(N / 3)],
    ['long international numbers', '+12345678901234567890 '.repeat(N / 22)],
    ['BEGIN lines without END', '-----BEGIN PRIVATE KEY-----\n'.repeat(N / 28)],
    ['sig=', 'sig='.repeat(N / 4)],
    ['Bearer and a long word', `Bearer ${'a'.repeat(N)}`],
    ['az command lines', 'az x -p \n'.repeat(N / 9)],
    ['one az line', `az ${'x '.repeat(N / 2)}`],
    ['パスワードは', 'パスワードは a'.repeat(N / 8)],
    ['URL schemes', 'http://a:'.repeat(N / 9)],
    ['ConvertTo-SecureString', 'ConvertTo-SecureString "'.repeat(N / 24)],
    ['quoted strings before a pipe', `${'"a" '.repeat(N / 4)}| ConvertTo-SecureString`],
    ['XML tags', '<password>a'.repeat(N / 11)],
    ['net user', 'net user a '.repeat(N / 11)],
  ];

  it.each(hostile)('When 100 KB of %s is redacted, Then it finishes fast', (_name, text) => {
    const started = performance.now();
    redactText(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
