#!/usr/bin/env node
/** The `backup-troubleshooter` command: a few lines that route to the sub-commands. */
import { parseArgs } from 'node:util';
import { runClassify } from './classify-command';

const USAGE = `Usage: backup-troubleshooter <command> [options]

Commands:
  classify            read a pasted error on stdin and say which of the five
                      Azure VM backup agent/extension errors it is
    --json            print one JSON object
    --jsonl           read JSON lines {"id", "text"}, write one answer per line
    --image <file>    read the error from a screenshot (PNG or JPEG, 4 MB at
                      most) instead of stdin; --json adds the read text as
                      "ocrText"
  chat                talk to the bot in the terminal, no channel needed; each
                      run starts afresh. Type a button's number to click it.
                      Lines arriving within 50 ms of each other (a paste) are
                      one message; piped input sends each line as a message.
                      /quit or Ctrl-D leaves ("quit" alone cancels in the bot)
    --locale <tag>    the user's locale, e.g. ja-JP or en-US
                      (default: ja-JP if LANG starts with ja, else en-US)
  insights            the helpdesk's figures from the bot's store (DATA_DIR, or
                      Azure Table storage with STORAGE=azure-blob): sessions,
                      outcomes and rates, per error cause by cause, per day,
                      and the texts the bot did not recognise
    --since <date>    first day, e.g. 2026-12-01 (default: 30 days ago)
    --until <date>    last day (default: today)
    --abandon-after <minutes>
                      idle time after which an open session counts as
                      abandoned (default 30)
    --json            print one JSON object (as GET /insights/data.json)
    --csv             print the sessions, one row each
  help                show this help

Examples:
  echo "UserErrorGuestAgentStatusUnavailable" | backup-troubleshooter classify
  backup-troubleshooter classify --json < error.txt
  backup-troubleshooter classify --image portal-error.png --json
  backup-troubleshooter chat --locale ja-JP
  backup-troubleshooter insights --since 2026-11-01 --json
`;

function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'chat') {
    // Loaded only here: botbuilder and the dialogs would slow classify's start-up.
    const { chatLocale, runChat } = await import('./chat-command');
    let options: { locale?: string };
    try {
      ({ values: options } = parseArgs({ args: rest, options: { locale: { type: 'string' } }, strict: true }));
    } catch (error) {
      usageError((error as Error).message);
    }
    const chosen = chatLocale(options.locale);
    if (chosen === null) usageError(`Not a locale: ${options.locale}`);
    await runChat(chosen);
    return;
  }
  if (command === 'insights') {
    // Loaded only here, like chat: the store clients would slow classify's start-up.
    const { runInsights } = await import('./insights-command');
    let values: { since?: string; until?: string; 'abandon-after'?: string; json?: boolean; csv?: boolean };
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { since: { type: 'string' }, until: { type: 'string' }, 'abandon-after': { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } },
        strict: true,
      }));
    } catch (error) {
      usageError((error as Error).message);
    }
    if (values.json && values.csv) usageError('Choose one of --json and --csv.');
    const problem = await runInsights({
      ...(values.since !== undefined ? { since: values.since } : {}),
      ...(values.until !== undefined ? { until: values.until } : {}),
      ...(values['abandon-after'] !== undefined ? { abandonAfter: values['abandon-after'] } : {}),
      format: values.json ? 'json' : values.csv ? 'csv' : 'person',
    });
    if (problem) usageError(problem);
    return;
  }
  if (command !== 'classify') usageError(`Unknown command: ${command}`);
  let values: { json?: boolean; jsonl?: boolean; image?: string };
  try {
    ({ values } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, jsonl: { type: 'boolean' }, image: { type: 'string' } }, strict: true }));
  } catch (error) {
    usageError((error as Error).message);
  }
  if (values.json && values.jsonl) usageError('Choose one of --json and --jsonl.');
  if (values.image !== undefined) {
    if (values.jsonl) usageError('--image reads one picture: use it with --json or alone, not with --jsonl.');
    // Loaded only here: the OCR engine would slow the text classify's start-up.
    const { readImageFile, runClassifyImage } = await import('./classify-image');
    const bytes = await readImageFile(values.image);
    if (typeof bytes === 'string') usageError(bytes);
    await runClassifyImage(bytes, values.json ? 'json' : 'person');
    return;
  }
  await runClassify(values.jsonl ? 'jsonl' : values.json ? 'json' : 'person');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Only a bug gets here; say so in one line rather than printing a stack trace at the user.
  process.stderr.write(`backup-troubleshooter failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
