import { token } from '../../src/kernel/index.js';

/**
 * - `unlicensed`: the deployment config has no `licenseVerifyingKey`: no user limit (the open default).
 * - `missing`: a verifying key is configured but no licence key is stored: no new users.
 * - `valid`: a permanent key for this installation (or a key bound to none) and no expiry.
 * - `temporary`: a key with an expiry not yet passed, or a permanent key for another installation
 *   (restored on a new machine) within the grace period: the key's user limit until `until`.
 * - `expired`: that date has passed: no new users; nothing is hidden or deleted.
 * - `invalid`: the stored key does not verify or is for another System ID (`reason`): no new users.
 */
export type LicenseState = 'unlicensed' | 'missing' | 'valid' | 'temporary' | 'expired' | 'invalid';

/** What `license.show` returns and the Licence view shows. */
export interface LicenseStatus {
  state: LicenseState;
  /** One sentence for people: the state, and what to do about it. */
  message: string;
  /** As stored by the settings plugin (empty when none). */
  systemId: string;
  /** This installation's checksum, 8 groups of 4 hex digits (`1A2B-…`). */
  checksum: string;
  /** The stored key's maximum number of users, when it verifies. */
  maxUsers: number | null;
  /** The number of users that may exist now: null = no limit; 0 when expired, invalid or missing. */
  userLimit: number | null;
  usersInUse: number;
  /** `temporary`/`expired`: the last day (UTC) the licence is or was valid, `YYYY-MM-DD`. */
  until?: string;
  /** Whether the stored key is a temporary (has an expiry) or permanent (bound to a checksum) one. */
  kind?: 'temporary' | 'permanent' | 'unbound';
  /** A permanent key for another installation: that installation's checksum (grouped). */
  keyChecksum?: string;
  /** `invalid`: the error code the key fails with (`E_LICENSE_SIGNATURE`, `E_LICENSE_SYSTEM_ID`, …). */
  reason?: string;
}

/** The licence as it stands now, for plugins that show or act on it (e.g. backup restore notes). */
export interface ILicense {
  status(): Promise<LicenseStatus>;
}
export const ILicense = token<ILicense>('license:ILicense');
