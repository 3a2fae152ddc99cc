import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import { PROJECT_ROOT } from '../../../src/project-root';
import { composeBot } from '../../../src/bot/compose-bot';
import { silentLogger } from '../../../src/logger';
import { causeCard, helpCard, welcomeCard } from '../../../src/domain/cards/index';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { startWalk } from '../../../src/domain/flow/walk';
import { cardActivity } from '../../../dialogs/card-activity';
import { activityText } from '../../../src/entry-points/cli/activity-text';
import { chatLocale } from '../../../src/entry-points/cli/chat-command';
import { PasteJoiner } from '../../../src/entry-points/cli/paste-joiner';
import { TerminalAdapter } from '../../../src/entry-points/cli/terminal-adapter';

// The real command, built by jest's globalSetup, run as a user would run it.
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'entry-points', 'cli', 'main.js');

function run(args: string[], input: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env, timeout: 20000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sessions: ChatSession[] = [];

/** `chat` with piped stdin, fed one line at a time: each answer is chosen from what the bot printed. */
class ChatSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private errors = '';
  /** Where the output not yet waited for begins. */
  private mark = 0;
  private readonly exit: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'chat', ...args]);
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr.on('data', (chunk: string) => (this.errors += chunk));
    this.exit = new Promise((resolve) => this.child.on('close', resolve));
    sessions.push(this);
  }

  /** A test that failed half-way leaves its command waiting for input: stop it. */
  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  /** Waits until the output since the last wait matches, and returns that output. */
  async waitFor(pattern: RegExp, timeoutMs = 15000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output.slice(this.mark))) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${this.output.slice(this.mark)}\nstderr:\n${this.errors}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seen = this.output.slice(this.mark);
    this.mark = this.output.length;
    return seen;
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  async end(): Promise<{ status: number | null; stdout: string; stderr: string }> {
    this.child.stdin.end();
    const status = await this.exit;
    return { status, stdout: this.output, stderr: this.errors };
  }
}

/** The number printed before a button's title ("2. Linux"). */
function buttonNumber(output: string, title: string): string {
  const line = output.split('\n').find((candidate) => candidate.replace(/^\d+\. /, '') === title && /^\d+\. /.test(candidate));
  if (!line) throw new Error(`no button "${title}" in:\n${output}`);
  return line.split('.')[0]!;
}

