/**
 * What a licence key means for this installation: refusals when a key is entered, and the state
 * of the stored key as time passes (temporary, expired, restored on a new machine).
 */
import { CommandError } from '../../src/kernel/index.js';
import { expiryInstant, formatChecksum, LicenseKeyError, verifyKey, type LicenseClaims } from './key-format.js';
import type { LicenseStatus } from './tokens.js';

/** How long a permanent key for another installation keeps working (a backup restored on a new machine). */
export const GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Installation {
  systemId: string;
  /** 32 hex digits. */
  checksum: string;
  now: Date;
}

const refuse = (code: string, message: string) => new CommandError(code, `licenseKey: ${message}`, { field: 'licenseKey' });

/** The claims of `key` if it verifies and is for `systemId`; otherwise the refusal (a CommandError). */
function verifiedClaims(key: string, verifyingKey: Uint8Array, systemId: string): LicenseClaims {
  let claims: LicenseClaims;
  try {
    claims = verifyKey(key, verifyingKey);
  } catch (err) {
    if (err instanceof LicenseKeyError) throw refuse(err.code, err.message);
    throw err;
  }
  if (claims.systemId !== systemId) {
    throw refuse('E_LICENSE_SYSTEM_ID', `the licence key is for System ID ${claims.systemId}, not ${systemId || '(none entered)'}`);
  }
  return claims;
}

/**
 * A key being entered (wizard, New License): it must verify, be for this System ID, not be
 * expired, and, when permanent, be for this installation's checksum.
 */
export function acceptKey(key: string, verifyingKey: Uint8Array, at: Installation): LicenseClaims {
  const claims = verifiedClaims(key, verifyingKey, at.systemId);
  if (claims.expires && at.now >= expiryInstant(claims.expires)) {
    throw refuse('E_LICENSE_EXPIRED', `the temporary licence key expired on ${claims.expires}; ask your supplier for a new one`);
  }
  if (claims.checksum && claims.checksum !== at.checksum) {
    throw refuse(
      'E_LICENSE_CHECKSUM',
      `the licence key is for the installation with checksum ${formatChecksum(claims.checksum)}; this installation's is ` +
        `${formatChecksum(at.checksum)}. Send the System ID and this checksum to your supplier for a permanent key`,
    );
  }
  return claims;
}

/** What the licence state is based on, besides the key. */
export interface EvaluateInput extends Installation {
  /** Absent: the deployment is unlicensed. */
  verifyingKey?: Uint8Array;
  licenseKey: string;
  usersInUse: number;
  /**
   * When this installation first saw its stored permanent key bound to another checksum;
   * undefined when it has not (the caller records it and asks again).
   */
  mismatchSince?: Date;
}

/** The last day (UTC, `YYYY-MM-DD`) of a grace period that started at `since`. */
export function graceUntil(since: Date): string {
  return new Date(since.getTime() + GRACE_DAYS * DAY_MS).toISOString().slice(0, 10);
}

/** The claims of the stored key, when it verifies for the System ID (otherwise undefined). */
export function storedClaims(input: EvaluateInput): LicenseClaims | undefined {
  if (!input.verifyingKey || !input.licenseKey) return undefined;
  try {
    return verifiedClaims(input.licenseKey, input.verifyingKey, input.systemId);
  } catch {
    return undefined;
  }
}

export function evaluate(input: EvaluateInput): LicenseStatus {
  const base = { systemId: input.systemId, checksum: formatChecksum(input.checksum), usersInUse: input.usersInUse };
  const blocked = (state: LicenseStatus['state'], message: string, extra: Partial<LicenseStatus> = {}): LicenseStatus => ({
    ...base,
    state,
    message,
    maxUsers: null,
    userLimit: 0,
    ...extra,
  });
  if (!input.verifyingKey) {
    return { ...base, state: 'unlicensed', maxUsers: null, userLimit: null, message: 'This deployment is unlicensed: there is no user limit.' };
  }
  if (!input.licenseKey) {
    return blocked('missing', 'No licence key has been entered: no users can be added until the System ID and licence key from your supplier are entered (New License).');
  }
  let claims: LicenseClaims;
  try {
    claims = verifiedClaims(input.licenseKey, input.verifyingKey, input.systemId);
  } catch (err) {
    const e = err as CommandError;
    return blocked('invalid', `The stored licence key is not valid: ${e.message.replace(/^licenseKey: /, '')}. No users can be added until a valid key is entered (New License); existing users keep working.`, {
      reason: e.code,
    });
  }
  const kind = claims.expires ? 'temporary' : claims.checksum ? 'permanent' : 'unbound';
  const limits = { maxUsers: claims.maxUsers, kind } as const;
  const moved = claims.checksum !== undefined && claims.checksum !== input.checksum;
  // A key's own expiry and a new machine's grace period both end the licence; the earlier one counts.
  const ends = [claims.expires, moved && input.mismatchSince ? graceUntil(input.mismatchSince) : undefined].filter((d): d is string => !!d).sort();
  const until = ends[0];
  const moveNote = moved
    ? ` The licence key is for the installation with checksum ${formatChecksum(claims.checksum!)}, not this one (restored on a new machine?): ` +
      `send the System ID ${input.systemId} and this installation's checksum ${base.checksum} to your supplier for a permanent key.`
    : '';
  const extra = { ...limits, ...(until ? { until } : {}), ...(moved ? { keyChecksum: formatChecksum(claims.checksum!) } : {}) };
  if (until && input.now >= expiryInstant(until)) {
    return blocked('expired', `The licence expired on ${until}: no users can be added until a new licence key is entered (New License); existing users and their keys keep working.${moveNote}`, extra);
  }
  if (until) {
    return {
      ...base,
      ...extra,
      state: 'temporary',
      userLimit: claims.maxUsers,
      message: `Temporary licence for ${claims.maxUsers} users until ${until}.${moveNote || (claims.checksum ? '' : ` For a permanent key, send the System ID ${input.systemId} and this installation's checksum ${base.checksum} to your supplier.`)}`,
    };
  }
  return { ...base, ...extra, state: 'valid', userLimit: claims.maxUsers, message: `Licensed for ${claims.maxUsers} users.` };
}
