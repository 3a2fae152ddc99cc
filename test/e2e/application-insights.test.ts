/**
 * Session milestones reach Application Insights as custom events, from the real
 * bot process, and nothing else leaves it.
 *
 * The bot (`node dist/src/entry-points/http/main.js`) runs in a child process,
 * because NODE_EXTRA_CA_CERTS (the receiver's self-signed certificate) is read
 * only at process start. Its connection string points the exporter at a local
 * HTTPS receiver (test/support/ingestion-receiver.ts). A guard loaded with
 * `--require` records every outgoing connection the process attempts and
 * refuses all but those to the receiver: the test can then tell what the SDK
 * tried, and nothing reaches the network whatever it tries.
 *
 * One session is walked over HTTP (expectReplies): a paste with a VM name and a
 * secret in it, "next", then "This fixed it"; then a text that is not one of the
 * errors. SIGTERM stops the bot; its graceful shutdown flushes the exporter.
 * The bot runs for RUN_FOR_MS (18 s) so that the SDK's delayed reports would
 * be caught.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Activity } from 'botbuilder';
import { startIngestionReceiver, type Envelope, type IngestionReceiver } from '../support/ingestion-receiver';
import { HttpBotConversation } from '../support/http-bot-client';
import { button, lastCard } from '../support/bot-conversation';
import { causeOnCard } from '../support/article-order';

const MAIN = resolve(__dirname, '../../dist/src/entry-points/http/main.js');
const START_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 20_000;
/**
 * How long the bot runs, from when it listens, before the last turn: past the
 * SDK's delayed first reports (statsbeat's first export comes 15 s after the
 * exporter is made, OneSettings' first poll 5 to 15 s after), so that the guard
 * sees them if they are on.
 */
const RUN_FOR_MS = 18_000;

const VM_NAME = 'vm-payroll-prod-017';
const SECRET = 'AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==';
const PASTE = `ExtensionSnapshotFailedNoNetwork on my Ubuntu VM ${VM_NAME}, storage ${SECRET}`;
const UNRECOGNISED = 'my espresso machine in room 4B keeps beeping';
const EVENT_ENVELOPE = 'Microsoft.ApplicationInsights.Event';

/**
 * Loaded into the bot with --require: records each connection attempted
 * (net.Socket#connect, which http, https, tls and fetch all go through) and each
 * name looked up (but addresses and localhost), as JSON lines in NETWORK_GUARD_LOG;
 * refuses every one but the receiver's address (NETWORK_GUARD_ALLOW, host:port).
 */
const GUARD = `
const net = require('node:net');
const dns = require('node:dns');
const { appendFileSync } = require('node:fs');
const allowed = process.env.NETWORK_GUARD_ALLOW;
const record = (entry) => appendFileSync(process.env.NETWORK_GUARD_LOG, JSON.stringify({ ...entry, at: Math.round(process.uptime() * 1000) }) + '\\n');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (typeof options.path === 'string') return connect.apply(this, args);
  const to = (options.host || 'localhost') + ':' + options.port;
  const allow = to === allowed;
  record({ kind: 'connect', to, allowed: allow });
  if (allow) return connect.apply(this, args);
  process.nextTick(() => this.destroy(Object.assign(new Error('network guard: refused ' + to), { code: 'ECONNREFUSED' })));
  return this;
};
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  // An address or localhost needs no resolver (listen() looks up its host too).
  if (net.isIP(String(hostname)) !== 0 || hostname === 'localhost') return lookup.call(this, hostname, ...rest);
  record({ kind: 'lookup', to: String(hostname), allowed: false });
  const callback = rest[rest.length - 1];
  process.nextTick(() => callback(Object.assign(new Error('network guard: refused lookup of ' + hostname), { code: 'ENOTFOUND' })));
};
`;

interface GuardEntry {
  kind: 'connect' | 'lookup';
  to: string;
  allowed: boolean;
  /** Milliseconds since the bot process started. */
  at: number;
}

interface BotRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** The custom events the receiver had when SIGTERM was sent. */
  eventsBeforeStop: CustomEvent[];
  network: GuardEntry[];
}

interface CustomEvent {
  name: string;
  properties: Record<string, string>;
}

/**
 * What the SDK tries on its own, with no switch to turn it off (the guard
 * refused both; neither carries anything of the bot's): the distro's Azure VM
 * resource detector asks the instance metadata service once at start, and the
 * exporter polls its dynamic configuration (OneSettings) from 5 to 15 s after
 * start, then hourly.
 */
