/**
 * The whole bot over HTTP: the real restify server on a loopback port chosen by
 * the OS, SQLite state in a temp folder, and activities POSTed with
 * `deliveryMode: "expectReplies"`. For each error and guest OS it pastes the
 * error, answers the OS card, clicks "next" through every cause and checks that
 * the causes come in the article's order without those for the other OS.
 */
import type { Activity } from 'botbuilder';
import { DEFAULT_PORT } from '../../src/config';
import { startTestBotServer, type TestBotServer } from '../support/test-bot-server';
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import type { GuestOsChoice } from '../../src/domain/flow/card-action';
import { ARTICLES, CURRENT, LOCALES, causeOnCard, expectedCauses, expectedChecks, type ErrorId, type Language } from '../support/article-order';
import { CURRENT_GUIDANCE_TEXTS } from '../../src/domain/i18n/current-guidance-texts';
import { button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';
import { HttpBotConversation } from '../support/http-bot-client';



/** One error code per error, pasted alone (English) or inside a Japanese sentence; none names a guest OS. */
const CODES: Record<ErrorId, string> = {
  'agent-unreachable': 'UserErrorGuestAgentStatusUnavailable',
  'no-network': 'ExtensionSnapshotFailedNoNetwork',
  'vmsnapshot-extension-failed': 'ExtensionOperationFailedForManagedDisks',
  'agent-unresponsive': 'GuestAgentSnapshotTaskStatusError',
  'internal-error': 'BackUpOperationFailedV2',
};
const ERRORS = Object.keys(CODES) as ErrorId[];
const OSES: GuestOsChoice[] = ['windows', 'linux', 'unknown'];

function pasteFor(category: ErrorId, language: Language): string {
  return language === 'en' ? CODES[category] : `バックアップ ジョブが失敗しました。エラー コード: ${CODES[category]}`;
}


function titleOf(language: Language, kind: 'errors' | 'causes', id: string): string {
  const found = ARTICLES[language][kind].find((entry) => entry.id === id);
  if (!found) throw new Error(`${id} is not in ${language}.json ${kind}`);
  return found.title;
}


/**
 * Every (error, OS) pair once; the language alternates so that each error is
 * walked in both English and Japanese (3 OS choices per error).
 */
const MATRIX = ERRORS.flatMap((category, errorIndex) =>
  OSES.map((os, osIndex) => ({ category, os, language: ((errorIndex + osIndex) % 2 === 0 ? 'en' : 'ja') as Language })),
);

let server: TestBotServer;
let conversations = 0;

function newConversation(language: Language): HttpBotConversation {
  conversations += 1;
  return new HttpBotConversation(server.url, LOCALES[language], `e2e-${conversations}-${language}`);
}

/** Pastes the error and answers the OS card; returns the replies with the first cause card. */
async function pasteAndChooseOs(conversation: HttpBotConversation, category: ErrorId, os: GuestOsChoice, language: Language): Promise<Partial<Activity>[]> {
  const pasted = await conversation.say(pasteFor(category, language));
  const osCard = lastCard(pasted);
  const osButtons = buttonsOf(osCard).filter((candidate) => candidate.data.action === 'choose-os');
  expect(osButtons.map((candidate) => candidate.data.os)).toEqual(['windows', 'linux', 'unknown']);
  expect(osButtons.every((candidate) => candidate.data.category === category)).toBe(true);
  return conversation.click(button(osCard, 'choose-os', { os, category }));
}

beforeAll(async () => {
  server = await startTestBotServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('the bot over HTTP (expectReplies)', () => {
  test('listens on a port of its own, not the default one', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url.endsWith(`:${DEFAULT_PORT}`)).toBe(false);
  });

  test('GET /healthz answers 200', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test.each(MATRIX)('$category on $os ($language): every cause in the article\'s order, then the current article\'s extra checks, then the summary', async ({ category, os, language }) => {
    const conversation = newConversation(language);
    const texts = CARD_TEXTS[language];
    const expected = expectedCauses(language, category, os);
    // Issue 12: after the last cause, the current article's extra checks for this error and OS.
    const checks = expectedChecks(language, category, os);
    const current = CURRENT_GUIDANCE_TEXTS[language].checks;

    let replies = await pasteAndChooseOs(conversation, category, os, language);
    const shown: string[] = [];
    for (let turn = 0; turn <= expected.length + checks.length; turn++) {
      const card = lastCard(replies);
      const causeId = causeOnCard(card);
      if (causeId === undefined) break;
      shown.push(causeId);
      const text = textOf(replies);
      const check = CURRENT[language].checks.find((candidate) => candidate.id === causeId);
      if (check) {
        const index = shown.length - expected.length;
        if (index === 1) expect(text).toContain(current.heading);
        expect(text).toContain(current.position(index, checks.length));
        expect(text).toContain(check.title);
      } else {
        expect(text).toContain(texts.cause.position(shown.length, expected.length));
        expect(text).toContain(titleOf(language, 'causes', causeId));
      }
      expect(buttonsOf(card).map((candidate) => candidate.data.action)).toEqual(['resolved', 'next', 'helpdesk']);
      replies = await conversation.click(button(card, 'next', { causeId }));
    }

    expect(shown).toEqual([...expected, ...checks]);
    const summary = textOf(replies);
    expect(summary).toContain(texts.exhausted.title);
    expect(summary).toContain(texts.exhausted.noneFixed(titleOf(language, 'errors', category)));
    expect(causeOnCard(lastCard(replies))).toBeUndefined();
  });

  test.each([
    { category: 'no-network' as ErrorId, os: 'linux' as GuestOsChoice, language: 'en' as Language },
    { category: 'agent-unreachable' as ErrorId, os: 'windows' as GuestOsChoice, language: 'ja' as Language },
  ])('$category on $os ($language): "this fixed it" on the second cause gets the fixed card', async ({ category, os, language }) => {
    const conversation = newConversation(language);
    const texts = CARD_TEXTS[language];
    const [first, second] = expectedCauses(language, category, os);

    const firstReplies = await pasteAndChooseOs(conversation, category, os, language);
    const firstCard = lastCard(firstReplies);
    const firstOnCard = causeOnCard(firstCard);
    expect(firstOnCard).toBe(first);

    const secondReplies = await conversation.click(button(firstCard, 'next', { causeId: firstOnCard }));
    const secondCard = lastCard(secondReplies);
    const secondOnCard = causeOnCard(secondCard);
    expect(secondOnCard).toBe(second);
    expect(textOf(secondReplies)).toContain(texts.cause.position(2, expectedCauses(language, category, os).length));

    const fixed = await conversation.click(button(secondCard, 'resolved', { causeId: secondOnCard }));
    const text = textOf(fixed);
    expect(text).toContain(texts.fixed.title);
    expect(text).toContain(texts.fixed.body(titleOf(language, 'causes', second!), titleOf(language, 'errors', category)));
    expect(causeOnCard(lastCard(fixed))).toBeUndefined();
  });

  test.each([
    { language: 'en' as Language, paste: 'Backup failed. Error code: UserErrorVmProvisioningStateFailed', title: 'The VM is in failed provisioning state' },
    { language: 'ja' as Language, paste: 'バックアップが失敗しました: 別のバックアップ操作が進行中であるためバックアップを開始できません', title: '別のバックアップ操作が進行中であるためバックアップを開始できません' },
  ])('an error of the current article outside the five ($language): its card names it, links its section and offers the helpdesk', async ({ language, paste, title }) => {
    const conversation = newConversation(language);
    const replies = await conversation.say(paste);
    const card = lastCard(replies);
    expect(textOf(replies)).toContain(title);
    expect(JSON.stringify(card)).toContain(language === 'en' ? '](https://learn.microsoft.com/azure/backup/' : '](https://learn.microsoft.com/ja-jp/azure/backup/');
    expect(buttonsOf(card).map((candidate) => candidate.data.action)).toEqual(['helpdesk', 'browse']);
  });
});
