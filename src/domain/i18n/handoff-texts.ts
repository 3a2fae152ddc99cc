/** The helpdesk handoff's words: the case preview, the support-channel card and the messages around them. */
import type { Language } from '../knowledge/schema';
import type { Localized } from './localized';

export interface HandoffTexts {
  preview: {
    title: string;
    intro: string;
    error: string;
    notRecognised: string;
    guestOs: string;
    osNames: Record<'windows' | 'linux' | 'unknown', string>;
    identifiers: Record<'vmName' | 'resourceGroup' | 'vault' | 'jobId' | 'subscriptionId', string>;
    causesHeading: string;
    answers: Record<'fixed' | 'still-failing' | 'not-reached', string>;
    /** `shortened`: the paste was cut to fit the card. */
    pasteHeading: (shortened: boolean) => string;
    maskedNotice: string;
    noteLabel: string;
    notePlaceholder: string;
    send: string;
    cancel: string;
  };
  support: {
    title: (caseId: string) => string;
    language: string;
    languageNames: Record<Language, string>;
    reason: string;
    reasons: Record<'exhausted' | 'user-request' | 'not-covered', string>;
    note: string;
    take: string;
    /** `name` undefined: the agent's client gave no display name. */
    takenBy: (name: string | undefined) => string;
  };
  messages: {
    noteAdded: string;
    cancelled: string;
    queued: string;
    delivered: (reference: string) => string;
    failed: string;
    noHelpdesk: (contact: string | undefined) => string;
    agentConnecting: string;
    /** The case is on its way to the helpdesk's Teams channel (said before it is posted). */
    channelQueued: string;
    /** The case card is in the helpdesk's channel. */
    channelPosted: string;
    /** The post failed for good: the summary to send by hand follows. */
    channelFailed: string;
    handoffAccepted: string;
    handoffFailed: string;
    handoffCompleted: string;
    /** `name` undefined: the agent's client gave no display name. */
    takenBy: (name: string | undefined) => string;
    alreadyTaken: (name: string | undefined) => string;
  };
}

