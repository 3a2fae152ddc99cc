/**
 * The labels of the case summary (src/domain/handoff/case-summary.ts): the
 * plain text a person at the helpdesk reads, copied from the exhausted card or
 * sent in a ticket, in the user's language.
 */
import type { Language } from '../knowledge/schema';
import type { Localized } from './localized';

export interface CaseSummaryTexts {
  title: string;
  error: string;
  notRecognised: string;
  guestOs: string;
  os: Record<'windows' | 'linux' | 'unknown', string>;
  tried: string;
  fixed: string;
  stillFailing: string;
  fixedBy: string;
  nothingFixed: string;
  notStarted: string;
  identifiers: Record<'vmName' | 'resourceGroup' | 'vault' | 'jobId' | 'subscriptionId', string>;
  paste: string;
  language: string;
  languageNames: Record<Language, string>;
  at: string;
}

export const CASE_SUMMARY_TEXTS: Localized<CaseSummaryTexts> = {
  en: {
    title: 'Azure VM backup failure: case summary',
    error: 'Error',
    notRecognised: 'not one of the five agent/extension errors',
    guestOs: 'Guest OS',
    os: { windows: 'Windows', linux: 'Linux', unknown: 'not sure' },
    tried: 'Causes checked',
    fixed: 'fixed it',
    stillFailing: 'still failing',
    fixedBy: 'Fixed by',
    nothingFixed: 'none of the causes fixed it',
    notStarted: 'none yet',
    identifiers: { vmName: 'VM', resourceGroup: 'Resource group', vault: 'Recovery Services vault', jobId: 'Job ID', subscriptionId: 'Subscription' },
    paste: 'Pasted error',
    language: 'Language',
    languageNames: { ja: 'Japanese', en: 'English' },
    at: 'Time',
  },
  ja: {
    title: 'Azure VM バックアップ失敗: ケースの概要',
    error: 'エラー',
    notRecognised: '5 つのエージェント/拡張機能エラーのいずれでもない',
    guestOs: 'ゲスト OS',
    os: { windows: 'Windows', linux: 'Linux', unknown: '不明' },
    tried: '確認した原因',
    fixed: '解決した',
    stillFailing: 'まだ失敗する',
    fixedBy: '解決した原因',
    nothingFixed: 'どの原因でも解決しなかった',
    notStarted: 'まだありません',
    identifiers: { vmName: 'VM', resourceGroup: 'リソース グループ', vault: 'Recovery Services コンテナー', jobId: 'ジョブ ID', subscriptionId: 'サブスクリプション' },
    paste: '貼り付けられたエラー',
    language: '言語',
    languageNames: { ja: '日本語', en: '英語' },
    at: '日時',
  },
};