const SDK_PROBES = new Set(['169.254.169.254:80', 'settings.sdk.monitor.azure.com:443']);

let receiver: IngestionReceiver;
let workDir: string;
let connectionString: string;
let run: BotRun;
/** The causes the session was shown, in order. */
let shownCauses: string[] = [];

function customEvents(envelopes: readonly Envelope[]): CustomEvent[] {
  return envelopes
    .filter((envelope) => envelope.name === EVENT_ENVELOPE)
    .map((envelope) => ({ name: envelope.data?.baseData?.name ?? '', properties: envelope.data?.baseData?.properties ?? {} }));
}

/** Starts the bot, runs `drive` against its URL, stops it with SIGTERM and waits for it to exit. */
async function runBot(env: Record<string, string>, drive: (url: string, listenedAt: number) => Promise<void>): Promise<BotRun> {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${stderr}`)), START_TIMEOUT_MS);
      const look = (): void => {
        const found = /Bot listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(stdout);
        if (!found) return;
        clearTimeout(timer);
        resolveUrl(found[1]!);
      };
      child.stdout.on('data', look);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bot exited (${code}) before it listened:\n${stderr}`));
      });
    });
    await drive(url, Date.now());
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  const eventsBeforeStop = customEvents(receiver.envelopes);
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const exitCode = await exited;
  clearTimeout(killer);
  const log = env['NETWORK_GUARD_LOG']!;
  const network = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as GuardEntry)
    : [];
  return { stdout, stderr, exitCode, eventsBeforeStop, network };
}

/**
 * The paste, "next" on the first cause, "This fixed it" on the second; once
 * those events have been exported (the batch goes out within a second), an
 * unrecognised text in another conversation, whose events are then still in
 * the batch when SIGTERM comes: only the shutdown's flush can send them.
 */
