/**
 * Cards whose data comes from the content alone are expanded once and re-stamped per turn (render.ts).
 * A card from the cache must be exactly what a fresh expansion gives for that flow and step.
 */
import * as templates from '../../../src/domain/cards/templates';
import * as cards from '../../../src/domain/cards/index';
import type { CardContext, RenderedCard } from '../../../src/domain/cards/rendered-card';
import { applicableCauses, startWalk } from '../../../src/domain/flow/walk';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { ERROR_IDS, LANGUAGES, type Language } from '../../../src/domain/knowledge/schema';

type Cards = typeof cards;

/** The card module loaded anew: an empty cache, so every card it renders is a fresh expansion. */
function freshCards(): Cards {
  let fresh: Cards | undefined;
  jest.isolateModules(() => {
    fresh = jest.requireActual<Cards>('../../../src/domain/cards/index');
  });
  return fresh!;
}

const OS_CHOICES = ['windows', 'linux', 'unknown'] as const;

function cardsToCompare(language: Language): { name: string; render: (set: Cards, ctx: CardContext) => RenderedCard }[] {
  const knowledge = defaultLibrary()[language];
  const causes = ERROR_IDS.flatMap((category) =>
    OS_CHOICES.flatMap((os) =>
      applicableCauses(knowledge, category, os).map((_, position) => ({
        name: `cause ${category} ${os} #${position}`,
        render: (set: Cards, ctx: CardContext) => set.causeCard(ctx, { ...startWalk(knowledge, category, os), position }),
      })),
    ),
  );
  return [
    ...causes,
    { name: 'welcome', render: (set, ctx) => set.welcomeCard(ctx) },
    { name: 'help', render: (set, ctx) => set.helpCard(ctx) },
    { name: 'error choice', render: (set, ctx) => set.errorChoiceCard(ctx, 'browse') },
    { name: 'choose os', render: (set, ctx) => set.chooseOsCard(ctx, 'internal-error') },
    { name: 'did you mean', render: (set, ctx) => set.didYouMeanCard(ctx, [{ category: 'no-network', confidence: 0.5 }, { category: 'internal-error', confidence: 0.5 }]) },
    { name: 'switch error', render: (set, ctx) => set.switchErrorCard(ctx, 'no-network', 'internal-error') },
  ];
}

describe('cards expanded once and stamped per turn', () => {
  describe.each(LANGUAGES)('in %s', (language) => {
    it('When a card comes from the cache with another flow and step, Then it equals a fresh expansion for them', () => {
      const fresh = freshCards();
      for (const { name, render } of cardsToCompare(language)) {
        render(cards, { language, flowId: 'flow-first', step: 1 });
        const later = { language, flowId: 'flow-"later"', step: 7 };
        expect({ name, card: render(cards, later) }).toEqual({ name, card: render(fresh, later) });
      }
    });
  });

  it('When the same cause card is shown again in another flow, Then the template is not expanded again', () => {
    const knowledge = defaultLibrary().en;
    const walk = startWalk(knowledge, 'agent-unreachable', 'windows');
    cards.causeCard({ language: 'en', flowId: 'warm', step: 1 }, walk);
    const expand = jest.spyOn(templates, 'expandTemplate');
    try {
      const again = cards.causeCard({ language: 'en', flowId: 'another', step: 2 }, walk);
      expect(expand).not.toHaveBeenCalled();
      expect(again.buttons.every((button) => button.data.flowId === 'another' && button.data.step === 2)).toBe(true);
      cards.recognisedCard({ language: 'en', flowId: 'another', step: 2 }, { status: 'matched', category: 'no-network', confidence: 1, candidates: [], evidence: [], hints: { language: 'en', identifiers: {} } });
      expect(expand).toHaveBeenCalledTimes(1);
    } finally {
      expand.mockRestore();
    }
  });

  it('When a card from the cache is changed by its receiver, Then the next copy is untouched', () => {
    const walk = startWalk(defaultLibrary().ja, 'no-network', 'linux');
    const first = cards.causeCard({ language: 'ja', flowId: 'a', step: 1 }, walk);
    const title = String(first.card.body[0]?.['text']);
    first.card.body[0]!['text'] = 'changed';
    first.buttons[0]!.data.action = 'helpdesk';
    const second = cards.causeCard({ language: 'ja', flowId: 'b', step: 2 }, walk);
    expect(second.card.body[0]?.['text']).toBe(title);
    expect(second.buttons[0]?.data.action).toBe('resolved');
  });
});
