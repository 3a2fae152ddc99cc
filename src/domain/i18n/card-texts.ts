/**
 * Every word the cards show that is not article content (titles, causes and
 * steps come from src/domain/knowledge/content). Written in each language on its
 * own terms rather than translated line by line; the Japanese is in です/ます.
 * Sentences that embed a name or a number are functions so that word order can
 * differ between the languages.
 */
import type { Localized } from './localized';

/** One thing the user can type, as the help card lists it. */
export interface TypedCommand {
  term: string;
  meaning: string;
}

export interface CardTexts {
  welcome: {
    title: string;
    intro: string;
    order: string;
    pasteHeading: string;
    pasteKinds: string;
    browseHint: string;
    browse: string;
    /** The button that switches to the other language, labelled in that language. */
    otherLanguage: string;
  };
  errorList: {
    codes: (codes: readonly string[]) => string;
  };
  errorChoice: {
    browseTitle: string;
    browseIntro: string;
    notCoveredTitle: string;
    notCovered: string;
    /** Names the helpdesk button, so that the sentence and the button cannot drift apart. */
    notCoveredNext: (helpdeskButton: string) => string;
    noneOfTheseTitle: string;
    noneOfTheseIntro: string;
  };
  recognised: {
    title: string;
    confidence: (percent: number) => string;
    evidenceHeading: string;
    /** A piece of evidence found in text read from a picture the user sent. */
    readFromImage: (evidence: string) => string;
    /** Above the evidence when the user sent a picture and typed text too: either may have given it. */
    readFromImageAndText: string;
    hintsHeading: string;
    guestOs: string;
    vm: string;
    resourceGroup: string;
    vault: string;
    jobId: string;
  };
  didYouMean: {
    title: string;
    intro: string;
    noneOfThese: string;
  };
  chooseOs: {
    title: string;
    intro: (errorTitle: string) => string;
    windows: string;
    linux: string;
    unknown: string;
  };
  cause: {
    position: (current: number, total: number) => string;
    forError: (errorTitle: string) => string;
    whyHeading: string;
    /** The label of a section written for one guest OS. */
    forOs: { windows: string; linux: string };
    /** Put before a step only one guest OS can do, when the OS is not known. */
    stepForOs: (os: 'windows' | 'linux', step: string) => string;
    situationsIntro: string;
    showRemedy: string;
    afterTrying: string;
    resolved: string;
    next: string;
    lastNext: string;
  };
  answered: {
    choice: (buttonTitle: string) => string;
  };
  fixed: {
    title: string;
    body: (causeTitle: string, errorTitle: string) => string;
    footer: string;
    /** The promise to come back, with the delay written out ("24 hours", 「24 時間」). */
    checkBack: (delay: string) => string;
    noCheckBack: string;
  };
  followUp: {
    title: (vmName: string | undefined) => string;
    body: (causeTitle: string, errorTitle: string) => string;
    succeeded: string;
    failedAgain: string;
    notRunYet: string;
  };
  exhausted: {
    title: string;
    noneFixed: (errorTitle: string) => string;
    triedHeading: string;
    stillFailing: string;
    summaryHeading: string;
    summaryHint: string;
  };
  switchError: {
    title: string;
    body: (currentTitle: string, nextTitle: string) => string;
    /** The same, when the new error was read from a screenshot. */
    bodyFromImage: (currentTitle: string, nextTitle: string) => string;
    question: string;
    switchTo: string;
    keep: string;
  };
  help: {
    title: string;
    commandsIntro: string;
    commands: readonly TypedCommand[];
    answersHeading: string;
    answers: string;
  };
  /** Names of the guest OS, as shown next to hints. */
  osNames: { windows: string; linux: string };
  /** Buttons that appear on several cards. */
  buttons: {
    helpdesk: string;
    startOver: string;
  };
}

