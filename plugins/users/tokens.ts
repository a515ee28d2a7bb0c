import { defineHook, token } from '../../src/kernel/index.js';
import { checkText, type Checked } from './validation.js';

/** A user as the list shows it (`users.add`, `users.list`, …). Carries no secret. */
export interface UserSummary {
  /** E.164, e.g. `+46706764287`; the user's key (cannot change). */
  mobile: string;
  firstName: string;
  lastName: string;
  comment: string;
  /** Additional lines (E.164), each with its own monthly keys. */
  lines: string[];
  /** Set by Destroy Keys; the next monthly update blocks the user on the CRS. */
  compromised: boolean;
  /**
   * The user's credential generation: 1 when added, +1 at every Destroy Keys. The TLS credential
   * is derived per generation ({@link userCredentialUri}); the monthly update blocks retired ones.
   */
  generation: number;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** `users.show`: the summary plus what the User Details view shows. */
export interface UserDetails extends UserSummary {
  /** This month's PUK (8 digits; changes every month, see puk.ts). */
  puk: string;
  /** The month the PUK belongs to, `YYYY-MM`. */
  period: string;
  /** When Destroy Keys was last used (ISO 8601 UTC), if ever. */
  compromisedAt?: string;
  /** QR code key, 32 hex digits; only when QR protection is on (Settings; default: flag `letters.qrEncryption`). */
  qrCodeKey?: string;
  /** Months (`YYYY-MM`) with keys for the main number. */
  keyPeriods: string[];
  /** The channels the user belongs to; set by the channels plugin through {@link UserDetailsHook}. */
  channels?: { id: string; name: string }[];
}

/**
 * `users.show` runs this hook before returning, so plugins add what they know about the user
 * (the channels plugin sets `details.channels`) without the users plugin knowing them.
 */
export const UserDetailsHook = defineHook<{ details: UserDetails }>('users.details');

/**
 * Run after users are deleted (their records and keys are gone), so plugins that refer to them
 * by number (channel membership) drop them too. `generations`: each deleted user's credential
 * generation at deletion (the updates plugin blocks it on the CRS).
 */
export const UsersDeletedHook = defineHook<{ mobiles: string[]; generations?: Record<string, number> }>('users.deleted');

/**
 * Run before users are added with their numbers; a plugin that remembers retired credentials of a
 * number (the updates plugin: deleted users) raises `first[number]` so a re-used number never gets
 * a credential generation a blocked device still holds. Absent = generation 1.
 */
export const FirstGenerationHook = defineHook<{ numbers: string[]; first: Record<string, number> }>('users.firstGeneration');

/**
 * The URI a user's TLS credential is derived from (letters plugin's `tlsCredential` salt):
 * `tel:+46…` for generation 1, `tel:+46…;generation=N` from 2 on, so Destroy Keys also gives the
 * re-initiated device a new credential. docs/formats.md, "User initiation QR payload".
 */
export function userCredentialUri(mobile: string, generation: number): string {
  return generation <= 1 ? `tel:${mobile}` : `tel:${mobile};generation=${generation}`;
}

export { derivePuk } from './puk.js';

/**
 * The character rules of a user's name (manual: no `" , ' ;` or tab; no control characters; at
 * most 100 characters), trimmed, for other plugins that name things the same way (channels).
 */
export function checkName(value: unknown): Checked<string> {
  return checkText(value, 'firstName');
}

/**
 * A phone number in international format (E.164 after removing spaces and dashes), for other
 * plugins that hold numbers the same way (gateways). See validation.ts.
 */
export { checkNumber } from './validation.js';

/** A user with its secrets, for plugins that protect or print for it (updates, letters). */
export interface UserRecord extends UserSummary {
  compromisedAt?: string;
  /** 128-bit key protecting the user's entries in the monthly update file; replaced by Destroy Keys. */
  updateKey: Uint8Array;
  /** 128-bit key protecting the initiation letter's QR code (AES-128-CBC + HMAC-SHA-256). */
  qrCodeKey: Uint8Array;
}

/** The users of the Security Domain. */
export interface IUsers {
  /** Every user, in no particular order. */
  list(): UserSummary[];
  /** A user with fresh copies of its secrets (the caller zeroises them), or undefined. */
  get(mobile: string): UserRecord | undefined;
}
export const IUsers = token<IUsers>('users:IUsers');

/** The key owner of a user's keys (main number and lines) in IKeys. */
export function userKeyOwner(mobile: string): string {
  return `users:${mobile}`;
}

/**
 * "Number already in use" across plugins. Before a number is given to a user, a line or (later)
 * a gateway, the asking plugin runs this hook with the candidate numbers (E.164); every plugin
 * that holds numbers — users for mobiles and lines, gateways for theirs — adds the ones it holds
 * to `inUse`. An empty `inUse` means all are free. Handlers must be quick (Set lookups): an
 * import asks about 10,000 numbers at once.
 */
export interface NumbersInUse {
  numbers: string[];
  inUse: { number: string; /** Who holds it, for the message: "user +46…", "a line of user +46…". */ by: string }[];
}
export const NumbersInUseHook = defineHook<NumbersInUse>('numbers.inUse');

/**
 * The licence's user limit. The users plugin runs this hook with `limit: null` (no limit) before
 * adding users; the licence plugin sets the number of users purchased.
 */
export interface UserLimit {
  limit: number | null;
  /**
   * Why the limit is what it is when that is not simply the licence's number, as a clause the
   * refusal starts with, e.g. "the licence expired on 2027-01-31 (existing users keep working)".
   */
  source?: string;
}
export const UserLimitHook = defineHook<UserLimit>('users.limit');
