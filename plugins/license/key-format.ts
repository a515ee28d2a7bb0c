/**
 * The licence key as text (docs/formats.md, "Licence key"): what the vendor signs and how it is
 * written for typing from paper. Shared by the licence plugin (verify) and the vendor tool (issue).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';

export const KEY_PREFIX = 'KWL';
export const KEY_VERSION = 1;
/** Prefixed to the payload before signing, so a vendor signature over anything else is never a licence. */
const SIGNING_CONTEXT = new TextEncoder().encode('keyward-license\0');
const FLAG_EXPIRES = 1;
const FLAG_CHECKSUM = 2;
export const CHECKSUM_BYTES = 16;
const SIGNATURE_BYTES = 64;
const SYSTEM_ID = /^[A-Za-z0-9._-]{1,64}$/;
const DAY_MS = 86_400_000;
/** Crockford's base32 (no I, L, O, U): the key is read off paper in Courier, as the domain certificate rows are. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What a licence key grants. */
export interface LicenseClaims {
  systemId: string;
  maxUsers: number;
  /** Temporary keys: the last day (UTC) the key is valid, `YYYY-MM-DD`. */
  expires?: string;
  /** Permanent keys: the installation checksum (32 hex digits) the key is bound to. */
  checksum?: string;
}

/** Why a key could not be read or does not verify; `code` is the command error code. */
export class LicenseKeyError extends Error {
  override readonly name = 'LicenseKeyError';
  constructor(
    readonly code: 'E_LICENSE_ENCODING' | 'E_LICENSE_VERSION' | 'E_LICENSE_SIGNATURE',
    message: string,
  ) {
    super(message);
  }
}

