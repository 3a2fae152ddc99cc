import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root';
import { loadedModules, REPORT_LOADED_MODULES } from '../../support/loaded-modules';

// The real command, built by jest's globalSetup, run as a user would run it.
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');

function run(args: string[], input: string | Buffer) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('backup-troubleshooter classify', () => {
  it('When a portal block is piped in, Then a person reads the error, the causes in order and the evidence', () => {
    const { status, stdout } = run(['classify'], 'Error Code: ExtensionSnapshotFailedNoNetwork\nVM: vm-web01');
    expect(status).toBe(0);
    expect(stdout).toContain('Recognised: no-network');
    expect(stdout).toMatch(/1\. .*internet[\s\S]*2\. .*snapshot[\s\S]*3\. .*extension/i);
    expect(stdout).toContain('error code ExtensionSnapshotFailedNoNetwork');
  });

  it('When --json is given, Then one object with the documented fields is printed', () => {
    const { status, stdout } = run(['classify', '--json'], 'VM エージェントが応答していないため、この操作を実行できません');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(answer)).toEqual(['status', 'category', 'confidence', 'candidates', 'evidence', 'hints']);
    expect(answer).toMatchObject({ status: 'matched', category: 'agent-unresponsive', hints: { language: 'ja' } });
  });

  it('When --json gets an unrelated text, Then status is none and category null', () => {
    const answer = JSON.parse(run(['classify', '--json'], 'How much does Azure Backup cost?').stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({ status: 'none', category: null });
  });

  it('When --jsonl gets good and bad lines, Then each gets its answer in input order', () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'BackUpOperationFailed' }),
      '{not json',
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', text: '' }),
      JSON.stringify({ id: 'e', text: 'UserErrorRpCollectionLimitReached' }),
    ].join('\n');
    const { status, stdout } = run(['classify', '--jsonl'], input);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['id'])).toEqual(['a', null, 'c', 'd', 'e']);
    expect(lines[0]).toMatchObject({ status: 'matched', category: 'internal-error' });
    expect(lines[1]).toMatchObject({ line: 2, error: { problem: 'invalid-json' } });
    expect(lines[2]).toMatchObject({ error: { problem: 'no-text' } });
    expect(lines[3]).toMatchObject({ error: { problem: 'empty' } });
    expect(lines[4]).toMatchObject({ status: 'none' });
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['empty', '', /empty/],
    ['binary', Buffer.from([0, 1, 2, 3, 0, 0xff]), /not valid UTF-8|binary/],
    ['invalid UTF-8', Buffer.from([0x41, 0xc3, 0x28]), /UTF-8/],
    ['10 MB', Buffer.alloc(10 * 1024 * 1024, 0x61), /larger than/],
  ])('When the input is %s, Then a clear message and exit code 0, no stack trace', (_, input, message) => {
    const { status, stdout, stderr } = run(['classify'], input);
    expect(status).toBe(0);
    expect(stderr).toMatch(message);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[['classify', '--nope']], [['frobnicate']], [['classify', '--json', '--jsonl']]])(
    'When the usage is wrong (%j), Then it exits 2 with the usage',
    (args) => {
      const { status, stderr } = run(args, '');
      expect(status).toBe(2);
      expect(stderr).toContain('Usage: backup-troubleshooter');
    },
  );
});

describe('backup-troubleshooter classify start-up', () => {
  // The data files are checked at build time; the command reads their prepared form.
  it('When --json answers, Then neither zod nor the Japanese tokenizer was loaded', () => {
    const result = spawnSync(process.execPath, [...REPORT_LOADED_MODULES, CLI, 'classify', '--json'], { input: 'UserErrorGuestAgentStatusUnavailable', encoding: 'utf8' });
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'matched', category: 'agent-unreachable' });
    const loaded = loadedModules(result.stderr);
    expect(loaded.some((file) => file.includes('load-signatures.js'))).toBe(true);
    expect(loaded.filter((file) => /node_modules\/zod\/|tokenizer_ja|load-articles/.test(file))).toEqual([]);
  });
});
