/**
 * Turns a typed answer into the button it stands for on the card on screen, so
 * "1", "yes", 「次」 or "linux" do exactly what the click would have done.
 */
import type { CardButton } from '../cards/rendered-card';
import type { CardActionData, CardActionName } from '../flow/card-action';
import type { Reply } from './read-reply';

const YES_ACTIONS: readonly CardActionName[] = ['resolved', 'switch-error', 'follow-up-succeeded'];
const NO_ACTIONS: readonly CardActionName[] = ['next', 'keep-error', 'follow-up-failed'];

export function buttonForReply(reply: Reply, buttons: readonly CardButton[]): CardActionData | undefined {
  switch (reply.kind) {
    case 'number':
      return buttons[reply.value - 1]?.data;
    case 'yes':
      return buttons.find((button) => YES_ACTIONS.includes(button.data.action))?.data;
    case 'no':
      return buttons.find((button) => NO_ACTIONS.includes(button.data.action))?.data;
    case 'not-yet':
      return buttons.find((button) => button.data.action === 'follow-up-not-run')?.data;
    case 'os':
      return buttons.find((button) => button.data.action === 'choose-os' && button.data.os === reply.os)?.data;
    default:
      return undefined;
  }
}
