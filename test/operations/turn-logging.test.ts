/**
 * One JSON `turn` line per turn, a reference shared by the turn line, the error
 * line and the user's apology, and nothing the user typed or clicked in any line.
 * The real server in process, its logger the production JSON logger writing into an array.
 */
import { createHash } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/data-access/sqlite-storage';
import { startServer, type RunningServer } from '../../src/entry-points/http/server';
import { conversationTag } from '../../src/bot/turn-logging';
import { describeError } from '../../src/logger';
import { buttonsOf, lastCard, textOf } from '../support/bot-conversation';
import { HttpBotConversation } from '../support/http-bot-client';
import { FORBIDDEN_IN_LOGS, PASSWORD, STORAGE_KEY, captureLog, secretPaste, type CapturedLog } from './helpers';

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' });

/** SQLite whose first write fails with a message that quotes what it was given, as some stores do. */
class FailingOnceStorage implements Storage {
  private failed = false;
  constructor(private readonly inner: SqliteStorage) {}
  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    if (!this.failed) {
      this.failed = true;
      throw new Error(`write refused: AccountKey=${STORAGE_KEY}; password=${PASSWORD}; ${JSON.stringify(changes).slice(0, 200)}`);
    }
    return this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

describe('turn logging', () => {
  let running: RunningServer | undefined;
  let storage: SqliteStorage;
  let log: CapturedLog;

  async function serve(wrap: (sqlite: SqliteStorage) => Storage = (sqlite) => sqlite): Promise<RunningServer> {
    storage = new SqliteStorage(':memory:');
    log = captureLog();
    running = await startServer(config, wrap(storage), log.logger);
    return running;
  }

  afterEach(async () => {
    await running?.close();
    storage.close();
    running = undefined;
  });

  it('When a paste with a storage key and a password is sent, Then one turn line is logged with its facts and no log line holds the key, the password or the paste', async () => {
    const server = await serve();
    const conversationId = 'a:1Xyz-teams-like-conversation-id';
    const conversation = new HttpBotConversation(server.url, 'en-US', conversationId);
    const paste = secretPaste();
    const replies = await conversation.say(paste);
    expect(buttonsOf(lastCard(replies)).some((button) => button.data.action === 'next')).toBe(true);

    const turns = log.events('turn');
    expect(turns).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        event: 'turn',
        reference: expect.stringMatching(/^[0-9a-f]{8}$/),
        channel: 'test',
        activityType: 'message',
        conversation: createHash('sha256').update(conversationId).digest('hex').slice(0, 12),
        input: 'text',
        inputChars: paste.length,
        replies: replies.length,
        durationMs: expect.any(Number),
        status: 'ok',
      },
    ]);
    const everything = log.lines.join('');
    for (const forbidden of [...FORBIDDEN_IN_LOGS, paste, conversationId, conversation.userId]) expect(everything).not.toContain(forbidden);
  });

  it('When a card is clicked, Then the turn line says "card" and holds none of the button\'s data', async () => {
    const server = await serve();
    const conversation = new HttpBotConversation(server.url, 'en-US', 'click-conversation');
    const first = await conversation.say('ExtensionSnapshotFailedNoNetwork on Ubuntu');
    const next = buttonsOf(lastCard(first)).find((button) => button.data.action === 'next')!;
    await conversation.click(next.data);

    const turns = log.events('turn');
    expect(turns).toHaveLength(2);
    expect(turns[1]).toMatchObject({ input: 'card', inputChars: 0, status: 'ok' });
    expect(turns[0]!['reference']).not.toBe(turns[1]!['reference']);
    const everything = log.lines.join('');
    expect(everything).not.toContain(next.data.flowId);
    expect(everything).not.toContain(String(next.data.causeId));
  });

  it('When a turn fails, Then the apology, the turn-failed line and the turn line carry the same reference, and the error is masked', async () => {
    const server = await serve((sqlite) => new FailingOnceStorage(sqlite));
    const conversationId = 'failing-conversation';
    const conversation = new HttpBotConversation(server.url, 'en-US', conversationId);
    const replies = await conversation.say(secretPaste());

    const shown = /reference ([0-9a-f]{8})/.exec(textOf(replies))?.[1];
    expect(shown).toBeDefined();
    const entries = log.entries();
    const failed = entries.filter((entry) => entry['event'] === 'turn-failed');
    const turns = entries.filter((entry) => entry['event'] === 'turn');
    expect(failed).toEqual([
      expect.objectContaining({ level: 'error', reference: shown, channel: 'test', activityType: 'message', conversation: conversationTag(conversationId), errorClass: 'Error' }),
    ]);
    expect(turns).toEqual([expect.objectContaining({ level: 'warn', reference: shown, status: 'failed', errorClass: 'Error' })]);
    // The error line comes first, the turn's summary last.
    expect(entries.indexOf(failed[0]!)).toBeLessThan(entries.indexOf(turns[0]!));
    expect(String(failed[0]!['error'])).toContain('[REDACTED storage key]');
    expect(String(failed[0]!['error']).length).toBeLessThanOrEqual(310);
    expect(String(failed[0]!['stack'])).toMatch(/^at /);
    const everything = log.lines.join('');
    for (const forbidden of FORBIDDEN_IN_LOGS) expect(everything).not.toContain(forbidden);
  });
});

describe('describeError', () => {
  it('When a message quotes a long input, Then it is masked and cut, and the stack keeps only its frames', () => {
    const error = new SyntaxError(`Unexpected token in JSON: "password=${PASSWORD} ${'x'.repeat(5_000)}"`);
    const fields = describeError(error);
    expect(fields.errorClass).toBe('SyntaxError');
    expect(fields.error).not.toContain(PASSWORD);
    expect(fields.error.length).toBeLessThanOrEqual(310);
    expect(fields.stack).not.toContain('Unexpected token');
  });

  it('When something not an Error is thrown, Then its type and masked text are kept', () => {
    expect(describeError(`AccountKey=${STORAGE_KEY}`)).toEqual({ errorClass: 'string', error: expect.stringContaining('[REDACTED') });
  });
});