describe('backup-troubleshooter chat', () => {
  afterEach(() => sessions.splice(0).forEach((session) => session.stop()));

  it('When an English user pastes an error, picks Linux by number, says next and yes, Then the walk runs to the fixed card and exits 0', async () => {
    const chat = new ChatSession(['--locale', 'en-US']);
    expect(await chat.waitFor(/\d+\. 日本語\n/)).toContain('Azure VM backup troubleshooter');

    chat.send('Error Code: ExtensionSnapshotFailedNoNetwork');
    const recognised = await chat.waitFor(/Which guest OS does the VM run\?[\s\S]*\d+\. Not sure\n/);
    expect(recognised).toContain('I recognized this error');
    expect(recognised).toContain('Snapshot operation failed due to no network connectivity on the virtual machine');

    chat.send(buttonNumber(recognised, 'Linux'));
    expect(await chat.waitFor(/Cause 1 of \d+[\s\S]*\d+\. Talk to the helpdesk\n/)).toContain('The VM cannot reach the internet');

    chat.send('next');
    await chat.waitFor(/Cause 2 of \d+[\s\S]*\d+\. Talk to the helpdesk\n/);

    chat.send('yes');
    expect(await chat.waitFor(/Glad the backup works again[\s\S]*\d+\. Troubleshoot another error\n/)).toContain('The cause of');

    const { status, stdout, stderr } = await chat.end();
    expect(status).toBe(0);
    expect(stderr).toBe('');
    // Piped input is echoed, so the output reads as a transcript.
    expect(stdout).toMatch(/> Error Code: ExtensionSnapshotFailedNoNetwork[\s\S]*> 2\n[\s\S]*> next[\s\S]*> yes/);
  });

  it('When a Japanese user pastes a Japanese error, Then the causes are shown as 「原因 1 / n」 in Japanese through to the fixed card', async () => {
    const chat = new ChatSession(['--locale', 'ja-JP']);
    expect(await chat.waitFor(/\d+\. English\n/)).toContain('Azure VM バックアップ トラブルシューター');

    chat.send('VM エージェントが応答していないため、この操作を実行できません');
    const recognised = await chat.waitFor(/VM のゲスト OS を教えてください[\s\S]*\d+\. わからない\n/);
    expect(recognised).toContain('このエラーだと判断しました');

    chat.send(buttonNumber(recognised, 'Linux'));
    expect(await chat.waitFor(/原因 1 \/ \d+[\s\S]*\d+\. ヘルプデスクに相談する\n/)).toContain('まだ失敗する');

    chat.send('次');
    await chat.waitFor(/原因 2 \/ \d+[\s\S]*\d+\. ヘルプデスクに相談する\n/);

    chat.send('はい');
    await chat.waitFor(/バックアップの問題が解決しました/);

    const { status } = await chat.end();
    expect(status).toBe(0);
  });

  it('When all lines are piped at once, Then each is one turn in order; "quit" goes to the bot and /quit ends the run', () => {
    const { status, stdout } = run(['chat', '--locale', 'en-US'], 'UserErrorGuestAgentStatusUnavailable\nwindows\n\nquit\n/quit\nhelp\n');
    expect(status).toBe(0);
    expect(stdout).toMatch(/I recognized this error[\s\S]*> windows\n[\s\S]*Cause 1 of \d+[\s\S]*> quit\n\nCanceled\./);
    // Nothing after /quit is sent: no help card.
    expect(stdout).not.toContain('What you can type');
    expect(stdout.trimEnd()).toMatch(/Canceled\. Paste another error whenever you are ready\.$/);
  });

  it('When a number is typed, Then it clicks that button of the last card; a number no button has goes to the bot as text', () => {
    const { status, stdout } = run(['chat', '--locale', 'en-US'], '1\n9\n');
    expect(status).toBe(0);
    expect(stdout).toMatch(/> 1\n\nThe five agent and extension errors/);
    expect(stdout).toMatch(/> 9\n\nPlease select one of the buttons on the card above/);
  });

  it.each([
    ['ja_JP.UTF-8', 'Azure VM バックアップ トラブルシューター'],
    ['C.UTF-8', 'Azure VM backup troubleshooter'],
  ])('When LANG is %s and no --locale is given, Then the welcome is in that language', (lang, title) => {
    const { status, stdout } = run(['chat'], '', { ...process.env, LANG: lang });
    expect(status).toBe(0);
    expect(stdout.startsWith(title)).toBe(true);
  });

  it.each([
    ['バックアップが失敗しました。VM エージェントが応答していません', 'このエラーだと判断しました', 'VM エージェントが応答していないために操作を実行できない'],
    ['スナップショットの拡張機能がエラーになります', 'このエラーだと判断しました', 'VMSnapshot 拡張機能の操作に失敗した'],
    ['backup fails with vm agent not responding', 'I recognized this error', 'Unable to perform the operation as the VM Agent is not responsive'],
    ['snapshot failed, no network on the vm', 'I recognized this error', 'Snapshot operation failed due to no network connectivity on the virtual machine'],
    ['backup failed - guest agent status unavailable', 'I recognized this error', 'VM Agent unable to communicate with Azure Backup'],
  ])('When LANG names no language (C.UTF-8) and %j is typed, Then the answer is in the language typed, naming the error', (text, heading, title) => {
    const { status, stdout } = run(['chat'], `${text}\n`, { ...process.env, LANG: 'C.UTF-8' });
    expect(status).toBe(0);
    const answer = stdout.slice(stdout.indexOf(`> ${text}`));
    expect(answer).toContain(heading);
    expect(answer).toContain(title);
  });

  it.each([[['chat', '--nope']], [['chat', '--locale']], [['chat', '--locale', 'not a locale']], [['chat', 'extra']]])(
    'When the usage is wrong (%j), Then it exits 2 with the usage',
    (args) => {
      const { status, stdout, stderr } = run(args, 'ExtensionSnapshotFailedNoNetwork\n');
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Usage: backup-troubleshooter');
    },
  );

  it('When help is asked for, Then the usage documents chat, /quit and pastes', () => {
    const { stdout } = run(['help'], '');
    expect(stdout).toMatch(/chat[\s\S]*50 ms[\s\S]*\/quit[\s\S]*--locale/);
  });
});

describe('chat locale', () => {
  it('When --locale is given, Then it is used ("_" read as "-"); else LANG ja* gives ja-JP, en* en-US and anything else no locale', () => {
    expect(chatLocale('ja_JP', {})).toEqual({ locale: 'ja-JP' });
    expect(chatLocale('en-GB', { LANG: 'ja_JP.UTF-8' })).toEqual({ locale: 'en-GB' });
    expect(chatLocale('not a locale', {})).toBeNull();
    expect(chatLocale(undefined, { LANG: 'ja_JP.UTF-8' })).toEqual({ locale: 'ja-JP' });
    expect(chatLocale(undefined, { LANG: 'en_GB.UTF-8' })).toEqual({ locale: 'en-US' });
    expect(chatLocale(undefined, { LANG: 'C.UTF-8' })).toEqual({ locale: undefined });
    expect(chatLocale(undefined, {})).toEqual({ locale: undefined });
  });
});

