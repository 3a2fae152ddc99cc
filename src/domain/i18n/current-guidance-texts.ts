/**
 * The words around the current guidance (issue 12): the "Changed since 2017"
 * note on a cause card, the extra checks of the current article after the last
 * cause, the card for an error of the current article outside the five, and
 * their lines in the helpdesk case. The guidance itself is content
 * (src/domain/knowledge/content/current-{en,ja}.json).
 */
import type { Localized } from './localized';

export interface CurrentGuidanceTexts {
  note: {
    heading: string;
    /** The link to the section of the current article that says it. */
    sectionLink: (sectionTitle: string) => string;
    /** The current address of a page the 2017 article links to. */
    movedLink: (label: string) => string;
  };
  checks: {
    /** Above the first extra check. */
    heading: string;
    intro: (errorTitle: string) => string;
    position: (current: number, total: number) => string;
    source: string;
    /** "Still failing" on the last cause of the 2017 article when extra checks follow. */
    toChecks: string;
    next: string;
    lastNext: string;
    sectionLink: (sectionTitle: string) => string;
  };
  otherError: {
    notCovered: string;
    code: (code: string) => string;
    adviceHeading: string;
    sectionLink: (sectionTitle: string) => string;
    next: string;
  };
  /** In the case summary and the case cards: the checks apart from the article's causes. */
  caseChecksHeading: string;
  /** Under an error's 2017 title, where the portal words it differently today (review O-9). */
  portalMessage: (message: string) => string;
}

const en: CurrentGuidanceTexts = {
  note: {
    heading: 'Changed since 2017',
    sectionLink: (sectionTitle) => `Current article: ${sectionTitle}`,
    movedLink: (label) => `Moved: ${label}`,
  },
  checks: {
    heading: 'The current article lists more checks',
    intro: (errorTitle) =>
      `You have tried every cause of "${errorTitle}" in the 2017 article. Microsoft's current article (2025) adds the checks below for this error. Try them one at a time before we turn to the helpdesk.`,
    position: (current, total) => `Extra check ${current} of ${total}`,
    source: "From Microsoft's current article (2025)",
    toChecks: 'Still failing: more checks',
    next: 'Still failing: next check',
    lastNext: 'Still failing: see summary',
    sectionLink: (sectionTitle) => `Current article: ${sectionTitle}`,
  },
  otherError: {
    notCovered: 'This error is in Microsoft\'s current troubleshooting article, but it is not one of the five VM agent and backup extension errors that this guide walks through.',
    code: (code) => `Error code: ${code}`,
    adviceHeading: 'What the current article advises',
    sectionLink: (sectionTitle) => `Current article: ${sectionTitle}`,
    next: 'If that does not solve it, the helpdesk can take it from here; the case will name this error.',
  },
  caseChecksHeading: "Checks from Microsoft's current article (2025)",
  portalMessage: (message) => `The portal shows it today as: "${message}"`,
};

const ja: CurrentGuidanceTexts = {
  note: {
    heading: '2017 年以降の変更',
    sectionLink: (sectionTitle) => `最新の記事: ${sectionTitle}`,
    movedLink: (label) => `移動先: ${label}`,
  },
  checks: {
    heading: '最新の記事には、ほかにも確認項目があります',
    intro: (errorTitle) =>
      `「${errorTitle}」について、2017 年の記事の原因はすべて試しました。Microsoft の最新の記事 (2025 年) では、このエラーに次の確認項目が加わっています。ヘルプデスクにご相談いただく前に、1 つずつ試してみてください。`,
    position: (current, total) => `追加の確認 ${current} / ${total}`,
    source: 'Microsoft の最新の記事 (2025 年) より',
    toChecks: 'まだ失敗する: 追加の確認へ',
    next: 'まだ失敗する: 次の確認へ',
    lastNext: 'まだ失敗する: 概要を表示',
    sectionLink: (sectionTitle) => `最新の記事: ${sectionTitle}`,
  },
  otherError: {
    notCovered: 'このエラーは Microsoft の最新のトラブルシューティング記事に載っていますが、このガイドで扱う VM エージェントとバックアップ拡張機能の 5 つのエラーには含まれません。',
    code: (code) => `エラー コード: ${code}`,
    adviceHeading: '最新の記事での対処方法',
    sectionLink: (sectionTitle) => `最新の記事: ${sectionTitle}`,
    next: 'それでも解決しない場合は、ヘルプデスクに引き継ぎます。ケースにはこのエラーを記載します。',
  },
  caseChecksHeading: 'Microsoft の最新の記事 (2025 年) の確認項目',
  portalMessage: (message) => `現在の Azure portal での表示: 「${message}」`,
};

export const CURRENT_GUIDANCE_TEXTS: Localized<CurrentGuidanceTexts> = { en, ja };
