/**
 * $OWN-DOMAIN-ID and $OWN-DOMAIN-FINGERPRINT (manual, "Customisation of initiation letters"):
 * what a letter shows so that a reader can tell which domain's keys it carries.
 *
 *   fingerprint = SHA-256(KPAK ‖ Z), both uncompressed; shown as 16 groups of 4 upper-case hex digits
 *   domain id   = the fingerprint's first 4 bytes, as 2 groups ("0246 ABEF" in the manual's form)
 *
 * Provisional: the domain certificate (a later domains plugin) owns these values; when it
 * exists it should provide them and this module should go.
 */
import { createHash } from 'node:crypto';

/** Upper-case hex in groups of four digits separated by spaces, as the manual prints them. */
function grouped(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase().match(/.{4}/g)!.join(' ');
}

/** The domain's fingerprint and id from its public keys (uncompressed KPAK and Z). */
export function domainFingerprint(kpak: Uint8Array, Z: Uint8Array): { id: string; fingerprint: string } {
  const digest = createHash('sha256').update(kpak).update(Z).digest();
  return { id: grouped(digest.subarray(0, 4)), fingerprint: grouped(digest) };
}
