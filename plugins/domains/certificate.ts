/**
 * The domain certificate: a versioned, canonical binary encoding of a Security Domain's public
 * credentials (docs/formats.md, "Domain certificate"). One byte string has one meaning and one
 * meaning one byte string, so its SHA-256 is the domain's fingerprint.
 *
 *   off  len  field
 *   0    4    magic "KWDC"
 *   4    1    version = 1
 *   5    1    parameter set = 1 (ECCSI on P-256 with SHA-256, RFC 6507 §4.1; SAKKE set 1, RFC 6509 App. A)
 *   6    8    created, seconds since 1970-01-01T00:00:00Z, unsigned big-endian
 *   14   1    L = length of the name in UTF-8 bytes (1..255)
 *   15   L    Security Domain name, UTF-8, Unicode NFC
 *   15+L 65   KPAK, uncompressed 0x04‖x‖y (RFC 6507 §4.2)
 *   80+L 257  Z, uncompressed 0x04‖x‖y (RFC 6508 §2.2)
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, SAKKE_POINT_BYTES, decodeEccsiPoint, decodeSakkePoint } from '../../src/crypto/index.js';
import { CommandError } from '../../src/kernel/index.js';

export const CERTIFICATE_MAGIC = Uint8Array.of(0x4b, 0x57, 0x44, 0x43); // "KWDC"
export const CERTIFICATE_VERSION = 1;
/** ECCSI P-256/SHA-256 (RFC 6507 §4.1) with SAKKE parameter set 1 (RFC 6509 Appendix A). */
export const PARAMETER_SET = 1;
/** Bytes before the name: magic, version, parameter set, created, name length. */
export const HEADER_BYTES = 15;
/** An uncompressed P-256 point, 0x04‖x‖y with 32-byte coordinates (RFC 6507 §3.3). */
const ECCSI_POINT_BYTES = 65;
export const NAME_MAX_BYTES = 255;

/** A domain's public credentials as the certificate carries them. */
export interface DomainCertificate {
  securityDomain: string;
  kpak: Uint8Array;
  Z: Uint8Array;
  /** Whole seconds (the encoding keeps no milliseconds). */
  created: Date;
}

/** Fingerprint and short Id of a certificate, as the manual prints them. */
export interface CertificateDigest {
  /** SHA-256 of the encoding, 16 groups of 4 upper-case hex digits. */
  fingerprint: string;
  /** The fingerprint's first 4 bytes, 2 groups of 4 (`0246 ABEF`). */
  id: string;
}

const invalid = (message: string, field: string, details: Record<string, string | number> = {}) =>
  new CommandError('E_INVALID_CERTIFICATE', `Not a valid domain certificate: ${field}: ${message}`, { field, ...details });

/** The byte length of a certificate whose name takes `nameBytes` UTF-8 bytes. */
export function certificateLength(nameBytes: number): number {
  return HEADER_BYTES + nameBytes + ECCSI_POINT_BYTES + SAKKE_POINT_BYTES;
}

/** The name as the certificate holds it: NFC, trimmed, no control characters, 1..255 UTF-8 bytes. */
function checkName(name: string): Uint8Array {
  if (!name || name !== name.trim() || name !== name.normalize('NFC') || /\p{Cc}/u.test(name)) {
    throw invalid('must be a non-empty, trimmed NFC text without control characters', 'securityDomain');
  }
  const bytes = new TextEncoder().encode(name);
  if (bytes.length > NAME_MAX_BYTES) throw invalid(`must be at most ${NAME_MAX_BYTES} UTF-8 bytes`, 'securityDomain');
  return bytes;
}

