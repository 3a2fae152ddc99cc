/**
 * The turn benchmark's floor (scripts/floor-bot.ts) is only a floor if it sends
 * what the bot sends: for every paste of the benchmark, both answer over HTTP
 * with the same cards (the recognised card, then the first cause's), button
 * stamps, plain-text fallbacks and input hints included; only each flow's
 * random id differs.
 */
import type { Activity } from 'botbuilder';
import { startFloorBot } from '../../scripts/floor-bot';
import type { RunningBaseline } from '../../scripts/turn-bench/baseline-server';
import { HEADERS, TURN_PASTES, turnActivity } from '../../scripts/turn-bench/turn-pastes';
import { startTestBotServer, type TestBotServer } from '../support/test-bot-server';

async function cardsOf(url: string, paste: (typeof TURN_PASTES)[number], conversationId: string): Promise<unknown[]> {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: HEADERS, body: JSON.stringify(turnActivity(paste, conversationId, `user-${conversationId}`)) });
  expect(response.status).toBe(200);
  const { activities = [] } = (await response.json()) as { activities?: Partial<Activity>[] };
  // The flow id is random per conversation: the same placeholder in both, so the rest must match exactly.
  return activities.map((activity) => ({
    inputHint: activity.inputHint,
    card: JSON.parse(JSON.stringify(activity.attachments?.[0]?.content ?? activity.text).replace(/"flowId":"[^"]+"/g, '"flowId":"…"')) as unknown,
  }));
}

describe('the floor of the turn benchmark', () => {
  let bot: TestBotServer | undefined;
  let floor: RunningBaseline | undefined;

  beforeAll(async () => {
    bot = await startTestBotServer();
    floor = await startFloorBot();
  });

  afterAll(async () => {
    await bot?.stop();
    await floor?.close();
  });

  it.each(TURN_PASTES.map((paste, index) => [index, paste.text, paste] as const))(
    'When paste %i ("%s") is sent to both, Then the floor answers with exactly the cards the bot answers with',
    async (index, _text, paste) => {
      const fromBot = await cardsOf(bot!.url, paste, `bot-${index}`);
      const fromFloor = await cardsOf(floor!.url, paste, `floor-${index}`);
      expect(fromBot).toHaveLength(2);
      expect(fromFloor).toEqual(fromBot);
    },
  );
});
