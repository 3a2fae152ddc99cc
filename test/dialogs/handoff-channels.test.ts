/** The handoff's channel parts: handoff.initiate on Direct Line, handoff.status answers, "Take this case" in Teams. */
import { ActivityTypes, MemoryStorage, type ConversationReference } from 'botbuilder';
import { HelpdeskDesk } from '../../src/bot/helpdesk-desk';
import { saveSupportCase, takeSupportCase } from '../../src/bot/support-cases';
import type { ProactiveMessenger } from '../../src/bot/proactive';
import { buildHandoffCase } from '../../src/domain/handoff/build-case';
import { defaultLibrary } from '../../src/domain/knowledge/load-articles';
import { HANDOFF_TEXTS } from '../../src/domain/i18n/handoff-texts';
import { BotConversation, button, buttonsOf, cardsOf, lastCard, textOf } from '../support/bot-conversation';

class RecordingMessenger implements ProactiveMessenger {
  readonly sent: { reference: Partial<ConversationReference>; text: string }[] = [];
  async send(reference: Partial<ConversationReference>, text: string): Promise<void> {
    this.sent.push({ reference, text });
  }
}

const supportCase = (caseId: string) =>
  buildHandoffCase(defaultLibrary(), { language: 'ja', channelId: 'msteams', reason: 'exhausted', transcript: [], caseId });

describe('on Direct Line and Web Chat', () => {
  it.each(['directline', 'webchat'])('When a case is sent on %s, Then handoff.initiate carries the case and the transcript', async (channelId) => {
    const storage = new MemoryStorage();
    const chat = new BotConversation('en-US', `dl-${channelId}`, channelId, { handoff: new HelpdeskDesk({ handoffHub: true, storage }) });
    const walk = await chat.say('BackUpOperationFailed on Ubuntu');
    const preview = await chat.click(button(lastCard(walk), 'helpdesk'));
    const sent = await chat.click(button(lastCard(preview), 'send-case'));
    const event = sent.find((activity) => activity.type === ActivityTypes.Event);
    expect(event).toMatchObject({ name: 'handoff.initiate', value: { reason: 'user-request', error: { category: 'internal-error' } } });
    const transcript = event?.attachments?.[0]?.content as { activities: { text: string }[] } | undefined;
    expect(transcript?.activities.map((activity) => activity.text)).toContain('BackUpOperationFailed on Ubuntu');
    expect(textOf(sent)).toContain(HANDOFF_TEXTS.en.messages.agentConnecting);
  });

  it.each([
    ['accepted', HANDOFF_TEXTS.en.messages.handoffAccepted],
    ['failed', HANDOFF_TEXTS.en.messages.handoffFailed],
    ['completed', HANDOFF_TEXTS.en.messages.handoffCompleted],
  ])('When the hub answers handoff.status %s, Then the user is told', async (state, said) => {
    const chat = new BotConversation('en-US', `status-${state}`, 'directline');
    const replies = await chat.turn({ type: ActivityTypes.Event, name: 'handoff.status', value: { state } });
    expect(textOf(replies)).toBe(said);
  });

  it('When the event is something else, Then nothing is said', async () => {
    const chat = new BotConversation('en-US', 'status-other', 'directline');
    expect(await chat.turn({ type: ActivityTypes.Event, name: 'handoff.status', value: { state: 'weird' } })).toEqual([]);
  });
});

