/**
 * Whole sessions of every kind driven through the real server over HTTP, and the
 * figures they must produce: the insights tests (SQLite and Azurite, the command
 * and the dashboard's data) share both.
 */
import type { Activity } from 'botbuilder';
import { expectedCauses, type Language } from './article-order';
import { button, lastCard } from './bot-conversation';
import { HttpBotConversation } from './http-bot-client';

const LOCALE: Record<Language, string> = { en: 'en-US', ja: 'ja-JP' };
/** Text that must never reach the insights: a secret and a VM name. */
export const SECRET = 'Hunter2-Secret-Value-42';
export const VM_NAME = 'vm-payroll-07';

let counter = 0;
function conversation(baseUrl: string, language: Language, channel: 'webchat' | 'msteams'): HttpBotConversation {
  counter += 1;
  return new HttpBotConversation(baseUrl, LOCALE[language], `insights-${counter}-${Date.now()}`, `user-${counter}`, channel);
}

async function chooseOs(chat: HttpBotConversation, replies: Partial<Activity>[], os: 'windows' | 'linux'): Promise<Partial<Activity>[]> {
  return chat.click(button(lastCard(replies), 'choose-os', { os }));
}

/** The eight sessions; see `EXPECTED` for what they make. */
export async function driveSessions(baseUrl: string): Promise<void> {
  // 1. Resolved at cause 2: a code with the guest OS in the paste (en, web chat).
  const first = conversation(baseUrl, 'en', 'webchat');
  let replies = await first.say(`ExtensionSnapshotFailedNoNetwork on ${VM_NAME} (Ubuntu 22.04)`);
  replies = await first.click(button(lastCard(replies), 'next'));
  await first.click(button(lastCard(replies), 'resolved'));

  // 2. Exhausted and left open: every cause "still failing" (ja, Teams).
  const second = conversation(baseUrl, 'ja', 'msteams');
  replies = await chooseOs(second, await second.say('バックアップ ジョブが失敗しました。エラー コード: BackUpOperationFailedV2'), 'windows');
  for (let i = 0; i < expectedCauses('ja', 'internal-error', 'windows').length; i++) replies = await second.click(button(lastCard(replies), 'next'));

  // 3. Escalated: "helpdesk" typed on the first cause, no helpdesk configured: the summary (en, web chat).
  const third = conversation(baseUrl, 'en', 'webchat');
  await chooseOs(third, await third.say('VM Agent unable to communicate with Azure Backup'), 'windows');
  await third.say('helpdesk');

  // 4. Abandoned: "start over" on the first cause (ja, web chat), described in words.
  const fourth = conversation(baseUrl, 'ja', 'webchat');
  await chooseOs(fourth, await fourth.say('バックアップが失敗しました。VM エージェントが応答していません'), 'linux');
  await fourth.say('最初から');

  // 5. Unrecognised: another topic, with a secret in it (en, Teams).
  const fifth = conversation(baseUrl, 'en', 'msteams');
  await fifth.say(`how do I restore a file from yesterday? password=${SECRET}`);

  // 6. Unrecognised: "Did you mean" → "None of these" (ja, web chat).
  const sixth = conversation(baseUrl, 'ja', 'webchat');
  replies = await sixth.say('スナップショットが失敗します');
  await sixth.click(button(lastCard(replies), 'none-of-these'));

  // 7 and 8. Switched to another error mid-walk (7 abandoned), the new one fixed at its first cause (en, web chat).
  const seventh = conversation(baseUrl, 'en', 'webchat');
  await chooseOs(seventh, await seventh.say('GuestAgentSnapshotTaskStatusError'), 'windows');
  replies = await seventh.say('VMSnapshot extension operation failed');
  replies = await seventh.click(button(lastCard(replies), 'switch-error'));
  replies = await chooseOs(seventh, replies, 'linux');
  await seventh.click(button(lastCard(replies), 'resolved'));
}

const first = (language: Language, category: Parameters<typeof expectedCauses>[1], os: Parameters<typeof expectedCauses>[2]) => expectedCauses(language, category, os);

/** What the eight sessions make, as `insights --json` counts them (abandon after 30 minutes: nothing idle yet). */
export const EXPECTED = {
  sessions: 8,
  engaged: 6,
  resolved: 2,
  escalated: 1,
  abandoned: 2,
  unrecognised: 2,
  rates: { engagement: 0.75, resolution: 0.3333, escalation: 0.1667, abandon: 0.3333 },
  errors: {
    'no-network': { sessions: 1, resolved: 1, escalated: 0, abandoned: 0, fixedBy: { [first('en', 'no-network', 'linux')[1]!]: 1 }, dropOff: {} },
    'internal-error': { sessions: 1, resolved: 0, escalated: 0, abandoned: 0, fixedBy: {}, dropOff: {} },
    'agent-unreachable': { sessions: 1, resolved: 0, escalated: 1, abandoned: 0, fixedBy: {}, dropOff: { [first('en', 'agent-unreachable', 'windows')[0]!]: 1 } },
    // One walked on Linux (abandoned by "start over"), one on Windows (left for another error): each stopped at its first cause.
    'agent-unresponsive': {
      sessions: 2,
      resolved: 0,
      escalated: 0,
      abandoned: 2,
      fixedBy: {},
      dropOff: { [first('en', 'agent-unresponsive', 'linux')[0]!]: 1, [first('en', 'agent-unresponsive', 'windows')[0]!]: 1 },
    },
    'vmsnapshot-extension-failed': { sessions: 1, resolved: 1, escalated: 0, abandoned: 0, fixedBy: { [first('en', 'vmsnapshot-extension-failed', 'linux')[0]!]: 1 }, dropOff: {} },
  },
  byLanguage: { en: 5, ja: 3 },
  byChannel: { webchat: 6, msteams: 2 },
  byOs: { linux: 3, windows: 3 },
} as const;
