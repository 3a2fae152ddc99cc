/** Asks for the guest OS, so that the walk can leave out causes written for the other one. */
import type { ErrorId } from '../knowledge/schema';
import { button } from './buttons';
import { knowledgeFor, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

export function chooseOsCard(ctx: CardContext, category: ErrorId): RenderedCard {
  const t = textsFor(ctx).chooseOs;
  return renderCard(ctx, 'choose-os', {
    title: t.title,
    intro: t.intro(knowledgeFor(ctx).error(category).title),
    buttons: [
      button(ctx, t.windows, { action: 'choose-os', category, os: 'windows' }),
      button(ctx, t.linux, { action: 'choose-os', category, os: 'linux' }),
      button(ctx, t.unknown, { action: 'choose-os', category, os: 'unknown' }),
    ],
  });
}
