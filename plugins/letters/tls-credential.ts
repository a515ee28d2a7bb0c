import { hkdfSync } from 'node:crypto';

/** Length of the per-user TLS credential (a TLS 1.3 external PSK, RFC 8446 §2.2, for SHA-256 suites). */
export const TLS_CREDENTIAL_BYTES = 32;
/** HKDF info string (RFC 5869 §2.3): binds the output to this use and version. */
const HKDF_INFO = 'keyward tls v1';

/**
 * The per-user TLS credential the device uses towards the CRS (manual, "CRS → Shared Secret":
 * "used to derive per user unique TLS credentials"). The CRS, which holds the same shared
 * secret, derives the same value from the URI the device presents:
 *
 *   HKDF-SHA-256(IKM = UTF-8(shared secret), salt = UTF-8(URI, e.g. "tel:+46706764287"),
 *                info = "keyward tls v1", L = 32)
 *
 * Documented in docs/formats.md, "User initiation QR payload".
 */
export function tlsCredential(crsSecret: string, uri: string): Uint8Array {
  const enc = new TextEncoder();
  return new Uint8Array(hkdfSync('sha256', enc.encode(crsSecret), enc.encode(uri), HKDF_INFO, TLS_CREDENTIAL_BYTES));
}