const en: CardTexts = {
  welcome: {
    title: 'Azure VM backup troubleshooter',
    intro:
      'I help when an Azure VM backup fails because of the VM agent or the backup extension. I recognize the five agent and extension errors that Azure Backup reports for VMs.',
    order: 'Then I take you through the causes of your error one at a time, in the order of Microsoft\'s troubleshooting article, until one of them fixes it.',
    pasteHeading: 'Paste the error message of the failed backup job',
    pasteKinds:
      'The message the portal shows, the error code, the output of az or PowerShell, or an excerpt of a log such as waagent.log: any of these works, on its own or inside a sentence.',
    browseHint: 'No error message at hand? Look through the five errors instead.',
    browse: 'Browse the five errors',
    otherLanguage: '日本語',
  },
  errorList: {
    codes: (codes) => (codes.length === 1 ? `Error code: ${codes[0]}` : `Error codes: ${codes.join(', ')}`),
  },
  errorChoice: {
    browseTitle: 'The five agent and extension errors',
    browseIntro: 'Select the error that your failed backup job shows.',
    notCoveredTitle: 'Not one of the errors I cover',
    notCovered: 'What you pasted is not one of the five VM agent and backup extension errors that this guide covers.',
    notCoveredNext: (helpdeskButton) => `If your backup job shows one of the errors below after all, select it. If none of them fits, select **${helpdeskButton}**.`,
    noneOfTheseTitle: 'All five errors',
    noneOfTheseIntro: 'Here are all five: select the one your backup job shows.',
  },
  recognised: {
    title: 'I recognized this error',
    confidence: (percent) => `Confidence: ${percent}%`,
    evidenceHeading: 'Why I think so',
    readFromImage: (evidence) => `Read from the image: ${evidence}`,
    readFromImageAndText: 'Read from the image and your message:',
    hintsHeading: 'Also found in your paste',
    guestOs: 'Guest OS',
    vm: 'VM',
    resourceGroup: 'Resource group',
    vault: 'Recovery Services vault',
    jobId: 'Job ID',
  },
  didYouMean: {
    title: 'Did you mean one of these?',
    intro: 'Your paste fits more than one error. Select the one your backup job shows.',
    noneOfThese: 'None of these',
  },
  chooseOs: {
    title: 'Which guest OS does the VM run?',
    intro: (errorTitle) =>
      `Some causes of "${errorTitle}" only apply to Windows VMs or only to Linux VMs. Tell me the guest OS and I will leave out the ones that do not apply.`,
    windows: 'Windows',
    linux: 'Linux',
    unknown: 'Not sure',
  },
  cause: {
    position: (current, total) => `Cause ${current} of ${total}`,
    forError: (errorTitle) => `Error: ${errorTitle}`,
    whyHeading: 'Why this makes the backup fail',
    forOs: { windows: 'For Windows VMs', linux: 'For Linux VMs' },
    stepForOs: (os, step) => `${os === 'windows' ? 'Windows' : 'Linux'} VMs only: ${step}`,
    situationsIntro: 'Several situations lead to this. Open the one that matches your VM.',
    showRemedy: 'Show/hide the fix',
    afterTrying: 'When you have done this, retry the backup and tell me whether it worked.',
    resolved: 'This fixed it',
    next: 'Still failing: next cause',
    lastNext: 'Still failing: see summary',
  },
  answered: {
    choice: (buttonTitle) => `You chose: ${buttonTitle}`,
  },
  fixed: {
    title: 'Glad the backup works again',
    body: (causeTitle, errorTitle) => `The cause of "${errorTitle}" was: ${causeTitle}.`,
    footer: 'If a backup fails again, paste its error message and we will look at it together.',
    checkBack: (delay) => `I will check back in ${delay} and ask whether the next backup succeeded.`,
    noCheckBack: "Don't check back",
  },
  followUp: {
    title: (vmName) => (vmName ? `Did the next backup of ${vmName} succeed?` : 'Did the next backup succeed?'),
    body: (causeTitle, errorTitle) => `Last time, "${causeTitle}" seemed to fix "${errorTitle}".`,
    succeeded: 'Yes, it succeeded',
    failedAgain: 'No, it failed again',
    notRunYet: 'It has not run yet',
  },
  exhausted: {
    title: 'None of the causes fixed it',
    noneFixed: (errorTitle) =>
      `You have checked every cause that the article gives for "${errorTitle}" and the backup still fails, so this needs the helpdesk.`,
    triedHeading: 'Causes you tried',
    stillFailing: 'still failing',
    summaryHeading: 'Case summary for the helpdesk',
    summaryHint: 'Copy this summary into your request so that nobody has to ask you again.',
  },
  switchError: {
    title: 'This looks like a different error',
    body: (currentTitle, nextTitle) => `We are working on "${currentTitle}". What you just pasted looks like "${nextTitle}".`,
    bodyFromImage: (currentTitle, nextTitle) => `We are working on "${currentTitle}". Read from the image you just sent, the error looks like "${nextTitle}".`,
    question: 'Do you want to switch to the new error?',
    switchTo: 'Switch to the new error',
    keep: 'Keep the current error',
  },
  help: {
    title: 'What you can type',
    commandsIntro: 'You can type these at any time:',
    commands: [
      { term: 'help (ヘルプ)', meaning: 'shows this card' },
      { term: 'start over (最初から)', meaning: 'drops the current error and starts again from the paste' },
      { term: 'cancel (キャンセル)', meaning: 'stops the troubleshooting' },
      { term: 'helpdesk (担当者)', meaning: 'hands your case to the helpdesk' },
      { term: 'a new error message', meaning: 'paste it and I will recognize it' },
    ],
    answersHeading: 'Answers can be typed too',
    answers: 'Instead of selecting a button you can type "yes" (はい), "next" (次), or the number of the button, such as 1.',
  },
  osNames: { windows: 'Windows', linux: 'Linux' },
  buttons: {
    helpdesk: 'Talk to the helpdesk',
    startOver: 'Troubleshoot another error',
  },
};

