/**
 * A card replaced after its answer: hosts never disable a card, so in Teams the
 * answered card is updated in place to show the choice and drop its buttons.
 */
import { textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

export function answeredCard(ctx: CardContext, heading: string, buttonTitle: string): RenderedCard {
  return renderCard(ctx, 'answered', { heading, choice: textsFor(ctx).answered.choice(buttonTitle), buttons: [] });
}
