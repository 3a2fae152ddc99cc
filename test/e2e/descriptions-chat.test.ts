/**
 * The examples typed into the web chat's transport: the real server,
 * the local Direct Line as Web Chat uses it, a page locale of ja-JP or en-US.
 * Each reaches its error's card (recognised) or "Did you mean" with it offered.
 */
import { CARD_TEXTS } from '../../src/domain/i18n/card-texts';
import enArticle from '../../src/domain/knowledge/content/en.json';
import jaArticle from '../../src/domain/knowledge/content/ja.json';
import { cardsIn, DirectLineTestClient } from '../support/direct-line-client';
import { startTestBotServer, type TestBotServer } from '../support/test-bot-server';

let bot: TestBotServer;

beforeAll(async () => {
  bot = await startTestBotServer();
});

afterAll(async () => {
  await bot?.stop();
});

const EXAMPLES = [
  ['バックアップが失敗しました。VM エージェントが応答していません', 'agent-unresponsive'],
  ['backup fails with vm agent not responding', 'agent-unresponsive'],
  ['snapshot failed, no network on the vm', 'no-network'],
  ['backup failed - guest agent status unavailable', 'agent-unreachable'],
  ['スナップショットの拡張機能がエラーになります', 'vmsnapshot-extension-failed'],
] as const;

describe.each(['ja-JP', 'en-US'] as const)('descriptions typed in the web chat (page locale %s)', (locale) => {
  const language = locale === 'ja-JP' ? 'ja' : 'en';
  const texts = CARD_TEXTS[language];
  const article = language === 'ja' ? jaArticle : enArticle;

  it.each(EXAMPLES)('When %j is typed, Then the card names %s, in the page\'s language', async (text, errorId) => {
    const client = new DirectLineTestClient(bot.url);
    expect([200, 201]).toContain(await client.open(locale));
    await client.pollUntil((activities) => cardsIn(activities).length > 0);
    expect((await client.say(text, locale)).status).toBe(200);
    const replies = await client.pollUntil((activities) => JSON.stringify(cardsIn(activities)).includes(texts.recognised.title) || JSON.stringify(cardsIn(activities)).includes(texts.didYouMean.title));
    const shown = JSON.stringify(cardsIn(replies));
    const title = article.errors.find((error) => error.id === errorId)!.title;
    expect(shown).toContain(title);
  });
});
