/** Handing the case to the helpdesk from every step: the preview, the note, sending, and no helpdesk at all. */
import type { TurnContext } from 'botbuilder';
import type { HandoffCase } from '../../src/domain/handoff/handoff-case';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import type { HandoffDesk, SubmitResult } from '../../dialogs/handoff-desk';
import { BotConversation, button, buttonsOf, lastCard, textOf } from '../support/bot-conversation';

class RecordingDesk implements HandoffDesk {
  readonly configured = true;
  readonly submitted: HandoffCase[] = [];
  async submit(_context: TurnContext, handoffCase: HandoffCase): Promise<SubmitResult> {
    this.submitted.push(handoffCase);
    return { queued: true, agentNotified: false };
  }
}

const SECRET_PASTE =
  'UserErrorGuestAgentStatusUnavailable on VM vm-web01, resource group rg-prod. Our storage: DefaultEndpointsProtocol=https;AccountName=stgprod01;AccountKey=Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYg==;EndpointSuffix=core.windows.net contact tanaka.taro@contoso.co.jp';

async function walkStarted(locale: string, desk: HandoffDesk) {
  const chat = new BotConversation(locale, 'handoff-1', 'test', { handoff: desk });
  const replies = await chat.say(SECRET_PASTE);
  const cause = await chat.click(button(lastCard(replies), 'choose-os', { os: 'windows' }));
  return { chat, causeCard: lastCard(cause) };
}

describe('handing the case to the helpdesk', () => {
  it.each([
    ['en-US', 'helpdesk', 'en'],
    ['ja-JP', '担当者', 'ja'],
  ] as const)('When the user (%s) types %j mid-walk, Then the preview shows the masked case and sending queues it', async (locale, word, language) => {
    const desk = new RecordingDesk();
    const { chat, causeCard } = await walkStarted(locale, desk);
    await chat.click(button(causeCard, 'next'));
    const preview = await chat.say(word);
    const card = lastCard(preview);
    const text = textOf(preview);
    expect(text).toContain(HANDOFF_TEXTS[language].preview.title);
    expect(text).toContain('vm-web01');
    expect(text).not.toContain('Zm9vYmFy');
    expect(text).not.toContain('tanaka.taro@contoso.co.jp');
    expect(buttonsOf(card).map((entry) => entry.data.action)).toEqual(['send-case', 'cancel-case']);

    const sent = await chat.click({ ...button(card, 'send-case'), note: 'Started after patching on Monday, call 090-1234-5678' });
    expect(textOf(sent)).toContain(HANDOFF_TEXTS[language].messages.queued);
    expect(desk.submitted).toHaveLength(1);
    const handoffCase = desk.submitted[0]!;
    expect(handoffCase).toMatchObject({ reason: 'user-request', language, error: { category: 'agent-unreachable' }, guestOs: 'windows' });
    expect(handoffCase.causes.map((cause) => cause.answer)).toEqual(['still-failing', 'not-reached', 'not-reached', 'not-reached']);
    expect(handoffCase.note).toContain('Started after patching on Monday');
    expect(JSON.stringify(handoffCase)).not.toMatch(/090-1234-5678|tanaka\.taro|Zm9vYmFy/);
    expect(handoffCase.identifiers).toMatchObject({ vmName: 'vm-web01', resourceGroup: 'rg-prod' });
    expect(handoffCase.transcript.length).toBeGreaterThan(3);
    expect(chat.outcomes.map((session) => session.outcome)).toEqual(['escalated']);
  });

  it('When the user types a note instead of using the card, Then the preview comes back with it and the send carries it', async () => {
    const desk = new RecordingDesk();
    const { chat, causeCard } = await walkStarted('en-US', desk);
    await chat.click(button(causeCard, 'helpdesk'));
    const again = await chat.say('Please call me after 3pm, the VM is vm-web01');
    expect(textOf(again)).toContain(HANDOFF_TEXTS.en.messages.noteAdded);
    await chat.click(button(lastCard(again), 'send-case'));
    expect(desk.submitted[0]!.note).toBe('Please call me after 3pm, the VM is vm-web01');
  });

  it('When the user cancels the preview, Then nothing is sent and a new paste works', async () => {
    const desk = new RecordingDesk();
    const { chat, causeCard } = await walkStarted('en-US', desk);
    const preview = await chat.click(button(causeCard, 'helpdesk'));
    const cancelled = await chat.click(button(lastCard(preview), 'cancel-case'));
    expect(textOf(cancelled)).toContain(HANDOFF_TEXTS.en.messages.cancelled);
    expect(desk.submitted).toEqual([]);
    expect(textOf(await chat.say('BackUpOperationFailed'))).toContain('Backup failed with an internal error');
  });

  it('When every cause failed, Then the summary card offers the helpdesk and the case says exhausted', async () => {
    const desk = new RecordingDesk();
    const chat = new BotConversation('en-US', 'handoff-2', 'test', { handoff: desk });
    let replies = await chat.say('Error code ExtensionSnapshotFailedNoNetwork on Ubuntu');
    for (let i = 0; i < 3; i++) replies = await chat.click(button(lastCard(replies), 'next'));
    const preview = await chat.click(button(lastCard(replies), 'helpdesk'));
    await chat.click(button(lastCard(preview), 'send-case'));
    expect(desk.submitted[0]).toMatchObject({ reason: 'exhausted', error: { category: 'no-network' } });
    expect(desk.submitted[0]!.causes.every((cause) => cause.answer === 'still-failing')).toBe(true);
  });

  it('When the paste is none of the five and the user asks for the helpdesk, Then the case says not covered', async () => {
    const desk = new RecordingDesk();
    const chat = new BotConversation('ja-JP', 'handoff-3', 'test', { handoff: desk });
    const replies = await chat.say('復元ポイント コレクションの上限に達しました');
    const preview = await chat.click(button(lastCard(replies), 'helpdesk'));
    await chat.click(button(lastCard(preview), 'send-case'));
    expect(desk.submitted[0]).toMatchObject({ reason: 'not-covered', language: 'ja' });
    expect(desk.submitted[0]!.paste).toContain('復元ポイント');
  });

  it.each([
    ['en-US', 'en'],
    ['ja-JP', 'ja'],
  ] as const)('When no helpdesk is configured (%s), Then the user gets the summary to copy and where to send it', async (locale, language) => {
    const chat = new BotConversation(locale, 'handoff-4');
    await chat.say('BackUpOperationFailed on Windows Server');
    const replies = await chat.say('helpdesk');
    const text = textOf(replies);
    expect(text).toContain(HANDOFF_TEXTS[language].messages.noHelpdesk(undefined));
    expect(text).toContain('BackUpOperationFailed');
  });

  it('When the case preview is old, Then its send button is refused as stale', async () => {
    const desk = new RecordingDesk();
    const { chat, causeCard } = await walkStarted('en-US', desk);
    const preview = await chat.click(button(causeCard, 'helpdesk'));
    const send = button(lastCard(preview), 'send-case');
    await chat.click(send);
    await chat.click(send);
    expect(desk.submitted).toHaveLength(1);
  });
});

