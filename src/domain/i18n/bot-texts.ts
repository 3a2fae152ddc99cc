/** The bot's own sentences outside cards, in Japanese and English. */
import type { PasteProblem } from '../paste/decode-paste';
import type { Localized } from './localized';

export interface BotTexts {
  askPaste: string;
  staleClick: string;
  unknownButton: string;
  notUnderstood: string;
  cancelled: string;
  startOver: string;
  languageSwitched: string;
  apology: (reference: string) => string;
  busy: (reference: string) => string;
  keepGoing: (errorTitle: string) => string;
  helpdeskIntro: string;
  helpdeskWhere: string;
  /** Why a paste cannot be read; `limitKilobytes` is what is read at most. */
  pasteProblem: (problem: PasteProblem, limitKilobytes: number) => string;
  /** A message longer than the bot reads at once (checked before the dialogs run). */
  tooLong: (kilobytes: number, limitKilobytes: number) => string;
  pasteCutByTeams: string;
  followUpConfirmed: string;
  /** The walk goes on at cause `position` of `total`. */
  followUpReopened: (position: number, total: number) => string;
  /** The same, when the walk stopped in the current article's extra checks (issue 12). */
  followUpReopenedCheck: (position: number, total: number) => string;
  followUpReopenedLast: string;
  followUpAskAgain: (delay: string) => string;
  followUpNoMore: string;
  followUpDeclined: string;
}

export const BOT_TEXTS: Localized<BotTexts> = {
  en: {
    askPaste:
      'Paste the error message of the failed backup job: the portal message, the error code, az or PowerShell output, or the lines of the log around it.',
    staleClick: 'That button is on an earlier card, so I ignored it. Please use the latest card.',
    unknownButton: "I don't know that button. Please use the buttons on the latest card.",
    notUnderstood: 'Please select one of the buttons on the card above, or type its number. Type "help" to see what else you can type.',
    cancelled: 'Canceled. Paste another error whenever you are ready.',
    startOver: "Let's start over.",
    languageSwitched: 'I will answer in English from now on.',
    apology: (reference) =>
      `Sorry, something went wrong on my side (reference ${reference}). I have reset our conversation: please paste the error again, or type "helpdesk" to reach a person.`,
    busy: (reference) => `I am still answering your previous message (reference ${reference}). Please try again in a moment.`,
    keepGoing: (errorTitle) => `OK, let's continue with "${errorTitle}".`,
    helpdeskIntro: 'Here is everything we found so far. Copy it and send it to your helpdesk:',
    helpdeskWhere: 'Send it by your usual support channel (ticket or email to the helpdesk), with the VM name if it is missing.',
    pasteProblem: (problem, limit) =>
      ({
        empty: 'The paste is empty: paste the error message of the failed backup job.',
        'too-large': `The paste is larger than ${limit} KB: paste the error message or the part of the log around it.`,
        'invalid-utf8': 'The paste is not valid UTF-8 text: save it as UTF-8 (or copy it from the portal) and try again.',
        binary: 'The paste looks like binary data, not text: paste the error message itself.',
      })[problem],
    tooLong: (kilobytes, limit) =>
      `Your message is ${kilobytes} KB, more than I read at once (${limit} KB). Please paste only the error: the error message and code from the portal or from "az backup job show", or the lines of waagent.log around the error.`,
    pasteCutByTeams:
      'Teams limits a message to about 28 KB, so your paste may have been cut. If I do not recognize it, paste only the error lines (the portal\'s error details, or the lines of waagent.log around the error).',
    followUpConfirmed: 'Thank you. The fix is confirmed.',
    followUpReopened: (position, total) => `Then let's go on where we stopped: cause ${position} of ${total}.`,
    followUpReopenedCheck: (position, total) => `Then let's go on where we stopped: extra check ${position} of ${total}.`,
    followUpReopenedLast: 'That was the last cause in the article, so here is everything tried, for the helpdesk.',
    followUpAskAgain: (delay) => `All right. I will ask again in ${delay}.`,
    followUpNoMore: 'All right. I will not ask again.',
    followUpDeclined: 'All right. I will not check back.',
  },
  ja: {
    askPaste:
      '失敗したバックアップ ジョブのエラー メッセージを貼り付けてください。ポータルのメッセージ、エラー コード、az や PowerShell の出力、ログの該当部分のどれでもかまいません。',
    staleClick: 'そのボタンは前のカードのものなので、操作は行いませんでした。最新のカードをお使いください。',
    unknownButton: 'そのボタンは認識できません。最新のカードのボタンをお使いください。',
    notUnderstood: '上のカードのボタンを選択するか、その番号を入力してください。「ヘルプ」と入力すると、使える言葉を確認できます。',
    cancelled: 'キャンセルしました。別のエラーがあれば、いつでも貼り付けてください。',
    startOver: '最初からやり直します。',
    languageSwitched: 'これからは日本語でお答えします。',
    apology: (reference) =>
      `申し訳ありません。こちらで問題が発生しました (参照番号 ${reference})。会話をリセットしましたので、もう一度エラーを貼り付けるか、「担当者」と入力して担当者にご相談ください。`,
    busy: (reference) => `前のメッセージにまだ対応中です (参照番号 ${reference})。少し待ってからもう一度お試しください。`,
    keepGoing: (errorTitle) => `わかりました。「${errorTitle}」の確認を続けます。`,
    helpdeskIntro: 'これまでにわかった内容の概要です。コピーしてヘルプデスクに送ってください。',
    helpdeskWhere: 'いつものサポート窓口 (チケットやヘルプデスク宛てのメール) にお送りください。VM 名が入っていない場合は書き添えてください。',
    pasteProblem: (problem, limit) =>
      ({
        empty: '貼り付けられた内容が空です。失敗したバックアップ ジョブのエラー メッセージを貼り付けてください。',
        'too-large': `貼り付けられた内容が ${limit} KB を超えています。エラー メッセージか、ログのエラー前後の部分だけを貼り付けてください。`,
        'invalid-utf8': '貼り付けられた内容は UTF-8 のテキストではありません。UTF-8 で保存し直すか、ポータルからコピーして、もう一度お試しください。',
        binary: '貼り付けられた内容はテキストではなくバイナリ データのようです。エラー メッセージそのものを貼り付けてください。',
      })[problem],
    tooLong: (kilobytes, limit) =>
      `メッセージが ${kilobytes} KB あり、一度に読める量 (${limit} KB) を超えています。エラーの部分だけを貼り付けてください。ポータルのエラー メッセージとエラー コード、"az backup job show" の出力のエラー部分、または waagent.log のエラー前後の行です。`,
    pasteCutByTeams:
      'Teams では 1 件のメッセージは約 28 KB までのため、貼り付けた内容が途中で切れている可能性があります。うまく判別できない場合は、エラーの部分 (ポータルのエラーの詳細や、waagent.log のエラー前後の行) だけを貼り付けてください。',
    followUpConfirmed: 'ありがとうございます。解決したことを確認しました。',
    followUpReopened: (position, total) => `では、前回の続きから確認します (原因 ${position} / ${total})。`,
    followUpReopenedCheck: (position, total) => `では、前回の続きから確認します (追加の確認 ${position} / ${total})。`,
    followUpReopenedLast: '記事の原因はこれですべてです。ヘルプデスク向けに、これまでに試した内容の概要を作成しました。',
    followUpAskAgain: (delay) => `承知しました。${delay}後にもう一度お尋ねします。`,
    followUpNoMore: '承知しました。これ以上はお尋ねしません。',
    followUpDeclined: '承知しました。確認のご連絡はしません。',
  },
};
