/**
 * The monthly PUK (manual, "User details": unlocks the messages view of Cryptify Call when its PIN
 * is forgotten; "the PUK code changes every month").
 *
 * PUK = decimal(BE64(HMAC-SHA-256(updateKey, "keyward-puk-v1\0" ‖ "YYYY-MM")[0..8]) mod 10^8),
 * zero-padded to 8 digits. Keyed by the user's update key, so the CMS and the device (which gets
 * the update key in its initiation letter) derive the same PUK offline, and Destroy Keys, which
 * replaces the update key, also changes it. Taking 64 bits mod 10^8 makes the bias below 10^-11.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Period } from '../../src/crypto/index.js';

export const PUK_DIGITS = 8;
const LABEL = 'keyward-puk-v1\0';

/** This user's PUK for `period`. */
export function derivePuk(updateKey: Uint8Array, period: Period): string {
  const mac = hmac(sha256, updateKey, new TextEncoder().encode(LABEL + period.toString()));
  let n = 0n;
  for (const b of mac.subarray(0, 8)) n = (n << 8n) | BigInt(b);
  mac.fill(0);
  return (n % 10n ** BigInt(PUK_DIGITS)).toString().padStart(PUK_DIGITS, '0');
}
