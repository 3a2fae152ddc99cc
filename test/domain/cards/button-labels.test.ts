/**
 * Teams does not wrap button text: a long label is cut, and two labels that
 * start alike look the same. Every action of every card the bot can send
 * (test/support/every-card.ts) must fit: Japanese ≤ 14 full-width characters (a
 * half-width one counting as half), English ≤ 28 characters. Every button that
 * names an error uses the error's short label; its full title is in the text.
 */
import { buttonLabelProblem, labelWidth, MAX_BUTTON_LABEL } from '../../../src/domain/i18n/button-label';
import { defaultLibrary, loadLibrary } from '../../../src/domain/knowledge/load-articles';
import { ERROR_IDS, LANGUAGES } from '../../../src/domain/knowledge/schema';
import rawEnglish from '../../../src/domain/knowledge/content/en.json';
import rawJapanese from '../../../src/domain/knowledge/content/ja.json';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root';
import { everyCard } from '../../support/every-card';
import { cardObjects } from './card-checks';

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('button labels', () => {
  describe.each(LANGUAGES)('in %s', (language) => {
    const cards = everyCard(language).map(({ name, ctx, render }) => ({ name, rendered: render(ctx) }));

    it('When every card is rendered, Then every action title fits on a Teams button', () => {
      const actions = cards.flatMap(({ name, rendered }) =>
        cardObjects(rendered.card)
          .filter((element) => String(element.type).startsWith('Action.'))
          .map((action) => ({ name, title: String(action.title) })),
      );
      expect(actions.length).toBeGreaterThan(400);
      const problems = [...new Set(actions.map(({ name, title }) => buttonLabelProblem(title, language) && `${name}: ${buttonLabelProblem(title, language)}`))].filter(Boolean);
      expect(problems).toEqual([]);
    });

    it('When a button names an error, Then it carries the error\'s short label and the card shows the full title', () => {
      const knowledge = defaultLibrary()[language];
      const naming = cards.flatMap(({ name, rendered }) =>
        rendered.buttons.filter((button) => button.data.action === 'choose-category').map((button) => ({ name, button, text: rendered.text })),
      );
      expect(naming.length).toBeGreaterThan(0);
      for (const { button, text } of naming) {
        const error = knowledge.error(button.data.category!);
        expect(button.title).toBe(error.buttonLabel);
        expect(text).toContain(error.title);
      }
    });

    it('When the five short labels are compared, Then no two are alike in their first half', () => {
      const labels = ERROR_IDS.map((id) => defaultLibrary()[language].error(id).buttonLabel);
      const halves = labels.map((label) => [...label].slice(0, Math.ceil([...label].length / 2)).join(''));
      expect(new Set(halves).size).toBe(labels.length);
    });
  });

  it('When the bot\'s code is searched, Then it sends no suggested actions or hero cards (whose buttons this test would have to measure too)', () => {
    const sources = [join(PROJECT_ROOT, 'src'), join(PROJECT_ROOT, 'dialogs')].flatMap(typeScriptFiles);
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.filter((file) => /suggestedActions|heroCard|HeroCard|thumbnailCard|CardFactory\.actions/.test(readFileSync(file, 'utf8')));
    expect(offending).toEqual([]);
  });

  it('When widths are measured, Then a half-width character counts half in Japanese and one in English', () => {
    expect(labelWidth('内部エラー', 'ja')).toBe(5);
    expect(labelWidth('VMSnapshot 拡張機能の失敗', 'ja')).toBe(12.5);
    expect(labelWidth('Internal error', 'en')).toBe(14);
    expect(buttonLabelProblem('バックアップ操作は内部エラーのため失敗しました', 'ja')).toMatch(/at most 14/);
    expect(buttonLabelProblem('Backup failed with an internal error', 'en')).toMatch(/at most 28/);
    expect(MAX_BUTTON_LABEL).toEqual({ ja: 14, en: 28 });
  });

  it('When a content file gives an error a label too long for a button, Then loading it fails naming the field', () => {
    const japanese = structuredClone(rawJapanese);
    japanese.errors[4]!.buttonLabel = japanese.errors[4]!.title;
    expect(() => loadLibrary({ en: rawEnglish, ja: japanese })).toThrow(/ja\.json: errors\.4\.buttonLabel: button label .*\(at most 14 in ja\)/);
  });
});
