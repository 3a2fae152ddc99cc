/**
 * Renders every card the bot can send (test/support/every-card.ts) in both
 * languages and checks each against the Adaptive Cards library at schema 1.5
 * and the channel rules (card-checks.ts).
 */
import { LANGUAGES, type Language } from '../../../src/domain/knowledge/schema';
import { CARD_FAMILIES, type CardCase } from '../../support/every-card';
import { cardProblems } from './card-checks';

function problemsOf(cases: readonly CardCase[]): string[] {
  return cases.flatMap(({ name, ctx, render }) => cardProblems(render(ctx), ctx).map((problem) => `${name}: ${problem}`));
}

describe('every card is a valid Adaptive Card 1.5 that Teams and Web Chat can show', () => {
  const families: Record<string, (language: Language) => CardCase[]> = CARD_FAMILIES;

  describe.each(LANGUAGES)('in %s', (language) => {
    it.each(Object.keys(families))('When the %s are rendered, Then each passes the library and the channel rules', (family) => {
      const cases = families[family](language);
      expect(cases.length).toBeGreaterThan(0);
      expect(problemsOf(cases)).toEqual([]);
    });
  });

  it('When the cases are counted, Then every cause position of every walk is among them, each once', () => {
    const all = LANGUAGES.flatMap((language) => Object.values(families).flatMap((family) => family(language)));
    // 5 errors × 3 OS choices give 13 + 9 + 13 + 7 + 13 cause positions per language.
    expect(all.filter(({ name }) => name.startsWith('cause ')).length).toBe(110);
    expect(new Set(all.map(({ name }) => name)).size).toBe(all.length);
    // Printed so that the number can be quoted; the assertions above are what fail.
    console.info(`the validation renders ${all.length} cards`);
  });
});
