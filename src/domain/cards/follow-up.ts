/** The follow-up card: did the next backup succeed? Three answers, stamped like every card. */
import type { FollowUp } from '../follow-up/follow-up';
import { stepTitle } from '../flow/step-title';
import { button } from './buttons';
import { knowledgeFor, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

export function followUpCard(ctx: CardContext, followUp: FollowUp): RenderedCard {
  const t = textsFor(ctx);
  const knowledge = knowledgeFor(ctx);
  const fixedBy = [...followUp.causes, ...(followUp.checks ?? [])][followUp.fixedAt];
  return renderCard(ctx, 'follow-up', {
    title: t.followUp.title(followUp.vmName),
    body: fixedBy ? t.followUp.body(stepTitle(knowledge, fixedBy), knowledge.error(followUp.category).title) : knowledge.error(followUp.category).title,
    buttons: [
      button(ctx, t.followUp.succeeded, { action: 'follow-up-succeeded' }),
      button(ctx, t.followUp.failedAgain, { action: 'follow-up-failed' }),
      button(ctx, t.followUp.notRunYet, { action: 'follow-up-not-run' }),
    ],
  });
}
