/** Teams behaviour: mentions, HTML text, answered cards updated in place, pastes cut at Teams' limit. */
import { ActivityTypes } from 'botbuilder';
import { BotConversation, button, buttonsOf, cardsOf, lastCard, textOf } from '../support/bot-conversation';
import { BOT_TEXTS } from '../../src/domain/i18n/bot-texts';

describe('in Teams', () => {
  it('When the bot is @mentioned in a channel, Then the mention is removed before matching', async () => {
    const chat = new BotConversation('en-US', 'teams-channel', 'msteams');
    const replies = await chat.turn({
      type: ActivityTypes.Message,
      text: '<at>Backup Troubleshooter</at> ExtensionSnapshotFailedNoNetwork',
      entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Backup Troubleshooter' }, text: '<at>Backup Troubleshooter</at>' }],
      recipient: { id: 'bot', name: 'Backup Troubleshooter' },
    });
    expect(textOf(replies)).toContain('Snapshot operation failed due to no network connectivity');
  });

  it('When the text arrives HTML-wrapped, Then the words are read', async () => {
    const chat = new BotConversation('ja-JP', 'teams-html', 'msteams');
    const replies = await chat.say('<p>VM エージェントが応答していないため、この操作を実行できません&nbsp;</p><p>Windows Server 2019</p>');
    expect(textOf(replies)).toContain('VM エージェントが応答していないために操作を実行できない');
    // Windows Server in the paste: the first cause card comes without the OS question.
    expect(buttonsOf(lastCard(replies)).find((entry) => entry.data.action === 'next')?.data.causeId).toBe('agent-unresponsive-windows');
  });

  it('When a card button is clicked, Then that card is updated in place to show the choice without buttons', async () => {
    const chat = new BotConversation('en-US', 'teams-update', 'msteams');
    const replies = await chat.say('UserErrorGuestAgentStatusUnavailable');
    const osCard = replies[replies.length - 1]!;
    await chat.turn({ type: ActivityTypes.Message, value: button(lastCard(replies), 'choose-os', { os: 'linux' }), replyToId: osCard.id ?? 'os-card' });
    expect(chat.updates).toHaveLength(1);
    const updated = chat.updates[0]!;
    expect(updated.id).toBe(osCard.id ?? 'os-card');
    expect(textOf([updated])).toContain('You chose: Linux');
    expect(buttonsOf(cardsOf([updated])[0]!)).toEqual([]);
  });

  it('When an old card is clicked, Then nothing is updated', async () => {
    const chat = new BotConversation('en-US', 'teams-stale', 'msteams');
    const replies = await chat.say('UserErrorGuestAgentStatusUnavailable');
    const choice = button(lastCard(replies), 'choose-os', { os: 'linux' });
    await chat.click(choice);
    await chat.turn({ type: ActivityTypes.Message, value: choice, replyToId: 'os-card' });
    expect(chat.updates).toHaveLength(1);
  });

  it('When a paste is near the Teams limit, Then the user hears it may have been cut', async () => {
    const chat = new BotConversation('en-US', 'teams-long', 'msteams');
    const replies = await chat.say(`${'2017-09-20T03:14:15Z INFO ExtHandler heartbeat\n'.repeat(600)}`);
    expect(textOf(replies)).toContain(BOT_TEXTS.en.pasteCutByTeams);
  });

  it('When the channel is not Teams, Then cards are not updated', async () => {
    const chat = new BotConversation('en-US', 'webchat-1', 'webchat');
    const replies = await chat.say('UserErrorGuestAgentStatusUnavailable');
    await chat.turn({ type: ActivityTypes.Message, value: button(lastCard(replies), 'choose-os', { os: 'linux' }), replyToId: 'x' });
    expect(chat.updates).toEqual([]);
  });
});

describe('installing in Teams', () => {
  it('When Teams sends installationUpdate and conversationUpdate, Then the welcome comes once', async () => {
    const chat = new BotConversation('en-US', 'teams-install', 'msteams');
    const install = await chat.turn({ type: ActivityTypes.InstallationUpdate, action: 'add', recipient: { id: 'bot', name: 'Bot' } });
    const joined = await chat.join();
    expect(cardsOf(install)).toHaveLength(1);
    expect(joined).toHaveLength(0);
  });
});
