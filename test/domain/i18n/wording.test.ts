/**
 * One term per thing, one voice, one spelling: every text the bot can show
 * (test/support/every-text.ts finds them: content files, the text tables of
 * src/domain/i18n with their sentences filled in, every card as rendered) is
 * scanned for the glossary's variants (src/domain/i18n/glossary.ts), a missing
 * half-width space between Japanese and alphanumerics, British spellings in
 * English, and English left on Japanese texts.
 */
import { EN_US_SPELLINGS, ENGLISH_KEPT_IN_JAPANESE, GLOSSARY, type Variant } from '../../../src/domain/i18n/glossary';
import type { Language } from '../../../src/domain/knowledge/schema';
import { cardTexts, contentTexts, i18nTexts, type ShownText } from '../../support/every-text';

/** Names and values the tests put into sentences and cards: data, not wording. */
const DATA = ['Aiko Tanaka', 'Since Monday', 'the IT helpdesk (ext. 1234)'];

const JAPANESE = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}ー々';
const MISSING_SPACE = new RegExp(`[${JAPANESE}][A-Za-z0-9]|[A-Za-z0-9][${JAPANESE}]`, 'u');

function matches(text: string, variant: Variant): string | undefined {
  if (typeof variant === 'string') return text.includes(variant) ? variant : undefined;
  return variant.exec(text)?.[0];
}

function around(text: string, found: string): string {
  const at = text.indexOf(found);
  return text.slice(Math.max(0, at - 20), at + found.length + 20);
}

/** Quoted: an error message as Azure prints it (「管理ディスクの…」), the user's own words. Not the bot's wording. */
const QUOTED = /「[^」]*」|"[^"]*"/g;

export function glossaryProblems(shown: ShownText): string[] {
  if (shown.verbatim) return [];
  const wording = shown.text.replace(QUOTED, '「」');
  return GLOSSARY.flatMap((entry) => {
    const usage = entry[shown.language];
    if (!usage) return [];
    return usage.avoid.flatMap((variant) => {
      const found = matches(wording, variant);
      return found === undefined ? [] : [`${shown.where}: "${around(wording, found)}" says "${found}"; write "${usage.use}" (${entry.concept})`];
    });
  });
}

export function spacingProblems(shown: ShownText): string[] {
  if (shown.verbatim) return [];
  const found = MISSING_SPACE.exec(shown.text);
  return found ? [`${shown.where}: no half-width space in "${around(shown.text, found[0])}"`] : [];
}

