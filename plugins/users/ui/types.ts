/**
 * The users commands' JSON shapes as the UI receives them over the bridge: the plugin's
 * own types where it has them (tokens.ts), the command results' envelopes here.
 */

import type { UserDetails as ShownUser, UserSummary } from '../tokens.js';

export type { UserSummary };

/** `users.list` */
export interface UserListResult {
  total: number;
  /** The licence's user limit; null when the licence sets none. */
  userLimit: number | null;
  users: UserSummary[];
}

/** `users.show`; `channels` is present when the channels plugin is active. */
export type UserDetails = ShownUser & { channels?: { id: string; name: string }[] };

/** One bad line of an import file. */
export interface ImportProblem {
  line: number;
  column?: number;
  reason: string;
}

/** `users.validateImport` */
export interface ImportReport {
  ok: boolean;
  count: number;
  errors: ImportProblem[];
}

/** `details` of E_INVALID_FIELD. */
export interface FieldProblem {
  field: string;
  reason: string;
}
