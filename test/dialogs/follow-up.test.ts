/**
 * The follow-up in the dialogs (issue 11): promised on the fixed card, asked when
 * due, answered by click or typing, and the walk resumed at the right cause when
 * the backup failed again — for every error and guest OS. The delivery behind it
 * is replaced by MemoryFollowUps here; tests/e2e drive the real one over HTTP.
 */
import { ERROR_IDS, type ErrorId } from '../../src/domain/knowledge/schema';
import type { GuestOsChoice } from '../../src/domain/flow/card-action';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import { expectedCauses } from '../support/article-order';
import { BotConversation, MemoryFollowUps, button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';

const PASTE: Record<ErrorId, string> = {
  'agent-unreachable': 'UserErrorGuestAgentStatusUnavailable',
  'no-network': 'Error code: ExtensionSnapshotFailedNoNetwork',
  'vmsnapshot-extension-failed': 'VMSnapshot extension operation failed',
  'agent-unresponsive': 'GuestAgentSnapshotTaskStatusError',
  'internal-error': 'BackUpOperationFailedV2',
};

const causeOn = (replies: Awaited<ReturnType<BotConversation['say']>>) => buttonsOf(lastCard(replies)).find((entry) => entry.data.action === 'next')?.data.causeId;

/** Walks `category` on `os` and says "This fixed it" at cause `fixedAt` (0-based). */
async function fixAt(chat: BotConversation, category: ErrorId, os: GuestOsChoice, fixedAt: number, paste = PASTE[category]) {
  let replies = await chat.say(paste);
  replies = await chat.click(button(lastCard(replies), 'choose-os', { os }));
  for (let i = 0; i < fixedAt; i++) replies = await chat.click(button(lastCard(replies), 'next'));
  return chat.click(button(lastCard(replies), 'resolved'));
}

function conversation(locale = 'en-US'): BotConversation {
  return new BotConversation(locale, 'conversation-1', 'test', { followUps: new MemoryFollowUps(24 * 60 * 60_000) });
}

describe('the promise on the fixed card', () => {
  it('When a cause fixed it, Then the card says the bot will check back in 24 hours, with "Don\'t check back", and the follow-up is stored', async () => {
    const chat = conversation();
    const replies = await fixAt(chat, 'no-network', 'linux', 1);
    expect(textOf(replies)).toContain(CARD_TEXTS.en.fixed.checkBack('1 day'));
    expect(buttonsOf(lastCard(replies)).map((entry) => entry.data.action)).toEqual(['no-follow-up', 'start-over']);
    expect(chat.followUps.open()).toHaveLength(1);
    expect(chat.followUps.open()[0]!.followUp).toMatchObject({ category: 'no-network', os: 'linux', fixedAt: 1, ask: 1 });
    expect((await chat.sessions())[0]).toMatchObject({ outcome: 'resolved', followUp: 'pending' });
  });

  it('When follow-ups are off, Then the fixed card promises nothing', async () => {
    const chat = new BotConversation('en-US');
    const replies = await fixAt(chat, 'no-network', 'linux', 0);
    expect(textOf(replies)).not.toContain(CARD_TEXTS.en.fixed.checkBack('1 day'));
    expect(buttonsOf(lastCard(replies)).map((entry) => entry.data.action)).toEqual(['start-over']);
  });

  it.each([['en-US', 'click'], ['ja-JP', 'click']])('When the user (%s) says "Don\'t check back", Then the follow-up is cancelled and the resolution stays unconfirmed', async (locale) => {
    const chat = conversation(locale);
    const fixed = await fixAt(chat, 'internal-error', 'windows', 0);
    const replies = await chat.click(button(lastCard(fixed), 'no-follow-up'));
    expect(textOf(replies)).toContain(BOT_TEXTS[locale === 'en-US' ? 'en' : 'ja'].followUpDeclined);
    expect(chat.followUps.open()).toEqual([]);
    expect((await chat.sessions())[0]).toMatchObject({ outcome: 'resolved', followUp: 'declined' });
  });
});

describe('the question when it is due', () => {
  it('When the follow-up comes due, Then the card asks about the VM the paste named, with three answers', async () => {
    const chat = conversation();
    await fixAt(chat, 'agent-unreachable', 'windows', 0, 'UserErrorGuestAgentStatusUnavailable on VM vm-web01');
    const { replies, shown } = await chat.followUpDue();
    expect(shown).toBe('asked');
    expect(textOf(replies)).toContain(CARD_TEXTS.en.followUp.title('vm-web01'));
    expect(buttonsOf(lastCard(replies)).map((entry) => entry.data.action)).toEqual(['follow-up-succeeded', 'follow-up-failed', 'follow-up-not-run']);
  });

  it.each([
    ['en-US', 'click'],
    ['en-US', 'yes'],
    ['ja-JP', 'はい'],
  ])('When the user (%s) answers "it succeeded" (%s), Then it is confirmed, settled, and a second answer is refused', async (locale, how) => {
    const chat = conversation(locale);
    await fixAt(chat, 'no-network', 'linux', 0);
    const { replies } = await chat.followUpDue();
    const card = lastCard(replies);
    const answered = how === 'click' ? await chat.click(button(card, 'follow-up-succeeded')) : await chat.say(how);
    const texts = BOT_TEXTS[locale === 'en-US' ? 'en' : 'ja'];
    expect(textOf(answered)).toContain(texts.followUpConfirmed);
    expect(chat.followUps.settled.size).toBe(1);
    expect((await chat.sessions())[0]).toMatchObject({ outcome: 'resolved', followUp: 'confirmed' });
    expect(textOf(await chat.click(button(card, 'follow-up-failed')))).toContain(texts.staleClick);
    expect((await chat.sessions())[0]).toMatchObject({ followUp: 'confirmed' });
  });

  it('When the next backup has not run yet, Then it asks once more later, and after a second "not yet" no more', async () => {
    const chat = conversation('ja-JP');
    await fixAt(chat, 'vmsnapshot-extension-failed', 'linux', 0);
    await chat.followUpDue();
    const first = await chat.say('まだ');
    expect(textOf(first)).toContain(BOT_TEXTS.ja.followUpAskAgain('1 日'));
    expect(chat.followUps.open().map((entry) => entry.followUp.ask)).toEqual([2]);
    const { replies } = await chat.followUpDue();
    const second = await chat.click(button(lastCard(replies), 'follow-up-not-run'));
    expect(textOf(second)).toContain(BOT_TEXTS.ja.followUpNoMore);
    expect(chat.followUps.open()).toEqual([]);
    expect((await chat.sessions())[0]).toMatchObject({ outcome: 'resolved', followUp: 'unanswered' });
  });

  it('When the user is in the middle of another walk, Then the question waits (the delivery asks again after it)', async () => {
    const chat = conversation();
    await fixAt(chat, 'no-network', 'linux', 0);
    const walking = await chat.say('BackUpOperationFailed');
    await chat.click(button(lastCard(walking), 'choose-os', { os: 'windows' }));
    const { replies, shown } = await chat.followUpDue();
    expect(shown).toBe('busy');
    expect(replies).toEqual([]);
  });
});

describe('"No, it failed again": the walk resumes', () => {
  const cases = ERROR_IDS.flatMap((category) => (['windows', 'linux'] as const).map((os) => [category, os] as const));

  it.each(cases)('When %s on %s was "fixed" at its first cause and failed again, Then the walk goes on at the second cause', async (category, os) => {
    const chat = conversation();
    const causes = expectedCauses('en', category, os);
    await fixAt(chat, category, os, 0);
    const { replies } = await chat.followUpDue();
    const resumed = await chat.click(button(lastCard(replies), 'follow-up-failed'));
    if (causes.length === 1) {
      expect(textOf(resumed)).toContain(BOT_TEXTS.en.followUpReopenedLast);
      return;
    }
    expect(textOf(resumed)).toContain(BOT_TEXTS.en.followUpReopened(2, causes.length));
    expect(causeOn(resumed)).toBe(causes[1]);
    const sessions = await chat.sessions();
    expect(sessions.map((session) => [session.via, session.outcome, session.followUp])).toEqual([
      ['text', 'resolved', 'reopened'],
      ['follow-up', undefined, undefined],
    ]);
  });

  it('When the fix was the last 2017 cause and the current article has checks after it, Then the walk goes on at the first extra check, counted as a check', async () => {
    const chat = conversation();
    const causes = expectedCauses('en', 'agent-unresponsive', 'linux');
    await fixAt(chat, 'agent-unresponsive', 'linux', causes.length - 1);
    const { replies } = await chat.followUpDue();
    const resumed = await chat.click(button(lastCard(replies), 'follow-up-failed'));
    expect(textOf(resumed)).toContain(BOT_TEXTS.en.followUpReopenedCheck(1, 2));
    expect(textOf(resumed)).not.toContain(BOT_TEXTS.en.followUpReopened(causes.length + 1, causes.length));
    expect(causeOn(resumed)).toBe('current-linux-agent-config');
  });

  it('When the fix was the last cause and failed again, Then the summary and the helpdesk offer come, with every cause tried', async () => {
    const chat = conversation();
    const causes = expectedCauses('en', 'no-network', 'linux');
    await fixAt(chat, 'no-network', 'linux', causes.length - 1);
    const { replies } = await chat.followUpDue();
    const resumed = await chat.say('no');
    expect(textOf(resumed)).toContain(BOT_TEXTS.en.followUpReopenedLast);
    expect(buttonsOf(lastCard(resumed)).map((entry) => entry.data.action)).toEqual(['helpdesk', 'start-over']);
    expect(replies).not.toEqual([]);
  });

  it('When the resumed walk goes to the helpdesk, Then the case lists the causes tried before, the "fixed" one as still failing', async () => {
    const chat = conversation();
    await fixAt(chat, 'agent-unreachable', 'windows', 1);
    const { replies } = await chat.followUpDue();
    await chat.click(button(lastCard(replies), 'follow-up-failed'));
    const summary = textOf(await chat.say('helpdesk'));
    expect(summary).toMatch(/The VM cannot reach the internet: still failing/);
    expect(summary.match(/still failing/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