describe('activity text', () => {
  const ctx = { language: 'en' as const, flowId: 'flow-1', step: 3 };

  it.each([
    ['welcome', welcomeCard(ctx)],
    ['help', helpCard(ctx)],
    ['cause', causeCard(ctx, startWalk(defaultLibrary().en, 'no-network', 'linux'))],
  ])('When a %s card is sent, Then its plain text is printed and the numbers click its buttons in order', (_, rendered) => {
    const shown = activityText(cardActivity(rendered, true));
    expect(shown.text).toBe(rendered.text);
    expect(shown.buttons).toEqual(rendered.buttons.map((button) => button.data));
  });

  it('When a card has no fallbackText, Then its TextBlocks and numbered buttons are printed', () => {
    const rendered = welcomeCard(ctx);
    const card = { ...rendered.card, fallbackText: undefined };
    const shown = activityText(cardActivity({ ...rendered, card }, false));
    expect(shown.text).toContain('Azure VM backup troubleshooter');
    expect(shown.text).toMatch(/\n1\. Browse the five errors\n2\. 日本語$/);
    expect(shown.buttons).toHaveLength(2);
  });

  it('When a message has only text, Then the text is printed as it is and there are no buttons', () => {
    expect(activityText({ type: 'message', text: 'Hello\n\n```\nsummary\n```' })).toEqual({ text: 'Hello\n\n```\nsummary\n```' });
  });
});

describe('terminal adapter', () => {
  function adapter() {
    const output = new PassThrough();
    let printed = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => (printed += chunk));
    const terminal = new TerminalAdapter({ output, locale: 'en-US', conversationId: 'terminal-test' });
    return { terminal, printed: () => printed };
  }

  it('When a number names a button of the last card with buttons, Then it is sent as that click; other text is sent as text', async () => {
    const { terminal } = adapter();
    const received: Partial<Activity>[] = [];
    const welcome = welcomeCard({ language: 'en', flowId: 'flow-1', step: 0 });
    const logic = async (context: TurnContext) => {
      received.push(context.activity);
      if (context.activity.type === 'conversationUpdate') await context.sendActivity(cardActivity(welcome, false));
      else await context.sendActivity('plain reply without buttons');
    };
    await terminal.join(logic);
    await terminal.say('２', logic);
    await terminal.say('3', logic);
    await terminal.say('yes', logic);

    expect(received[0]).toMatchObject({
      type: 'conversationUpdate',
      channelId: 'terminal',
      conversation: { id: 'terminal-test' },
      membersAdded: [{ id: 'user' }],
      recipient: { id: 'bot' },
      locale: 'en-US',
    });
    // A reply without buttons keeps the welcome's buttons live.
    expect(received[1]).toMatchObject({ type: 'message', value: welcome.buttons[1]!.data, from: { id: 'user' } });
    expect(received[1]!.text).toBeUndefined();
    expect(received[2]).toMatchObject({ type: 'message', text: '3' });
    expect(received[3]).toMatchObject({ type: 'message', text: 'yes' });
    expect(new Set(received.map((activity) => activity.conversation?.id))).toEqual(new Set(['terminal-test']));
  });

  it("When a turn fails, Then the bot's onTurnError apologises with a reference", async () => {
    const { terminal, printed } = adapter();
    terminal.onTurnError = composeBot(new MemoryStorage(), silentLogger).onTurnError;
    await terminal.say('anything', async () => {
      throw new Error('boom');
    });
    expect(printed()).toMatch(/Sorry, something went wrong on my side \(reference [0-9a-f]{8}\)/);
  });
});

describe('paste joiner', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('When lines arrive within 50 ms of each other, Then they are one message; a line typed later is another', () => {
    const messages: string[] = [];
    const joiner = new PasteJoiner((message) => messages.push(message));
    joiner.push('Backup failed');
    jest.advanceTimersByTime(5);
    joiner.push('Error Code: ExtensionSnapshotFailedNoNetwork');
    jest.advanceTimersByTime(60);
    joiner.push('linux');
    jest.advanceTimersByTime(60);
    expect(messages).toEqual(['Backup failed\nError Code: ExtensionSnapshotFailedNoNetwork', 'linux']);
  });

  it('When the last line of a paste waits in the line editor, Then the message waits for its Enter', () => {
    const messages: string[] = [];
    let editor = 'VM: vm-web01';
    const joiner = new PasteJoiner((message) => messages.push(message), () => editor);
    joiner.push('Error Code: ExtensionSnapshotFailedNoNetwork');
    jest.advanceTimersByTime(500);
    expect(messages).toEqual([]);
    editor = '';
    joiner.push('VM: vm-web01');
    jest.advanceTimersByTime(60);
    expect(messages).toEqual(['Error Code: ExtensionSnapshotFailedNoNetwork\nVM: vm-web01']);
  });

  it('When the input ends, Then what is held is sent', () => {
    const messages: string[] = [];
    const joiner = new PasteJoiner((message) => messages.push(message));
    joiner.push('BackUpOperationFailed');
    joiner.flush();
    expect(messages).toEqual(['BackUpOperationFailed']);
  });
});