const ja: CardTexts = {
  welcome: {
    title: 'Azure VM バックアップ トラブルシューター',
    intro:
      'VM エージェントやバックアップ拡張機能が原因で Azure VM のバックアップが失敗したときにお手伝いします。Azure Backup が VM について報告するエージェントと拡張機能の 5 つのエラーを判別できます。',
    order: 'エラーを特定したら、Microsoft のトラブルシューティング記事に載っている順に、原因を 1 つずつ、解決するまで一緒に確認していきます。',
    pasteHeading: '失敗したバックアップ ジョブのエラー メッセージを貼り付けてください',
    pasteKinds:
      'ポータルに表示されたメッセージ、エラー コード、az や PowerShell の出力、waagent.log などのログの抜粋のいずれでも判別できます。文章の一部として貼り付けてもかまいません。',
    browseHint: 'エラー メッセージが手元にない場合は、5 つのエラーの一覧から選択することもできます。',
    browse: '5 つのエラーを一覧で見る',
    otherLanguage: 'English',
  },
  errorList: {
    codes: (codes) => `エラー コード: ${codes.join('、')}`,
  },
  errorChoice: {
    browseTitle: 'エージェントと拡張機能に関する 5 つのエラー',
    browseIntro: '失敗したバックアップ ジョブに表示されているエラーを選択してください。',
    notCoveredTitle: 'このガイドで扱うエラーではありません',
    notCovered: '貼り付けられた内容は、このガイドで扱う VM エージェントとバックアップ拡張機能の 5 つのエラーのいずれにも該当しません。',
    notCoveredNext: (helpdeskButton) => `ジョブに表示されているエラーが次の一覧にあれば、それを選択してください。該当するものがない場合は、[${helpdeskButton}] を選択してください。`,
    noneOfTheseTitle: '5 つのエラーすべて',
    noneOfTheseIntro: '5 つすべてを並べました。バックアップ ジョブに表示されているものを選択してください。',
  },
  recognised: {
    title: 'このエラーだと判断しました',
    confidence: (percent) => `信頼度: ${percent}%`,
    evidenceHeading: '判断の根拠',
    readFromImage: (evidence) => `画像から読み取りました: ${evidence}`,
    readFromImageAndText: '画像とメッセージから読み取りました:',
    hintsHeading: '貼り付けた内容から見つかった情報',
    guestOs: 'ゲスト OS',
    vm: 'VM',
    resourceGroup: 'リソース グループ',
    vault: 'Recovery Services コンテナー',
    jobId: 'ジョブ ID',
  },
  didYouMean: {
    title: '次のどれかでしょうか？',
    intro: '貼り付けられた内容は複数のエラーに当てはまります。バックアップ ジョブに表示されているものを選択してください。',
    noneOfThese: 'どれでもない',
  },
  chooseOs: {
    title: 'VM のゲスト OS を教えてください',
    intro: (errorTitle) =>
      `「${errorTitle}」の原因には、Windows VM だけ、または Linux VM だけに当てはまるものがあります。ゲスト OS がわかれば、当てはまらない原因は省きます。`,
    windows: 'Windows',
    linux: 'Linux',
    unknown: 'わからない',
  },
  cause: {
    position: (current, total) => `原因 ${current} / ${total}`,
    forError: (errorTitle) => `エラー: ${errorTitle}`,
    whyHeading: 'バックアップが失敗する理由',
    forOs: { windows: 'Windows VM の場合', linux: 'Linux VM の場合' },
    stepForOs: (os, step) => `${os === 'windows' ? 'Windows' : 'Linux'} VM の場合: ${step}`,
    situationsIntro: 'この原因にはいくつかの状況があります。VM に当てはまるものを開いてください。',
    showRemedy: '対処方法を表示 / 非表示',
    afterTrying: '対処が終わったらバックアップをやり直して、結果を教えてください。',
    resolved: 'これで解決しました',
    next: 'まだ失敗する: 次の原因へ',
    lastNext: 'まだ失敗する: 概要を表示',
  },
  answered: {
    choice: (buttonTitle) => `選択: ${buttonTitle}`,
  },
  fixed: {
    title: 'バックアップの問題が解決しました',
    body: (causeTitle, errorTitle) => `「${errorTitle}」の原因は「${causeTitle}」でした。`,
    footer: 'またバックアップが失敗したときは、そのエラー メッセージを貼り付けてください。一緒に確認します。',
    checkBack: (delay) => `${delay}後に、次回のバックアップが成功したかどうかをお尋ねします。`,
    noCheckBack: '確認は不要です',
  },
  followUp: {
    title: (vmName) => (vmName ? `${vmName} の次回のバックアップは成功しましたか？` : '次回のバックアップは成功しましたか？'),
    body: (causeTitle, errorTitle) => `前回は「${causeTitle}」の対処で「${errorTitle}」が解決したようでした。`,
    succeeded: 'はい、成功しました',
    failedAgain: 'いいえ、また失敗しました',
    notRunYet: 'まだ実行されていません',
  },
  exhausted: {
    title: 'どの原因でも解決しませんでした',
    noneFixed: (errorTitle) =>
      `「${errorTitle}」について記事に載っている原因をすべて試しましたが、バックアップはまだ失敗しています。記事の範囲では解決できないため、ヘルプデスクにご相談ください。`,
    triedHeading: '試した原因',
    stillFailing: 'まだ失敗する',
    summaryHeading: 'ヘルプデスク向けのケースの概要',
    summaryHint: '同じことを何度も聞かれないように、この概要を問い合わせにそのまま貼り付けてください。',
  },
  switchError: {
    title: '別のエラーのようです',
    body: (currentTitle, nextTitle) => `現在は「${currentTitle}」を確認中です。新しく貼り付けられた内容は「${nextTitle}」のようです。`,
    bodyFromImage: (currentTitle, nextTitle) => `現在は「${currentTitle}」を確認中です。新しく送られた画像から読み取った内容は「${nextTitle}」のようです。`,
    question: '新しいエラーに切り替えますか？',
    switchTo: '新しいエラーに切り替える',
    keep: '現在のエラーを続ける',
  },
  help: {
    title: '入力できること',
    commandsIntro: '次の言葉はいつでも入力できます。',
    commands: [
      { term: 'ヘルプ (help)', meaning: 'このカードを表示します' },
      { term: '最初から (start over)', meaning: '現在のエラーの確認をやめて、貼り付けからやり直します' },
      { term: 'キャンセル (cancel)', meaning: 'トラブルシューティングを終了します' },
      { term: '担当者 (helpdesk)', meaning: 'ヘルプデスクに引き継ぎます' },
      { term: '新しいエラー メッセージ', meaning: '貼り付けると、どのエラーかを判別します' },
    ],
    answersHeading: 'ボタンの代わりに入力することもできます',
    answers: 'ボタンを選択する代わりに「はい」(yes)、「次」(next)、または 1 のようにボタンの番号を入力できます。',
  },
  osNames: { windows: 'Windows', linux: 'Linux' },
  buttons: {
    helpdesk: 'ヘルプデスクに相談する',
    startOver: '別のエラーを調べる',
  },
};

export const CARD_TEXTS: Localized<CardTexts> = { en, ja };
