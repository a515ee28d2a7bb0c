/** What the Users view asks before its destructive actions, in the manual's words. */
import type { ConfirmOptions } from '../../../src/shell/ui/index.js';
import type { UserSummary } from './types.js';

/** Names shown in a confirmation before "and N more". */
const NAMES_SHOWN = 5;

function who(users: readonly UserSummary[]): string {
  const names = users.slice(0, NAMES_SHOWN).map((u) => `${u.firstName} ${u.lastName} (${u.mobile})`);
  const more = users.length - names.length;
  return names.join(', ') + (more > 0 ? ` and ${more.toLocaleString('en-US')} more` : '');
}

function count(n: number): string {
  return n === 1 ? '1 user' : `${n.toLocaleString('en-US')} users`;
}

/** Manual, "Compromise recovery – User": the consequences of Destroy Keys. */
export function destroyKeysQuestion(users: readonly UserSummary[]): ConfirmOptions {
  return {
    title: `Destroy the keys of ${count(users.length)}?`,
    message: `For ${who(users)}: the update key used to protect the monthly key updates is changed, so a compromised device cannot rekey.`,
    details: [
      'MIKEY-SAKKE keys for the identity (the mobile number) and for any channels the user had access to remain compromised for the current month and any future months already distributed to the phone.',
      'Create a monthly key update and apply it on the CRS (4.19.0 or later) to stop the compromised user from reaching the CRS; with earlier CRS versions follow the Block User procedure in the CRS manual.',
      'The user needs a new initiation letter to be able to communicate again.',
      'If the device is managed by an MDM system, wipe it remotely.',
    ],
    confirmLabel: 'Destroy Keys',
  };
}

/** Manual, "Delete a user". */
export function deleteQuestion(users: readonly UserSummary[]): ConfirmOptions {
  return {
    title: `Delete ${count(users.length)}?`,
    message: `${who(users)} will be deleted with all their keys. This cannot be undone.`,
    confirmLabel: 'Delete',
  };
}