/** Encode public credentials (points must be uncompressed). */
export function encodeCertificate(cert: DomainCertificate): Uint8Array {
  const name = checkName(cert.securityDomain);
  const seconds = Math.floor(cert.created.getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw invalid('must be a date after 1970', 'created');
  if (cert.kpak.length !== ECCSI_POINT_BYTES || cert.kpak[0] !== 0x04) throw invalid('must be an uncompressed P-256 point', 'KPAK');
  if (cert.Z.length !== SAKKE_POINT_BYTES || cert.Z[0] !== 0x04) throw invalid('must be an uncompressed SAKKE point', 'Z');
  const out = new Uint8Array(certificateLength(name.length));
  const view = new DataView(out.buffer);
  out.set(CERTIFICATE_MAGIC, 0);
  out[4] = CERTIFICATE_VERSION;
  out[5] = PARAMETER_SET;
  view.setBigUint64(6, BigInt(seconds));
  out[14] = name.length;
  out.set(name, HEADER_BYTES);
  out.set(cert.kpak, HEADER_BYTES + name.length);
  out.set(cert.Z, HEADER_BYTES + name.length + ECCSI_POINT_BYTES);
  return out;
}

/**
 * The total length announced by a certificate's first {@link HEADER_BYTES} bytes, after checking
 * magic, version and parameter set (so typed rows can say at once how many rows follow).
 */
export function announcedLength(head: Uint8Array): number {
  if (head.length < HEADER_BYTES) throw invalid(`must be at least ${HEADER_BYTES} bytes`, 'header');
  if (!CERTIFICATE_MAGIC.every((b, i) => head[i] === b)) throw invalid('does not start with "KWDC"', 'magic');
  if (head[4] !== CERTIFICATE_VERSION) throw invalid(`version ${head[4]} is not known (this Keyward reads version ${CERTIFICATE_VERSION})`, 'version');
  if (head[5] !== PARAMETER_SET) throw invalid(`parameter set ${head[5]} is not supported (only ${PARAMETER_SET})`, 'parameterSet');
  if (head[14] === 0) throw invalid('the name is empty', 'securityDomain');
  return certificateLength(head[14]!);
}

/**
 * Decode and check a certificate: structure, canonical name, KPAK on P-256, Z on the SAKKE curve
 * and of order q. Throws `E_INVALID_CERTIFICATE` naming the field.
 * @param opts.stored skip the point checks for a certificate checked when it was added (the
 *   order-q test of Z is a 1024-bit scalar multiplication).
 */
export function decodeCertificate(bytes: Uint8Array, opts: { stored?: boolean } = {}): DomainCertificate {
  const length = announcedLength(bytes);
  if (bytes.length !== length) throw invalid(`is ${bytes.length} bytes, the header announces ${length}`, 'length');
  const nameLength = bytes[14]!;
  let securityDomain: string;
  try {
    securityDomain = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + nameLength));
  } catch {
    throw invalid('is not UTF-8', 'securityDomain');
  }
  checkName(securityDomain);
  const seconds = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(6);
  if (seconds > BigInt(Number.MAX_SAFE_INTEGER) / 1000n) throw invalid('is out of range', 'created');
  const kpak = bytes.slice(HEADER_BYTES + nameLength, HEADER_BYTES + nameLength + ECCSI_POINT_BYTES);
  const Z = bytes.slice(HEADER_BYTES + nameLength + ECCSI_POINT_BYTES);
  for (const [field, point] of opts.stored ? [] : ([['KPAK', kpak], ['Z', Z]] as const)) {
    if (point[0] !== 0x04) throw invalid('must be an uncompressed point (0x04‖x‖y)', field);
    try {
      if (field === 'KPAK') decodeEccsiPoint(point, field);
      else decodeSakkePoint(point, field);
    } catch (err) {
      if (err instanceof CryptoError) throw invalid(err.message.replace(`${field}: `, ''), field, { reason: err.code });
      throw err;
    }
  }
  return { securityDomain, kpak, Z, created: new Date(Number(seconds) * 1000) };
}

/** Upper-case hex in groups of four digits. */
export function groupedHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase().match(/.{4}/g)!.join(' ');
}

/** Fingerprint (SHA-256 of the encoding) and Id (its first 4 bytes) of a certificate. */
export function certificateDigest(bytes: Uint8Array): CertificateDigest {
  const digest = sha256(bytes);
  return { fingerprint: groupedHex(digest), id: groupedHex(digest.subarray(0, 4)) };
}