describe('in Teams', () => {
  it('When a case is sent from Teams, Then no handoff.initiate is sent (Teams rejects it)', async () => {
    const storage = new MemoryStorage();
    const chat = new BotConversation('en-US', 'teams-no-event', 'msteams', { handoff: new HelpdeskDesk({ handoffHub: true, storage }) });
    const walk = await chat.say('BackUpOperationFailed on Ubuntu');
    const preview = await chat.click(button(lastCard(walk), 'helpdesk'));
    const sent = await chat.click(button(lastCard(preview), 'send-case'));
    expect(sent.some((activity) => activity.type === ActivityTypes.Event)).toBe(false);
  });

  it('When an agent clicks "Take this case", Then the card says who and the user is told in their language', async () => {
    const messenger = new RecordingMessenger();
    const agentSide = new BotConversation('en-US', 'support-channel', 'msteams', { messenger });
    const handoffCase = supportCase('case-take-1');
    await saveSupportCase(agentSide.storage, { handoffCase, userConversation: { conversation: { id: 'user-chat', isGroup: false, conversationType: 'personal', name: 'u' } } });
    const replies = await agentSide.turn({
      type: ActivityTypes.Message,
      from: { id: 'agent-1', name: 'Aiko Tanaka' },
      value: { action: 'take-case', flowId: 'case-take-1', step: 0 },
      replyToId: 'support-card-1',
    });
    expect(replies).toEqual([]);
    expect(agentSide.updates).toHaveLength(1);
    expect(textOf(agentSide.updates)).toContain('Taken by Aiko Tanaka');
    expect(buttonsOf(cardsOf(agentSide.updates)[0]!)).toEqual([]);
    expect(messenger.sent).toEqual([{ reference: expect.objectContaining({ conversation: expect.objectContaining({ id: 'user-chat' }) }), text: HANDOFF_TEXTS.ja.messages.takenBy('Aiko Tanaka') }]);
  });

  it('When an agent without a display name takes the case, Then nobody is called "an agent": the card and the user say a helpdesk agent took it', async () => {
    const messenger = new RecordingMessenger();
    const agentSide = new BotConversation('en-US', 'support-channel-unnamed', 'msteams', { messenger });
    await saveSupportCase(agentSide.storage, { handoffCase: supportCase('case-take-3'), userConversation: {} });
    await agentSide.turn({ type: ActivityTypes.Message, from: { id: '29:1a2b3c', name: '' }, value: { action: 'take-case', flowId: 'case-take-3', step: 0 }, replyToId: 'support-card-3' });
    expect(textOf(agentSide.updates)).toContain('Taken by a helpdesk agent');
    expect(messenger.sent.map(({ text }) => text)).toEqual(['ヘルプデスクの担当者がケースを担当します。']);
    const second = await agentSide.turn({ type: ActivityTypes.Message, from: { id: 'a2', name: 'Ben' }, value: { action: 'take-case', flowId: 'case-take-3', step: 0 } });
    expect(textOf(second)).toBe('This case was already taken by another agent.');
  });

  it('When the helpdesk reads Japanese (HELPDESK_LANGUAGE=ja), Then the updated card and "already taken" are in Japanese for an English user\'s case', async () => {
    const messenger = new RecordingMessenger();
    const desk = new HelpdeskDesk({ handoffHub: false, storage: new MemoryStorage(), language: 'ja' });
    const agentSide = new BotConversation('ja-JP', 'support-channel-ja', 'msteams', { messenger, handoff: desk });
    const english = buildHandoffCase(defaultLibrary(), { language: 'en', channelId: 'msteams', reason: 'exhausted', transcript: [], caseId: 'case-take-4' });
    await saveSupportCase(agentSide.storage, { handoffCase: english, userConversation: {} });
    await agentSide.turn({ type: ActivityTypes.Message, from: { id: 'a1', name: '田中 愛子' }, value: { action: 'take-case', flowId: 'case-take-4', step: 0 }, replyToId: 'support-card-4' });
    expect(textOf(agentSide.updates)).toContain('担当: 田中 愛子');
    expect(JSON.stringify(agentSide.updates)).toContain('どの原因でも解決しなかった');
    expect(messenger.sent.map(({ text }) => text)).toEqual(['田中 愛子 from the helpdesk has taken your case.']);
    const second = await agentSide.turn({ type: ActivityTypes.Message, from: { id: 'a2', name: 'Ben' }, value: { action: 'take-case', flowId: 'case-take-4', step: 0 } });
    expect(textOf(second)).toBe('このケースはすでに担当者 (田中 愛子) が担当しています。');
  });

  it('When a second agent clicks too, Then they hear who took it and the user is not told twice', async () => {
    const messenger = new RecordingMessenger();
    const agentSide = new BotConversation('en-US', 'support-channel-2', 'msteams', { messenger });
    await saveSupportCase(agentSide.storage, { handoffCase: supportCase('case-take-2'), userConversation: {} });
    await agentSide.turn({ type: ActivityTypes.Message, from: { id: 'a1', name: 'Aiko' }, value: { action: 'take-case', flowId: 'case-take-2', step: 0 } });
    const second = await agentSide.turn({ type: ActivityTypes.Message, from: { id: 'a2', name: 'Ben' }, value: { action: 'take-case', flowId: 'case-take-2', step: 0 } });
    expect(textOf(second)).toBe(HANDOFF_TEXTS.en.messages.alreadyTaken('Aiko'));
    expect(messenger.sent).toHaveLength(1);
  });

  it('When two agents take one case at the same moment, Then exactly one wins', async () => {
    const storage = new MemoryStorage();
    await saveSupportCase(storage, { handoffCase: supportCase('case-race'), userConversation: {} });
    const results = await Promise.all(['Aiko', 'Ben', 'Chie', 'Dan'].map((name) => takeSupportCase(storage, 'case-race', name)));
    expect(results.filter((result) => result.taken)).toHaveLength(1);
  });
});
