/** Whole walks through every error, for every guest OS and both languages, clicking or typing. */
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import { ERROR_IDS, type ErrorId } from '../../src/domain/knowledge/schema';
import type { WalkStepId } from '../../src/domain/flow/walk';
import currentEnglish from '../../src/domain/knowledge/content/current-en.json';
import type { GuestOsChoice } from '../../src/domain/flow/card-action';
import { BotConversation, button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';

const library = defaultLibrary();

/** A paste that names only the error (no OS words), so the OS question is asked. */
const PASTE: Record<ErrorId, string> = {
  'agent-unreachable': 'UserErrorGuestAgentStatusUnavailable',
  'no-network': 'Error code: ExtensionSnapshotFailedNoNetwork',
  'vmsnapshot-extension-failed': 'VMSnapshot extension operation failed',
  'agent-unresponsive': 'VM エージェントが応答していないため、この操作を実行できません',
  'internal-error': 'BackUpOperationFailedV2',
};

/** The article's order for the error, without the causes written for the other OS. */
function expectedCauses(category: ErrorId, os: GuestOsChoice): WalkStepId[] {
  return library.en
    .error(category)
    .causes.filter((id) => os === 'unknown' || ['any', os].includes(library.en.cause(id).appliesTo));
}

/** The current article's extra checks for the error (issue 12), read from the content file, without those for the other OS. */
function expectedChecks(category: ErrorId, os: GuestOsChoice): WalkStepId[] {
  return currentEnglish.checks
    .filter((check) => (check.errors as string[]).includes(category) && (os === 'unknown' || ['any', os].includes(check.appliesTo)))
    .map((check) => check.id as WalkStepId);
}

function causeOnCard(card: ReturnType<typeof lastCard>): WalkStepId | undefined {
  return buttonsOf(card).find((candidate) => candidate.data.action === 'next')?.data.causeId;
}

async function startWalk(chat: BotConversation, category: ErrorId, os: GuestOsChoice) {
  const replies = await chat.say(PASTE[category]);
  return chat.click(button(lastCard(replies), 'choose-os', { os }));
}

describe.each(['en-US', 'ja-JP'])('walking the causes (%s)', (locale) => {
  const cases = ERROR_IDS.flatMap((category) => (['windows', 'linux', 'unknown'] as const).map((os) => [category, os] as const));

  it.each(cases)('When the error is %s on %s and nothing helps, Then every cause comes in the article order and the summary follows', async (category, os) => {
    const chat = new BotConversation(locale);
    let replies = await startWalk(chat, category, os);
    const expected = expectedCauses(category, os);
    const shown: WalkStepId[] = [];
    for (let position = 1; position <= expected.length; position++) {
      const card = lastCard(replies);
      expect(textOf(replies)).toContain(locale === 'en-US' ? `Cause ${position} of ${expected.length}` : `原因 ${position} / ${expected.length}`);
      shown.push(causeOnCard(card)!);
      replies = await chat.click(button(card, 'next'));
    }
    expect(shown).toEqual(expected);
    // Issue 12: then the current article's extra checks for this error and OS, one card each, "Extra check i of n".
    const checks = expectedChecks(category, os);
    for (let position = 1; position <= checks.length; position++) {
      const card = lastCard(replies);
      if (position === 1) expect(textOf(replies)).toContain(locale === 'en-US' ? 'The current article lists more checks' : '最新の記事には、ほかにも確認項目があります');
      expect(textOf(replies)).toContain(locale === 'en-US' ? `Extra check ${position} of ${checks.length}` : `追加の確認 ${position} / ${checks.length}`);
      shown.push(causeOnCard(card)!);
      replies = await chat.click(button(card, 'next'));
    }
    expect(shown).toEqual([...expected, ...checks]);
    expect(buttonsOf(lastCard(replies)).map((entry) => entry.data.action)).toEqual(expect.arrayContaining(['helpdesk', 'start-over']));
    // Exhausted and not escalated: open until the abandon time (the insights count it then).
    expect(chat.outcomes).toEqual([]);
    expect(await chat.sessions()).toEqual([
      expect.objectContaining({ category, os, engaged: true, causes: [...expected, ...checks].map((causeId) => ({ causeId, answer: 'still-failing' })) }),
    ]);
  });
});

describe('fixed at each position', () => {
  const cases = ERROR_IDS.flatMap((category) => [...expectedCauses(category, 'unknown'), ...expectedChecks(category, 'unknown')].map((causeId, index) => [category, index, causeId] as const));

  it.each(cases)('When %s is fixed at cause %i (%s), Then the fixed card names it and the outcome is kept', async (category, index, causeId) => {
    const chat = new BotConversation('en-US');
    let replies = await startWalk(chat, category, 'unknown');
    for (let position = 0; position < index; position++) replies = await chat.click(button(lastCard(replies), 'next'));
    replies = await chat.click(button(lastCard(replies), 'resolved'));
    const title = causeId.startsWith('current-') ? currentEnglish.checks.find((check) => check.id === causeId)!.title : library.en.cause(causeId as Exclude<WalkStepId, `current-${string}`>).title;
    expect(textOf(replies)).toContain(title);
    expect(chat.outcomes).toEqual([expect.objectContaining({ category, outcome: 'resolved' })]);
    expect(chat.outcomes[0]!.causes.at(-1)).toEqual({ causeId, answer: 'fixed' });
  });
});

describe('typed answers instead of clicks', () => {
  it.each([
    ['en-US', 'windows', 'next', 'yes'],
    ['ja-JP', 'linux', '次', 'はい'],
    ['en-US', '3', '2', '1'],
  ])('When the user (%s) types %j, %j, %j, Then they act like the buttons', async (locale, osAnswer, nextAnswer, fixedAnswer) => {
    const chat = new BotConversation(locale);
    await chat.say(PASTE['agent-unreachable']);
    let replies = await chat.say(osAnswer);
    const first = causeOnCard(lastCard(replies));
    replies = await chat.say(nextAnswer);
    const second = causeOnCard(lastCard(replies));
    expect(second).not.toBe(first);
    await chat.say(fixedAnswer);
    expect(chat.outcomes).toEqual([expect.objectContaining({ category: 'agent-unreachable', outcome: 'resolved' })]);
    expect(chat.outcomes[0]!.causes.at(-1)).toEqual({ causeId: second, answer: 'fixed' });
  });

  it('When the paste names the guest OS, Then the OS question is skipped and other-OS causes are left out', async () => {
    const chat = new BotConversation('en-US');
    const replies = await chat.say('UserErrorGuestAgentStatusUnavailable on our Ubuntu 18.04 VM');
    expect(causeOnCard(lastCard(replies))).toBe('no-internet');
    let next = await chat.click(button(lastCard(replies), 'next'));
    expect(causeOnCard(lastCard(next))).toBe('agent-outdated-linux');
    next = await chat.click(button(lastCard(next), 'next'));
    expect(causeOnCard(lastCard(next))).toBe('snapshot-status');
  });
});
