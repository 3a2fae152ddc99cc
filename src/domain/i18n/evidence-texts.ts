/**
 * The reasons on the recognized card ("Why I think so"), worded in each
 * language from the matcher's evidence. The English wording is also what the
 * classify command prints.
 */
import type { CodeReading, EvidenceAbout } from '../matching/classification';
import type { Language } from '../knowledge/schema';
import type { Localized } from './localized';

export interface EvidenceTexts {
  /** A code of one of the five errors found in the paste; `reading` when it was not written exactly. */
  code: (code: string, reading: string) => string;
  otherErrorCode: (code: string, reading: string) => string;
  unknownCode: (code: string) => string;
  /** How the code was written: with a typo, cut short, or both; '' when exact. */
  reading: (written: string | undefined, cutShort: boolean) => string;
  message: (message: string, percent: number, cutShort: boolean) => string;
  otherErrorMessage: (message: string, percent: number, cutShort: boolean) => string;
  described: (terms: readonly string[]) => string;
  otherService: (name: string) => string;
  otherTopic: (name: string) => string;
}

export const EVIDENCE_TEXTS: Localized<EvidenceTexts> = {
  en: {
    code: (code, reading) => `error code ${code}${reading}`,
    otherErrorCode: (code, reading) => `error code ${code}${reading} belongs to another error`,
    unknownCode: (code) => `error code ${code} is not one of the five`,
    reading: (written, cutShort) => {
      if (written === undefined) return cutShort ? ' (cut short)' : '';
      return ` (written "${written}"${cutShort ? ', cut short' : ''})`;
    },
    message: (message, percent, cutShort) => `message "${message}" (${percent}%${cutShort ? ', cut short' : ''})`,
    otherErrorMessage: (message, percent, cutShort) => `message "${message}" (${percent}%${cutShort ? ', cut short' : ''}) belongs to another error`,
    described: (terms) => `your words: ${terms.map((term) => `"${term}"`).join(' + ')}`,
    otherService: (name) => `mentions "${name}", which is outside Azure VM backup`,
    otherTopic: (name) => `is about "${name}", which is not one of the five errors`,
  },
  ja: {
    code: (code, reading) => `エラー コード ${code}${reading} が含まれています`,
    otherErrorCode: (code, reading) => `エラー コード ${code}${reading} は対象の 5 つ以外のエラーのものです`,
    unknownCode: (code) => `エラー コード ${code} は対象の 5 つのエラーのものではありません`,
    reading: (written, cutShort) => {
      if (written === undefined) return cutShort ? ' (途中まで)' : '';
      return ` (「${written}」と表記${cutShort ? '、途中まで' : ''})`;
    },
    message: (message, percent, cutShort) => `メッセージ「${message}」と一致しました (${percent}%${cutShort ? '、途中まで' : ''})`,
    otherErrorMessage: (message, percent, cutShort) =>
      `メッセージ「${message}」は対象の 5 つ以外のエラーのものです (${percent}%${cutShort ? '、途中まで' : ''})`,
    described: (terms) => `入力された語句: ${terms.map((term) => `「${term}」`).join(' + ')}`,
    otherService: (name) => `「${name}」は Azure VM バックアップの対象外です`,
    otherTopic: (name) => `「${name}」についての内容で、対象の 5 つのエラーではありません`,
  },
};

function readingOf(t: EvidenceTexts, reading: CodeReading): string {
  return t.reading(reading.written, reading.cutShort);
}

/** One reason, as the user reads it in `language`. */
export function describeEvidence(about: EvidenceAbout, language: Language): string {
  const t = EVIDENCE_TEXTS[language];
  switch (about.kind) {
    case 'code':
      return about.elsewhere ? t.otherErrorCode(about.code, readingOf(t, about)) : t.code(about.code, readingOf(t, about));
    case 'unknown-code':
      return t.unknownCode(about.code);
    case 'message':
      return about.elsewhere ? t.otherErrorMessage(about.message, about.percent, about.cutShort) : t.message(about.message, about.percent, about.cutShort);
    case 'described':
      return t.described(about.terms);
    case 'other-service':
      return t.otherService(about.name);
    case 'other-topic':
      return t.otherTopic(about.name);
  }
}
