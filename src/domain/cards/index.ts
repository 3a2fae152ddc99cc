/** The card builders: each returns a RenderedCard expanded from a template in cards/. */
export { welcomeCard, helpCard } from './start';
export { errorChoiceCard, didYouMeanCard, switchErrorCard, type ErrorChoiceReason } from './error-choice';
export { recognisedCard } from './recognised';
export { chooseOsCard } from './choose-os';
export { causeCard } from './cause';
export { fixedCard, exhaustedCard } from './outcome';
export { followUpCard } from './follow-up';
export type { AdaptiveCardJson, CardButton, CardContext, CardElement, RenderedCard } from './rendered-card';
export { answeredCard } from './answered';
export { casePreviewCard, supportCaseCard } from './handoff-cards';
