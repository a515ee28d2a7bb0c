/** For plugin UIs (browser side): how a burn went, said the same way by every view that burns. */
import { notify } from '../../src/shell/ui/index.js';
import type { BurnResult } from './tokens.js';

/** `what` names what was burned ("2 initiation letters", "the domain certificate"). */
export function notifyBurned(r: BurnResult & { volumeLabel?: string }, what: string): void {
  if (r.verified) notify(`Burned ${what}${r.volumeLabel ? ` as ${r.volumeLabel}` : ''} to ${r.destination} and verified it.`, 'success');
  else notify(`What was burned to ${r.destination} does not read back the same: discard that medium and burn again.`, 'error');
}