/** Checks claims before signing (the vendor tool) and after decoding (the plugin). */
export function checkClaims(c: LicenseClaims): string | undefined {
  if (!SYSTEM_ID.test(c.systemId)) return 'the System ID must be 1 to 64 letters, digits or . _ -';
  if (!Number.isInteger(c.maxUsers) || c.maxUsers < 1 || c.maxUsers > 0xffffffff) return 'the maximum number of users must be a whole number from 1';
  if (c.expires !== undefined && dayNumber(c.expires) === undefined) return `the expiry date ${c.expires} is not a date YYYY-MM-DD`;
  if (c.checksum !== undefined && !/^[0-9A-F]{32}$/.test(c.checksum)) return 'the installation checksum must be 32 hex digits';
  return undefined;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not a real date. */
function dayNumber(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return undefined;
  return ms / DAY_MS;
}

/** A checksum as typed (any case, spaces or dashes between groups) as 32 upper-case hex digits, or undefined. */
export function normaliseChecksum(text: string): string | undefined {
  const hex = text.replace(/[\s-]/g, '').toUpperCase();
  return /^[0-9A-F]{32}$/.test(hex) ? hex : undefined;
}

/** The checksum as shown: 8 groups of 4 upper-case hex digits. */
export function formatChecksum(hex: string): string {
  return hex.match(/.{4}/g)!.join('-');
}

/** When the key stops being valid: the first instant after its last day. */
export function expiryInstant(expires: string): Date {
  return new Date((dayNumber(expires)! + 1) * DAY_MS);
}

/** The signed payload (docs/formats.md, "Licence key"). */
export function encodePayload(c: LicenseClaims): Uint8Array {
  const problem = checkClaims(c);
  if (problem) throw new RangeError(problem);
  const id = new TextEncoder().encode(c.systemId);
  const out = new Uint8Array(7 + id.length + (c.expires ? 4 : 0) + (c.checksum ? CHECKSUM_BYTES : 0));
  const view = new DataView(out.buffer);
  out[0] = KEY_VERSION;
  out[1] = (c.expires ? FLAG_EXPIRES : 0) | (c.checksum ? FLAG_CHECKSUM : 0);
  view.setUint32(2, c.maxUsers);
  out[6] = id.length;
  out.set(id, 7);
  let at = 7 + id.length;
  if (c.expires) {
    view.setUint32(at, dayNumber(c.expires)!);
    at += 4;
  }
  if (c.checksum) out.set(hexToBytes(c.checksum), at);
  return out;
}

function decodePayload(p: Uint8Array): LicenseClaims {
  const bad = (why: string) => new LicenseKeyError('E_LICENSE_ENCODING', `the licence key is damaged (${why}); check it character by character`);
  if (p.length < 8) throw bad('too short');
  if (p[0] !== KEY_VERSION) {
    throw new LicenseKeyError('E_LICENSE_VERSION', `the licence key has format version ${p[0]}; this Keyward reads version ${KEY_VERSION}`);
  }
  const flags = p[1];
  if (flags & ~(FLAG_EXPIRES | FLAG_CHECKSUM)) throw bad('unknown flags');
  const view = new DataView(p.buffer, p.byteOffset, p.length);
  const idLength = p[6];
  const length = 7 + idLength + (flags & FLAG_EXPIRES ? 4 : 0) + (flags & FLAG_CHECKSUM ? CHECKSUM_BYTES : 0);
  if (p.length !== length) throw bad('wrong length');
  const claims: LicenseClaims = {
    systemId: new TextDecoder().decode(p.subarray(7, 7 + idLength)),
    maxUsers: view.getUint32(2),
  };
  let at = 7 + idLength;
  if (flags & FLAG_EXPIRES) {
    claims.expires = new Date(view.getUint32(at) * DAY_MS).toISOString().slice(0, 10);
    at += 4;
  }
  if (flags & FLAG_CHECKSUM) claims.checksum = Buffer.from(p.subarray(at, at + CHECKSUM_BYTES)).toString('hex').toUpperCase();
  if (checkClaims(claims)) throw bad(checkClaims(claims)!);
  return claims;
}

const signed = (payload: Uint8Array) => new Uint8Array([...SIGNING_CONTEXT, ...payload]);

/** The key text: `KWL-` and base32 of payload ‖ signature in groups of five. */
export function issueKey(claims: LicenseClaims, vendorSecretKey: Uint8Array): string {
  const payload = encodePayload(claims);
  const signature = ed25519.sign(signed(payload), vendorSecretKey);
  return keyText(new Uint8Array([...payload, ...signature]));
}

function keyText(bytes: Uint8Array): string {
  return `${KEY_PREFIX}-${toBase32(bytes).match(/.{1,5}/g)!.join('-')}`;
}

/** A key as typed (lower case, split over lines, I for 1…) written the way the vendor tool prints it. */
export function canonicalKey(text: string): string {
  return keyText(readKeyBytes(text));
}

/** The key's bytes as text read back; case, spaces, line breaks and dashes do not matter, I/L read as 1 and O as 0. */
function readKeyBytes(text: string): Uint8Array {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (!compact.startsWith(KEY_PREFIX)) {
    throw new LicenseKeyError('E_LICENSE_ENCODING', `a Keyward licence key starts with ${KEY_PREFIX}-; check that the whole key was entered`);
  }
  const digits = compact.slice(KEY_PREFIX.length).replace(/[IL]/g, '1').replace(/O/g, '0');
  const wrong = [...digits].findIndex((ch) => !ALPHABET.includes(ch));
  if (wrong >= 0) {
    throw new LicenseKeyError('E_LICENSE_ENCODING', `"${digits[wrong]}" (character ${wrong + 1} after ${KEY_PREFIX}-) cannot occur in a licence key`);
  }
  return fromBase32(digits);
}

/**
 * The claims of a key text if its signature verifies with the vendor's public key (32 bytes).
 * Says nothing about whether the claims fit this installation: see evaluate.ts.
 */
export function verifyKey(text: string, verifyingKey: Uint8Array): LicenseClaims {
  const bytes = readKeyBytes(text);
  if (bytes.length < SIGNATURE_BYTES + 8) {
    throw new LicenseKeyError('E_LICENSE_ENCODING', 'the licence key is too short; check that the whole key was entered');
  }
  const payload = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  const signature = bytes.subarray(bytes.length - SIGNATURE_BYTES);
  // The signature first: a changed byte anywhere should read "tampered", not some odd field error.
  let ok = false;
  try {
    ok = ed25519.verify(signature, signed(payload), verifyingKey);
  } catch {
    ok = false;
  }
  if (!ok) {
    if (payload[0] !== KEY_VERSION) decodePayload(payload); // says which version it is
    throw new LicenseKeyError(
      'E_LICENSE_SIGNATURE',
      'the licence key’s signature does not verify: it was changed, mistyped, or issued for another deployment',
    );
  }
  return decodePayload(payload);
}

function toBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function fromBase32(digits: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of digits) {
    acc = ((acc << 5) | ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  // Leftover bits are padding: more than 4 of them means a character too many.
  if (bits > 4 || (acc & ((1 << bits) - 1)) !== 0) {
    throw new LicenseKeyError('E_LICENSE_ENCODING', 'the licence key has a character too many or too few; check that the whole key was entered');
  }
  return new Uint8Array(out);
}
