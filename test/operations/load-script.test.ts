/**
 * The load script (scripts/load.ts) on a short run: it starts the built server
 * in a child process, drives whole flows, and prints PASS for every check.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

const LOAD_JS = join(PROJECT_ROOT, 'dist', 'scripts', 'load.js');

function runLoad(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LOAD_JS], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A load run shares the CI machine with the rest of the suite; one retry (with the failed run's report
// logged) keeps a busy moment from failing the build, while a real regression fails both runs.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('npm run load', () => {
  it('When run for a few seconds with a few conversations, Then whole flows complete without errors and every check passes', async () => {
    const { code, stdout, stderr } = await runLoad({ LOAD_SECONDS: '4', LOAD_CONVERSATIONS: '4' });
    // On failure, the script's own report says which check failed.
    expect({ code, stderr, report: code === 0 ? '' : stdout }).toEqual({ code: 0, stderr: '', report: '' });
    expect(stdout).toMatch(/turns: \d+ in [\d.]+ s = \d+ turns\/s; latency p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(stdout).toMatch(/flows: [1-9]\d* completed/);
    expect(stdout).toContain('PASS errors: 0');
    expect(stdout).toMatch(/PASS server log: (\d+) turn lines for \1 turns answered/);
    expect(stdout).toMatch(/SKIP memory: /);
    expect(stdout).toMatch(/PASS shutdown: SIGTERM → exit 0/);
    expect(stdout).not.toContain('FAIL');
  }, 30_000);

  it('When LOAD_SECONDS is not a number, Then it says so and exits 2', async () => {
    const { code, stderr } = await runLoad({ LOAD_SECONDS: 'soon' });
    expect(code).toBe(2);
    expect(stderr).toContain('LOAD_SECONDS must be a whole number above 0');
  });
});
