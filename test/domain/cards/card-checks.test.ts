/** The checks of card-checks.ts must be able to fail: each broken card here is caught. */
import { welcomeCard, type CardContext, type RenderedCard } from '../../../src/domain/cards';
import { cardProblems } from './card-checks';

const ctx: CardContext = { language: 'en', flowId: 'flow-checks', step: 2 };

function broken(change: (card: RenderedCard) => void): string[] {
  const rendered = welcomeCard(ctx);
  const copy: RenderedCard = JSON.parse(JSON.stringify(rendered)) as RenderedCard;
  change(copy);
  return cardProblems(copy, ctx);
}

describe('the card checks', () => {
  it('When a card is fine, Then no problem is reported', () => {
    expect(cardProblems(welcomeCard(ctx), ctx)).toEqual([]);
  });

  it.each<[string, (card: RenderedCard) => void, RegExp]>([
    ['an unknown element type', (r) => r.card.body.push({ type: 'TextBlok', text: 'x', wrap: true }), /Unknown element type/],
    ['an invalid property value', (r) => r.card.body.push({ type: 'TextBlock', text: 'x', wrap: true, fontType: 'Code' }), /parse|validate/],
    ['a duplicate id', (r) => r.card.body.push({ type: 'Container', id: 'a', items: [] }, { type: 'Container', id: 'a', items: [] }), /Duplicate Id/],
    ['a toggle without a target element', (r) => r.card.body.push({ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 't', targetElements: ['nowhere'] }] }), /toggle target/],
    ['an unexpanded expression', (r) => r.card.body.push({ type: 'TextBlock', text: '${missing}', wrap: true }), /unexpanded/],
    ['a version above 1.5', (r) => Object.assign(r.card, { version: '1.6' }), /version/],
    ['a narrow Teams card', (r) => delete r.card.msteams, /msteams/],
    ['a TextBlock without wrap', (r) => r.card.body.push({ type: 'TextBlock', text: 'x' }), /without wrap/],
    ['a markdown list', (r) => r.card.body.push({ type: 'TextBlock', text: '2. step', wrap: true }), /markdown list/],
    ['steps separated by a line break', (r) => r.card.body.push({ type: 'TextBlock', text: 'one\ntwo', wrap: true }), /line break/],
    ['string submit data', (r) => (r.card.actions![0].data = 'browse'), /not an object/],
    ['submit data with an extra field', (r) => Object.assign(r.card.actions![0].data as object, { extra: 1 }), /not a CardActionData/],
    ['a submit from another step', (r) => Object.assign(r.card.actions![0].data as object, { step: 1 }), /not stamped/],
    ['an Action.Execute', (r) => r.card.actions!.push({ type: 'Action.Execute', title: 'x' }), /action type Action.Execute/],
    ['buttons that disagree with the card', (r) => r.buttons.reverse(), /buttons do not list/],
    ['a card too large for Teams', (r) => r.card.body.push({ type: 'TextBlock', text: 'x'.repeat(30_000), wrap: true }), /bytes/],
    ['text without the numbered buttons', (r) => (r.text = 'nothing'), /numbered buttons/],
  ])('When the card has %s, Then it is reported', (_name, change, expected) => {
    expect(broken(change).join('\n')).toMatch(expected);
  });
});