export function spellingProblems(shown: ShownText): string[] {
  if (shown.verbatim || shown.language !== 'en') return [];
  return EN_US_SPELLINGS.flatMap(({ british, american }) => {
    const found = british.exec(shown.text)?.[0];
    return found ? [`${shown.where}: "${found}" is British; write ${american}`] : [];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const KEPT = new RegExp(`(?<![A-Za-z])(?:${[...ENGLISH_KEPT_IN_JAPANESE].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![A-Za-z])`, 'gi');

/** What a Japanese text may keep in English, removed by its form: links, quotes, paths, names, ids, codes. */
function withoutAllowedEnglish(text: string): string {
  let rest = text;
  for (const data of DATA) rest = rest.split(data).join(' ');
  return rest
    .replace(/\]\([^)]*\)/g, ']') // a markdown link's URL (its label stays and is checked)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(QUOTED, ' ')
    .replace(/\S*[@./\\_:=*|$%][^\s、。「」()]*/g, ' ') // paths, files, addresses, settings
    .replace(/(?<![A-Za-z0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+/g, ' ') // kebab-case names, ids and cmdlets
    .replace(KEPT, ' ')
    .replace(/(?<![A-Za-z])[A-Za-z]*(?:[a-z][A-Z]|\d)[A-Za-z0-9]*/g, ' ') // CamelCase codes, names with digits
    .replace(/(?<![A-Za-z])[A-Z]{2,}s?(?![A-Za-z])/g, ' '); // acronyms
}

export function englishOnJapaneseProblems(shown: ShownText): string[] {
  if (shown.verbatim || shown.language !== 'ja') return [];
  const left = withoutAllowedEnglish(shown.text).match(/[A-Za-z]{2,}(?:[ '][A-Za-z]{2,})*/g);
  return left ? [`${shown.where}: English "${left.join('", "')}" in "${shown.text.slice(0, 120)}"`] : [];
}

const CHECKS = { glossaryProblems, spacingProblems, spellingProblems, englishOnJapaneseProblems };

describe('the wording of every text the bot shows', () => {
  const i18n = i18nTexts();
  const sources: Record<string, () => ShownText[]> = {
    'the content files': contentTexts,
    'the text tables of src/domain/i18n': () => i18n.texts,
    'the cards as rendered': cardTexts,
  };

  it('When the texts are found, Then every content file, every text table and every sentence parameter is covered', () => {
    const content = contentTexts();
    expect(new Set(content.map(({ where }) => where.split(':')[0])).size).toBeGreaterThanOrEqual(2);
    expect(i18n.tables).toEqual(
      expect.arrayContaining([
        'card-texts.ts: CARD_TEXTS',
        'bot-texts.ts: BOT_TEXTS',
        'handoff-texts.ts: HANDOFF_TEXTS',
        'image-texts.ts: IMAGE_TEXTS',
        'evidence-texts.ts: EVIDENCE_TEXTS',
        'case-summary-texts.ts: CASE_SUMMARY_TEXTS',
      ]),
    );
    // A sentence whose parameter has no sample would go unchecked: give it one in every-text.ts.
    expect(i18n.missing).toEqual([]);
  });

  describe.each(Object.keys(sources))('in %s', (source) => {
    const texts = sources[source]!();
    it.each(Object.keys(CHECKS) as (keyof typeof CHECKS)[])('When %s are looked for, Then there are none', (check) => {
      expect(texts.length).toBeGreaterThan(0);
      expect([...new Set(texts.flatMap(CHECKS[check]))]).toEqual([]);
    });
  });

  describe('the checks themselves', () => {
    const text = (language: Language, value: string): ShownText => ({ language, where: 'sample', text: value });

    it.each([
      ['ja', 'エラー文を貼り付けてください'],
      ['ja', 'Azure ポータルにサインインします。'],
      ['ja', '[設定] をクリックします。'],
      ['ja', '貼り付けても大丈夫です。'],
      ['ja', 'Recovery Services コンテナー、またはコンテナー'],
      ['en', 'Paste the error text'],
      ['en', 'Vault'],
      ['en', 'e-mail addresses'],
    ] as const)('When a %s text says %j, Then the glossary flags it', (language, value) => {
      expect(glossaryProblems(text(language, value))).not.toEqual([]);
    });

    it('When the preferred terms are used, Then the glossary is silent', () => {
      expect(glossaryProblems(text('ja', 'Recovery Services コンテナーを選択して、エラー メッセージを確認します。'))).toEqual([]);
      expect(glossaryProblems(text('en', 'Select the Recovery Services vault and paste the error message.'))).toEqual([]);
    });

    it('When Japanese touches an alphanumeric, Then the spacing check flags it, in templates filled in too', () => {
      expect(spacingProblems(text('ja', 'helpdesk@contoso.comに送ってください'))).not.toEqual([]);
      expect(spacingProblems(text('ja', '5つのエラー'))).not.toEqual([]);
      expect(spacingProblems(text('ja', 'helpdesk@contoso.com 宛てに 5 つ'))).toEqual([]);
    });

    it('When English uses British spelling, Then it is flagged', () => {
      expect(spellingProblems(text('en', 'I recognised this error'))).not.toEqual([]);
      expect(spellingProblems(text('en', 'Cancelled.'))).not.toEqual([]);
      expect(spellingProblems(text('en', 'I recognized this error. Canceled.'))).toEqual([]);
    });

    it('When a Japanese text keeps English wording, Then it is flagged; codes, commands, paths and quoted messages are not', () => {
      expect(englishOnJapaneseProblems(text('ja', 'error code UserErrorGuestAgentStatusUnavailable'))).not.toEqual([]);
      expect(englishOnJapaneseProblems(text('ja', 'ヘルプデスクの an agent さんが担当します'))).not.toEqual([]);
      expect(
        englishOnJapaneseProblems(text('ja', 'エラー コード UserErrorGuestAgentStatusUnavailable と「VM Agent unable to communicate」、/var/log/waagent.log、New-NetRoute、Azure portal')),
      ).toEqual([]);
    });
  });
});
