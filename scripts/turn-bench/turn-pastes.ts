/** The pastes of the turn benchmark and how to tell that a reply holds the expected first cause. */
import type { Activity } from 'botbuilder';
import { applicableCauses } from '../../src/domain/flow/walk';
import type { GuestOsChoice } from '../../src/domain/flow/card-action';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import type { ErrorId, Language } from '../../src/domain/knowledge/schema';

interface BenchPaste {
  text: string;
  language: Language;
  category: ErrorId;
  os: Exclude<GuestOsChoice, 'unknown'>;
}

/** One per error, in both languages and for both OSes; each names the guest OS, so the first cause comes in the same turn. */
export const TURN_PASTES: readonly BenchPaste[] = [
  { text: 'ExtensionSnapshotFailedNoNetwork on Ubuntu', language: 'en', category: 'no-network', os: 'linux' },
  { text: 'UserErrorGuestAgentStatusUnavailable on Windows Server 2019', language: 'en', category: 'agent-unreachable', os: 'windows' },
  {
    text: 'Windows Server 2022 の VM でバックアップが失敗しました。エラー コード: GuestAgentSnapshotTaskStatusError',
    language: 'ja',
    category: 'agent-unresponsive',
    os: 'windows',
  },
  { text: 'ExtensionOperationFailedForManagedDisks on a RHEL 8 VM', language: 'en', category: 'vmsnapshot-extension-failed', os: 'linux' },
  { text: 'Ubuntu の VM で BackUpOperationFailedV2 が出ました', language: 'ja', category: 'internal-error', os: 'linux' },
];

const LOCALES: Record<Language, string> = { en: 'en-US', ja: 'ja-JP' };

export function turnActivity(paste: BenchPaste, conversationId: string, userId: string): Partial<Activity> {
  return {
    type: 'message',
    id: `${conversationId}-1`,
    channelId: 'bench',
    // Never called: with expectReplies the replies come back in the HTTP response.
    serviceUrl: 'http://127.0.0.1:1/',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'bench' },
    from: { id: userId, name: 'Bench user' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: LOCALES[paste.language],
    text: paste.text,
  };
}

export const HEADERS = { 'content-type': 'application/json' };

/** A reply set with a cause card for `causeId` (its buttons carry the cause). */
export function hasCauseCard(activities: readonly Partial<Activity>[], causeId: string): boolean {
  return activities.some((activity) =>
    (activity.attachments ?? []).some((attachment) => {
      const card = JSON.stringify(attachment.content ?? {});
      return card.includes('"action":"next"') && card.includes(`"causeId":"${causeId}"`);
    }),
  );
}

/** The cause the bot must show first for this paste: the article's first for the error and the OS. */
export function firstCauseOf(paste: BenchPaste): string {
  return applicableCauses(defaultLibrary()[paste.language], paste.category, paste.os)[0]!;
}