export const HANDOFF_TEXTS: Localized<HandoffTexts> = {
  en: {
    preview: {
      title: 'Send this case to the helpdesk?',
      intro: 'This is what the helpdesk will receive. Check it, add a note if you like, then send it.',
      error: 'Error',
      notRecognised: 'Not one of the five agent and extension errors',
      guestOs: 'Guest OS',
      osNames: { windows: 'Windows', linux: 'Linux', unknown: 'Not sure' },
      identifiers: { vmName: 'VM', resourceGroup: 'Resource group', vault: 'Recovery Services vault', jobId: 'Job ID', subscriptionId: 'Subscription' },
      causesHeading: 'Causes checked',
      answers: { fixed: 'fixed it', 'still-failing': 'still failing', 'not-reached': 'not checked yet' },
      pasteHeading: (shortened) => (shortened ? 'Your paste (shortened)' : 'Your paste'),
      maskedNotice: 'Keys, passwords, tokens, email addresses and phone numbers are masked before anything is sent.',
      noteLabel: 'A note for the helpdesk (optional)',
      notePlaceholder: 'For example: when it started, what changed, how to reach you',
      send: 'Send to the helpdesk',
      cancel: 'Do not send',
    },
    support: {
      title: (caseId) => `Azure VM backup case ${caseId.slice(0, 8)}`,
      language: 'Language',
      languageNames: { ja: 'Japanese', en: 'English' },
      reason: 'Why',
      reasons: { exhausted: 'none of the causes fixed it', 'user-request': 'the user asked for a person', 'not-covered': 'not one of the five errors' },
      note: 'Note',
      take: 'Take this case',
      takenBy: (name) => (name ? `Taken by ${name}` : 'Taken by a helpdesk agent'),
    },
    messages: {
      noteAdded: 'I added your note to the case. Send it when you are ready.',
      cancelled: 'OK, nothing was sent. Paste another error whenever you like.',
      queued: 'Your case is queued for the helpdesk. I will post the ticket reference here as soon as it is created.',
      delivered: (reference) => `Your case reached the helpdesk. Ticket reference: ${reference}`,
      failed:
        'I could not deliver your case to the helpdesk system. Please copy the summary above and send it to the helpdesk by your usual channel.',
      noHelpdesk: (contact) =>
        `No helpdesk system is connected to this bot, so nothing was sent. Copy the summary above and send it to ${contact ?? 'your helpdesk by your usual channel'}.`,
      agentConnecting: 'I am handing the conversation to a helpdesk agent. Please stay here.',
      channelQueued: 'I am posting your case to the helpdesk\'s Teams channel. I will tell you here once it is there.',
      channelPosted: 'The helpdesk has your case: it is in their Teams channel, and an agent will answer here.',
      channelFailed: 'I could not post your case to the helpdesk\'s Teams channel. Please copy this summary and send it to the helpdesk by your usual channel:',
      handoffAccepted: 'A helpdesk agent has accepted your case and will answer here.',
      handoffFailed: 'The transfer to an agent did not work. Your case is still with the helpdesk; they will contact you.',
      handoffCompleted: 'The helpdesk agent has closed the conversation. Paste another error whenever you need me again.',
      takenBy: (name) => (name ? `${name} from the helpdesk has taken your case.` : 'A helpdesk agent has taken your case.'),
      alreadyTaken: (name) => (name ? `This case was already taken by ${name}.` : 'This case was already taken by another agent.'),
    },
  },
  ja: {
    preview: {
      title: 'このケースをヘルプデスクに送りますか？',
      intro: 'ヘルプデスクにはこの内容が届きます。確認して、必要ならメモを書き添えてから送信してください。',
      error: 'エラー',
      notRecognised: '5 つのエージェント/拡張機能エラーのいずれでもない',
      guestOs: 'ゲスト OS',
      osNames: { windows: 'Windows', linux: 'Linux', unknown: '不明' },
      identifiers: { vmName: 'VM', resourceGroup: 'リソース グループ', vault: 'Recovery Services コンテナー', jobId: 'ジョブ ID', subscriptionId: 'サブスクリプション' },
      causesHeading: '確認した原因',
      answers: { fixed: '解決した', 'still-failing': 'まだ失敗する', 'not-reached': '未確認' },
      pasteHeading: (shortened) => (shortened ? '貼り付けられた内容 (一部)' : '貼り付けられた内容'),
      maskedNotice: 'キー、パスワード、トークン、メール アドレス、電話番号は、送信前に伏せ字にします。',
      noteLabel: 'ヘルプデスクへのメモ (任意)',
      notePlaceholder: '例: いつから起きているか、何を変更したか、連絡先',
      send: 'ヘルプデスクに送信',
      cancel: '送信しない',
    },
    support: {
      title: (caseId) => `Azure VM バックアップのケース ${caseId.slice(0, 8)}`,
      language: '言語',
      languageNames: { ja: '日本語', en: '英語' },
      reason: '理由',
      reasons: { exhausted: 'どの原因でも解決しなかった', 'user-request': '担当者による対応を希望', 'not-covered': '5 つのエラーのいずれでもない' },
      note: 'メモ',
      take: 'このケースを担当する',
      takenBy: (name) => (name ? `担当: ${name}` : '担当: ヘルプデスクの担当者'),
    },
    messages: {
      noteAdded: 'メモをケースに追加しました。準備ができたら送信してください。',
      cancelled: '送信を取りやめました。別のエラーがあれば、いつでも貼り付けてください。',
      queued: 'ケースをヘルプデスクへの送信キューに登録しました。チケット番号が発行されたら、ここでお知らせします。',
      delivered: (reference) => `ケースがヘルプデスクに届きました。チケット番号: ${reference}`,
      failed: 'ヘルプデスクのシステムにケースを届けられませんでした。上の概要をコピーして、いつもの窓口からヘルプデスクに送ってください。',
      noHelpdesk: (contact) =>
        `このボットにはヘルプデスクのシステムが接続されていないため、送信は行っていません。上の概要をコピーして、${contact ? `${contact} 宛てに` : 'いつもの窓口からヘルプデスクに'}送ってください。`,
      agentConnecting: 'ヘルプデスクの担当者に会話を引き継ぎます。このままお待ちください。',
      channelQueued: 'ヘルプデスクの Teams チャネルにケースを投稿しています。投稿できたら、ここでお知らせします。',
      channelPosted: 'ケースがヘルプデスクに届きました。ヘルプデスクの Teams チャネルに投稿しましたので、担当者がこのチャットで回答します。',
      channelFailed: 'ヘルプデスクの Teams チャネルにケースを投稿できませんでした。次の概要をコピーして、いつもの窓口からヘルプデスクに送ってください。',
      handoffAccepted: 'ヘルプデスクの担当者がケースを引き受けました。このチャットで回答します。',
      handoffFailed: '担当者への引き継ぎができませんでした。ケースはヘルプデスクに届いていますので、追ってご連絡します。',
      handoffCompleted: 'ヘルプデスクの担当者が会話を終了しました。また必要なときはエラーを貼り付けてください。',
      takenBy: (name) => (name ? `ヘルプデスクの担当者 (${name}) がケースを担当します。` : 'ヘルプデスクの担当者がケースを担当します。'),
      alreadyTaken: (name) => (name ? `このケースはすでに担当者 (${name}) が担当しています。` : 'このケースはすでに別の担当者が担当しています。'),
    },
  },
};
