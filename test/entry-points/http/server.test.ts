import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { SqliteStorage } from '../../../src/data-access/sqlite-storage';
import { silentLogger } from '../../../src/logger';
import { startServer, type RunningServer } from '../../../src/entry-points/http/server';
import { PROJECT_ROOT } from '../../../src/project-root';

const APP_ID = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';

function activity(text: string) {
  return {
    type: 'message',
    id: 'a1',
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:1/',
    deliveryMode: 'expectReplies',
    conversation: { id: 'auth-test' },
    from: { id: 'user' },
    recipient: { id: 'bot' },
    text,
  };
}

describe('the server with auth on', () => {
  let running: RunningServer;
  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' });
    running = await startServer(config, new SqliteStorage(':memory:'), silentLogger);
  });
  afterAll(() => running.close());

  it('When a request has no token, Then it is refused with 401', async () => {
    const response = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity('hi')) });
    expect(response.status).toBe(401);
  });

  it('When the health is asked, Then it answers without a token', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe('npm start', () => {
  it('When PORT is invalid, Then the process exits naming the variable', async () => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'http', 'main.js')], {
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('Invalid configuration: PORT');
  });
});
