/** The cards that frame a conversation: the welcome and the help card. */
import { button } from './buttons';
import { otherLanguage, textsFor } from './common';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';

/** What the bot does, what to paste, a way to browse instead, and the language switch. */
export function welcomeCard(ctx: CardContext): RenderedCard {
  const t = textsFor(ctx);
  return renderCard(ctx, 'welcome', {
    ...t.welcome,
    buttons: [
      button(ctx, t.welcome.browse, { action: 'browse' }),
      // Labelled in the language it switches to, so a user who cannot read the
      // current one still finds it.
      button(ctx, t.welcome.otherLanguage, { action: 'set-language', language: otherLanguage(ctx.language) }),
    ],
  });
}

/** What can be typed at any time, and that answers can be typed instead of clicked. */
export function helpCard(ctx: CardContext): RenderedCard {
  const t = textsFor(ctx);
  return renderCard(ctx, 'help', {
    title: t.help.title,
    commandsIntro: t.help.commandsIntro,
    commands: t.help.commands.map(({ term, meaning }) => ({ title: term, value: meaning })),
    answersHeading: t.help.answersHeading,
    answers: t.help.answers,
    buttons: [button(ctx, t.buttons.startOver, { action: 'start-over' }), button(ctx, t.buttons.helpdesk, { action: 'helpdesk' })],
  });
}