describe('a turn that fails during the handoff', () => {
  /** Fails the first send (a bug, a store that broke), then works. */
  class FailingOnceDesk extends RecordingDesk {
    private failed = false;
    override async submit(context: TurnContext, handoffCase: HandoffCase): Promise<SubmitResult> {
      if (!this.failed) {
        this.failed = true;
        throw new Error('the desk broke');
      }
      return super.submit(context, handoffCase);
    }
  }

  it('When sending fails with the apology, Then "helpdesk" right after offers the same case: the error, the causes tried and the note', async () => {
    const desk = new FailingOnceDesk();
    const { chat, causeCard } = await walkStarted('en-US', desk);
    await chat.click(button(causeCard, 'next'));
    await chat.say('helpdesk');
    const withNote = await chat.say('The backup failed right after Monday patching');
    expect(textOf(withNote)).toContain(HANDOFF_TEXTS.en.messages.noteAdded);
    const apology = await chat.click(button(lastCard(withNote), 'send-case'));
    expect(textOf(apology)).toMatch(/Sorry, something went wrong on my side/);

    const again = await chat.say('helpdesk');
    const text = textOf(again);
    expect(text).toContain(HANDOFF_TEXTS.en.preview.title);
    expect(text).toContain('UserErrorGuestAgentStatusUnavailable');
    expect(text).toMatch(/The VM cannot reach the internet — still failing/);
    await chat.click(button(lastCard(again), 'send-case'));
    expect(desk.submitted).toHaveLength(1);
    expect(desk.submitted[0]!.note).toContain('Monday patching');
    expect(desk.submitted[0]!.causes.map((cause) => cause.answer)[0]).toBe('still-failing');
  });
});