async function driveSessions(url: string, listenedAt: number): Promise<void> {
  const walk = new HttpBotConversation(url, 'en-US', 'insights-e2e-walk');
  let replies: Partial<Activity>[] = await walk.say(PASTE);
  const first = lastCard(replies);
  const firstCause = causeOnCard(first);
  if (!firstCause) throw new Error(`the paste did not lead to a cause card: ${JSON.stringify(replies.map((reply) => reply.text))}`);
  replies = await walk.click(button(first, 'next', { causeId: firstCause }));
  const second = lastCard(replies);
  const secondCause = causeOnCard(second);
  if (!secondCause) throw new Error('"next" did not lead to a second cause card');
  shownCauses = [firstCause, secondCause];
  await walk.click(button(second, 'resolved', { causeId: secondCause }));
  await receiver.waitFor((envelopes) => customEvents(envelopes).some((event) => event.name === 'SessionOutcome' && event.properties['outcome'] === 'resolved'));
  await new Promise((resolveLater) => setTimeout(resolveLater, Math.max(0, listenedAt + RUN_FOR_MS - Date.now())));

  await new HttpBotConversation(url, 'en-US', 'insights-e2e-unrecognised').say(UNRECOGNISED);
}

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (jest's globalSetup does)`);
  receiver = await startIngestionReceiver();
  workDir = mkdtempSync(join(tmpdir(), 'app-insights-e2e-'));
  const guard = join(workDir, 'network-guard.js');
  writeFileSync(guard, GUARD);
  const dataDir = join(workDir, 'data');
  connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${receiver.url};LiveEndpoint=${receiver.url}`;
  run = await runBot(
    {
      // Nothing from the test's environment (no proxy settings, no OTEL_* variables): only what the bot needs.
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
      NODE_EXTRA_CA_CERTS: receiver.caFile,
      NODE_OPTIONS: `--require ${guard}`,
      NETWORK_GUARD_LOG: join(workDir, 'network.jsonl'),
      NETWORK_GUARD_ALLOW: `127.0.0.1:${receiver.port}`,
      // Statsbeat is deliberately not switched off here: the module must do it by itself.
    },
    driveSessions,
  );
}, START_TIMEOUT_MS + RUN_FOR_MS + EXIT_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await receiver?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('Application Insights custom events from the bot process', () => {
  test('When the bot gets SIGTERM, Then it exits 0 after its shutdown flushed the exporter', () => {
    const unrecognised = (events: readonly CustomEvent[]): boolean => events.some((event) => event.properties['outcome'] === 'unrecognised');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('"event":"shutdown"');
    // The last turn's events were still batched when the signal came, and arrived before the process exited.
    expect(unrecognised(run.eventsBeforeStop)).toBe(false);
    expect(unrecognised(customEvents(receiver.envelopes))).toBe(true);
  });

  test('When a session is walked to "This fixed it", Then each milestone arrives as a custom event with its properties', () => {
    const events = customEvents(receiver.envelopes);
    const started = events.filter((event) => event.name === 'SessionStarted');
    const walk = events.find((event) => event.name === 'ErrorRecognised');
    expect(walk).toBeDefined();
    const sessionId = walk!.properties['sessionId']!;
    expect(sessionId).toEqual(expect.any(String));
    const base = { sessionId, language: 'en', channel: 'test' };
    const [firstCause, secondCause] = shownCauses;

    const ofSession = events.filter((event) => event.properties['sessionId'] === sessionId);
    expect(ofSession).toEqual([
      { name: 'SessionStarted', properties: base },
      { name: 'ErrorRecognised', properties: { ...base, category: 'no-network', how: 'code' } },
      { name: 'CauseShown', properties: { ...base, category: 'no-network', os: 'linux', causeId: firstCause, position: '1' } },
      { name: 'CauseAnswered', properties: { ...base, category: 'no-network', os: 'linux', causeId: firstCause, position: '1', answer: 'still-failing' } },
      { name: 'CauseShown', properties: { ...base, category: 'no-network', os: 'linux', causeId: secondCause, position: '2' } },
      { name: 'CauseAnswered', properties: { ...base, category: 'no-network', os: 'linux', causeId: secondCause, position: '2', answer: 'fixed' } },
      { name: 'SessionOutcome', properties: { ...base, category: 'no-network', os: 'linux', outcome: 'resolved' } },
    ]);
    expect(started.length).toBe(2);
  });

  test('When a text is not one of the errors, Then its session starts and ends "unrecognised", with no other milestone', () => {
    const events = customEvents(receiver.envelopes);
    const outcome = events.find((event) => event.name === 'SessionOutcome' && event.properties['outcome'] === 'unrecognised');
    expect(outcome).toBeDefined();
    const sessionId = outcome!.properties['sessionId'];
    const base = { sessionId, language: 'en', channel: 'test' };
    expect(events.filter((event) => event.properties['sessionId'] === sessionId)).toEqual([
      { name: 'SessionStarted', properties: base },
      { name: 'SessionOutcome', properties: { ...base, outcome: 'unrecognised' } },
    ]);
  });

  test('When the events are shipped, Then no envelope carries the paste, the VM name, the secret, the unrecognised text or the connection string', () => {
    const shipped = receiver.bodies.join('\n');
    expect(shipped.length).toBeGreaterThan(0);
    for (const forbidden of [PASTE, VM_NAME, SECRET, SECRET.slice('AccountKey='.length, 40), 'Ubuntu', UNRECOGNISED, 'espresso', 'IngestionEndpoint']) {
      expect(shipped).not.toContain(forbidden);
    }
  });

  test('When the distro runs, Then it ships custom events only (no requests, dependencies, traces or metrics of the bot), under the bot\'s role name', () => {
    expect(receiver.envelopes.length).toBeGreaterThan(0);
    expect(receiver.envelopes.filter((envelope) => envelope.name !== EVENT_ENVELOPE).map((envelope) => envelope.name)).toEqual([]);
    expect(new Set(receiver.envelopes.map((envelope) => envelope.tags?.['ai.cloud.role']))).toEqual(new Set(['azure-backup-troubleshooter']));
  });

  test('When the bot runs with a connection string, Then it reaches only the receiver\'s track endpoint, and tries nothing else but the SDK\'s fixed probes', () => {
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.filter((request) => !(request.method === 'POST' && request.path === '/v2.1/track'))).toEqual([]);
    // Every connection the process made went to the receiver; what else it tried was refused, and is only the SDK's own probes.
    expect(run.network.filter((entry) => entry.allowed).length).toBeGreaterThan(0);
    expect(run.network.filter((entry) => entry.allowed && entry.to !== `127.0.0.1:${receiver.port}`)).toEqual([]);
    expect(run.network.filter((entry) => !entry.allowed && !SDK_PROBES.has(entry.to))).toEqual([]);
  });

  test('When the bot logs, Then it names the ingestion host and never the connection string', () => {
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).not.toContain(connectionString);
    expect(output).not.toContain('InstrumentationKey');
    expect(output).not.toContain('00000000-0000-0000-0000-000000000000');
    expect(run.stderr).toContain(`"event":"application-insights-started","host":"127.0.0.1:${receiver.port}"`);
  });
});
