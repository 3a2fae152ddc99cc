/** The current guidance (issue 12) through the dialogs: other errors named and handed off, extra checks kept apart in the case. */
import type { TurnContext } from 'botbuilder';
import type { HandoffCase } from '../../src/domain/handoff/handoff-case';
import type { HandoffDesk, SubmitResult } from '../../dialogs/handoff-desk';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import { BotConversation, button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';

class RecordingDesk implements HandoffDesk {
  readonly configured = true;
  readonly submitted: HandoffCase[] = [];
  async submit(_context: TurnContext, handoffCase: HandoffCase): Promise<SubmitResult> {
    this.submitted.push(handoffCase);
    return { queued: true, agentNotified: false };
  }
}

describe('an error of the current article outside the five', () => {
  it.each([
    ['en-US', 'Backup job failed. Error code: UserErrorRpCollectionLimitReached', 'The Restore Point collection max limit has reached', 'https://learn.microsoft.com/azure/backup/'],
    ['ja-JP', 'バックアップ ジョブが失敗しました: 復元ポイント コレクションの上限に達しました。', '復元ポイント コレクションの上限に達しました', 'https://learn.microsoft.com/ja-jp/azure/backup/'],
  ])('When the user (%s) pastes it, Then its card names it and the helpdesk case carries it, status none', async (locale, paste, title, page) => {
    const desk = new RecordingDesk();
    const chat = new BotConversation(locale, 'other-1', 'test', { handoff: desk });
    const replies = await chat.say(paste);
    const card = lastCard(replies);
    expect(textOf(replies)).toContain(title);
    expect(JSON.stringify(card)).toContain(`${page}backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout#usererrorrpcollectionlimitreached---the-restore-point-collection-max-limit-has-reached`);
    expect(buttonsOf(card).map((entry) => entry.data.action)).toEqual(['helpdesk', 'browse']);

    const preview = await chat.click(button(card, 'helpdesk'));
    expect(JSON.stringify(lastCard(preview))).toContain(`${title} (UserErrorRpCollectionLimitReached)`);
    await chat.click(button(lastCard(preview), 'send-case'));
    expect(desk.submitted).toHaveLength(1);
    const handoffCase = desk.submitted[0]!;
    expect(handoffCase.reason).toBe('not-covered');
    expect(handoffCase.error).toBeUndefined();
    expect(handoffCase.otherError).toMatchObject({ code: 'UserErrorRpCollectionLimitReached', title });
    expect(handoffCase.summary).toContain('UserErrorRpCollectionLimitReached');
    // Unrecognised as far as the five go: the insights count it so.
    expect(chat.outcomes).toEqual([expect.objectContaining({ unrecognised: true, engaged: false })]);
  });

  it('When the user browses the five instead, Then the list of the five errors comes', async () => {
    const chat = new BotConversation('en-US');
    const replies = await chat.say('UserErrorBackupOperationInProgress');
    const next = await chat.click(button(lastCard(replies), 'browse'));
    expect(buttonsOf(lastCard(next)).filter((entry) => entry.data.action === 'choose-category')).toHaveLength(5);
  });
});

describe('the extra checks in the helpdesk case', () => {
  it('When every cause and check still fails, Then the case lists the checks apart from the article\'s causes', async () => {
    const desk = new RecordingDesk();
    const chat = new BotConversation('en-US', 'checks-1', 'test', { handoff: desk });
    let replies = await chat.say('BackUpOperationFailed on our Windows Server 2019 VM');
    for (let step = 0; step < 6; step++) replies = await chat.click(button(lastCard(replies), 'next'));
    const exhausted = textOf(replies);
    expect(exhausted).toContain("From Microsoft's current article (2025): A resource group lock keeps Backup from deleting old restore points — still failing");
    expect(exhausted).toContain("Checks from Microsoft's current article (2025):");
    const preview = await chat.click(button(lastCard(replies), 'helpdesk'));
    expect(textOf(preview)).toContain(HANDOFF_TEXTS.en.preview.title);
    await chat.click(button(lastCard(preview), 'send-case'));
    const handoffCase = desk.submitted[0]!;
    expect(handoffCase.causes.map((cause) => cause.causeId)).toEqual(['no-internet', 'agent-unresponsive-windows', 'snapshot-status', 'extension-update-load']);
    expect(handoffCase.checks).toEqual([
      expect.objectContaining({ causeId: 'current-rg-lock', answer: 'still-failing' }),
      expect.objectContaining({ causeId: 'current-vcredist', answer: 'still-failing' }),
    ]);
  });

  it('When an extra check fixes it, Then the fixed card names the check and the session records it under its own id', async () => {
    const chat = new BotConversation('ja-JP');
    let replies = await chat.say('GuestAgentSnapshotTaskStatusError Ubuntu 22.04');
    for (let step = 0; step < 2; step++) replies = await chat.click(button(lastCard(replies), 'next'));
    expect(textOf(replies)).toContain('最新の記事には、ほかにも確認項目があります');
    replies = await chat.click(button(lastCard(replies), 'resolved'));
    expect(textOf(replies)).toContain('VM エージェントの構成オプションが設定されていない (Linux VM の場合)');
    expect(chat.outcomes[0]!.causes.at(-1)).toEqual({ causeId: 'current-linux-agent-config', answer: 'fixed' });
  });
});
