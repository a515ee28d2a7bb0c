/**
 * The QR code of a user initiation letter: everything a phone needs to join the Security
 * Domain, in one compact binary string read in QR byte mode. Specified in docs/formats.md,
 * "User initiation QR payload"; this module is its reference encoder and decoder.
 *
 *   header  "KW" (0x4B 0x57) ‖ version 0x01 ‖ protection (0x00 clear, 0x01 qr-protect.ts)
 *   body    uri, securityDomain, crsAddress, crsAccount   each: length (1 byte, 1–255) ‖ UTF-8
 *           period        year (2 bytes) ‖ month (1 byte)
 *           tlsCredential 32 · updateKey 16 · SSK 32
 *           PVT 33 · RSK 129 · KPAK 33 · Z 129            points compressed (SEC 1 §2.3.3)
 *
 * Clear: header ‖ body. Protected: header ‖ protect(header, body, QR code key).
 * Decoding is strict: every length, prefix, string and point is checked and a failure names
 * the field; trailing bytes are refused.
 */
import {
  CryptoError,
  Period,
  SAKKE_COMPRESSED_POINT_BYTES,
  SAKKE_POINT_BYTES,
  decodeEccsiPoint,
  decodeSakkePoint,
  encodeSakkePoint,
  userIdentity,
  zeroise,
} from '../../src/crypto/index.js';
import { QrPayloadError } from './errors.js';
import { protect, unprotect } from './qr-protect.js';
import { TLS_CREDENTIAL_BYTES } from './tls-credential.js';

/** "KW": tells a reader this is a Keyward code before it looks further. */
export const QR_MAGIC = Uint8Array.of(0x4b, 0x57);
/** Format version; a reader refuses versions it does not know. */
export const QR_VERSION = 1;
export const QR_CLEAR = 0x00;
export const QR_PROTECTED = 0x01;
const HEADER_BYTES = 4;

/** The per-user key protecting monthly update entries (users plugin: 128 bits). */
export const UPDATE_KEY_BYTES = 16;
/** ECCSI SSK: N = 32 octets (RFC 6507 §4.1, P-256). */
const SSK_BYTES = 32;
/** P-256 coordinate size (RFC 6507 §4.1: N = 32). */
const P256_COORD_BYTES = 32;
/** SAKKE coordinate size (RFC 6509 Appendix A: 1024-bit p). */
const SAKKE_COORD_BYTES = (SAKKE_POINT_BYTES - 1) / 2;
const MAX_STRING_BYTES = 255;

/** What the QR code of a user initiation letter carries. Points are uncompressed here. */
export interface UserQrPayload {
  /** `tel:+<E.164>`. */
  uri: string;
  securityDomain: string;
  crs: { address: string; account: string };
  /** The month of the keys, `YYYY-MM`. */
  period: string;
  /** {@link tlsCredential} of the URI, 32 bytes. */
  tlsCredential: Uint8Array;
  /** 16 bytes. */
  updateKey: Uint8Array;
  /** ECCSI SSK, 32 bytes. */
  ssk: Uint8Array;
  /** ECCSI PVT, 65 bytes. */
  pvt: Uint8Array;
  /** SAKKE RSK, 257 bytes. */
  rsk: Uint8Array;
  /** ECCSI KPAK, 65 bytes. */
  kpak: Uint8Array;
  /** SAKKE KMS public key Z, 257 bytes. */
  Z: Uint8Array;
}

/** A decoded payload: the fields, the RFC 6509 identity they belong to and whether it was protected. */
export interface DecodedUserQr extends UserQrPayload {
  identity: Uint8Array;
  protected: boolean;
}

/**
 * Encode a payload. With `qrKey` (16 bytes) the body is encrypted and authenticated
 * (qr-protect.ts); `iv` fixes the IV for reproducible test fixtures only.
 */
export function encodeUserQr(p: UserQrPayload, opts: { qrKey?: Uint8Array; iv?: Uint8Array } = {}): Uint8Array {
  const period = parsePeriod(p.period);
  guard('uri', () => userIdentity(period, e164Of(p.uri))); // refuses a URI the phone could not use
  const w = new Writer();
  w.string(p.uri, 'uri');
  w.string(p.securityDomain, 'securityDomain');
  w.string(p.crs.address, 'crsAddress');
  w.string(p.crs.account, 'crsAccount');
  w.u16(period.year);
  w.u8(period.month);
  w.fixed(p.tlsCredential, TLS_CREDENTIAL_BYTES, 'tlsCredential');
  w.fixed(p.updateKey, UPDATE_KEY_BYTES, 'updateKey');
  w.fixed(p.ssk, SSK_BYTES, 'ssk');
  w.fixed(compress(p.pvt, P256_COORD_BYTES, 'pvt'), P256_COORD_BYTES + 1, 'pvt');
  w.fixed(compress(p.rsk, SAKKE_COORD_BYTES, 'rsk'), SAKKE_COMPRESSED_POINT_BYTES, 'rsk');
  w.fixed(compress(p.kpak, P256_COORD_BYTES, 'kpak'), P256_COORD_BYTES + 1, 'kpak');
  w.fixed(compress(p.Z, SAKKE_COORD_BYTES, 'Z'), SAKKE_COMPRESSED_POINT_BYTES, 'Z');
  const body = w.bytes();
  const header = Uint8Array.of(...QR_MAGIC, QR_VERSION, opts.qrKey ? QR_PROTECTED : QR_CLEAR);
  if (!opts.qrKey) return concat(header, body);
  try {
    return concat(header, protect(header, body, opts.qrKey, opts.iv));
  } finally {
    zeroise(body);
  }
}

/** Whether a payload is protected (checks the header only). */
export function isProtectedQr(bytes: Uint8Array): boolean {
  return readHeader(bytes) === QR_PROTECTED;
}

/**
 * Decode and check a payload. A protected one needs its `qrKey`.
 * @throws QrPayloadError `E_QR_FORMAT` (names the field), `E_QR_KEY_NEEDED`, `E_QR_KEY` (wrong key).
 */
export function decodeUserQr(bytes: Uint8Array, opts: { qrKey?: Uint8Array } = {}): DecodedUserQr {
  const protection = readHeader(bytes);
  let body = bytes.subarray(HEADER_BYTES);
  if (protection === QR_PROTECTED) {
    if (!opts.qrKey) throw new QrPayloadError('E_QR_KEY_NEEDED', 'this QR code is protected: give its QR code key (User Details)', 'qrCodeKey');
    body = unprotect(bytes.subarray(0, HEADER_BYTES), body, opts.qrKey);
  }
  try {
    return { ...readBody(new Reader(body)), protected: protection === QR_PROTECTED };
  } finally {
    if (protection === QR_PROTECTED) zeroise(body);
  }
}

function readHeader(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES) throw new QrPayloadError('E_QR_FORMAT', `${bytes.length} bytes is too short for a header`, 'header');
  if (bytes[0] !== QR_MAGIC[0] || bytes[1] !== QR_MAGIC[1]) throw new QrPayloadError('E_QR_FORMAT', 'not a Keyward QR code (no "KW" magic)', 'magic');
  if (bytes[2] !== QR_VERSION) throw new QrPayloadError('E_QR_FORMAT', `version ${bytes[2]} is not supported (this reader knows ${QR_VERSION})`, 'version');
  const protection = bytes[3]!;
  if (protection !== QR_CLEAR && protection !== QR_PROTECTED) {
    throw new QrPayloadError('E_QR_FORMAT', `unknown protection 0x${protection.toString(16).padStart(2, '0')}`, 'protection');
  }
  return protection;
}

function readBody(r: Reader): Omit<DecodedUserQr, 'protected'> {
  const uri = r.string('uri');
  const securityDomain = r.string('securityDomain');
  const address = r.string('crsAddress');
  const account = r.string('crsAccount');
  const year = r.u16('period');
  const month = r.u8('period');
  const period = guard('period', () => Period.from(year, month));
  const identity = guard('uri', () => userIdentity(period, e164Of(uri)));
  const tlsCredential = r.take(TLS_CREDENTIAL_BYTES, 'tlsCredential').slice();
  const updateKey = r.take(UPDATE_KEY_BYTES, 'updateKey').slice();
  const ssk = r.take(SSK_BYTES, 'ssk').slice();
  const pvt = p256Point(r.take(P256_COORD_BYTES + 1, 'pvt'), 'pvt');
  const rsk = sakkePoint(r.take(SAKKE_COMPRESSED_POINT_BYTES, 'rsk'), 'rsk');
  const kpak = p256Point(r.take(P256_COORD_BYTES + 1, 'kpak'), 'kpak');
  const Z = sakkePoint(r.take(SAKKE_COMPRESSED_POINT_BYTES, 'Z'), 'Z');
  r.end();
  return { uri, securityDomain, crs: { address, account }, period: period.toString(), tlsCredential, updateKey, ssk, pvt, rsk, kpak, Z, identity };
}

function parsePeriod(text: string): Period {
  return guard('period', () => Period.parse(text));
}

function e164Of(uri: string): string {
  if (!uri.startsWith('tel:')) throw new QrPayloadError('E_QR_FORMAT', 'must be a tel: URI (tel:+<E.164>)', 'uri');
  return uri.slice('tel:'.length);
}

/** Run a crypto parse; its CryptoError becomes a QrPayloadError naming `field`. */
function guard<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    const why = err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
    throw new QrPayloadError('E_QR_FORMAT', why, field);
  }
}

/** A compressed P-256 point, fully checked, returned uncompressed. */
function p256Point(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) throw new QrPayloadError('E_QR_FORMAT', 'must be a compressed point (0x02 or 0x03)', field);
  return guard(field, () => decodeEccsiPoint(bytes, field).bytes);
}

/** A compressed SAKKE point, checked on the curve and of order q, returned uncompressed. */
function sakkePoint(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) throw new QrPayloadError('E_QR_FORMAT', 'must be a compressed point (0x02 or 0x03)', field);
  return guard(field, () => encodeSakkePoint(decodeSakkePoint(bytes, field)));
}

/**
 * SEC 1 §2.3.3 compression of an uncompressed point we issued ourselves: x with the parity of y
 * in the prefix. No curve arithmetic: the decoder does the checking.
 */
function compress(point: Uint8Array, coordBytes: number, field: string): Uint8Array {
  if (!(point instanceof Uint8Array) || point.length !== 1 + 2 * coordBytes || point[0] !== 0x04) {
    throw new QrPayloadError('E_QR_FORMAT', `must be an uncompressed point of ${1 + 2 * coordBytes} bytes`, field);
  }
  const out = point.slice(0, 1 + coordBytes);
  out[0] = 0x02 | (point[point.length - 1]! & 1);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

class Writer {
  private readonly parts: Uint8Array[] = [];

  u8(v: number): void {
    this.parts.push(Uint8Array.of(v));
  }

  u16(v: number): void {
    this.parts.push(Uint8Array.of(v >> 8, v & 0xff));
  }

  string(s: string, field: string): void {
    const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(0);
    if (bytes.length < 1 || bytes.length > MAX_STRING_BYTES) {
      throw new QrPayloadError('E_QR_FORMAT', `must be 1–${MAX_STRING_BYTES} bytes of UTF-8, got ${bytes.length}`, field);
    }
    this.u8(bytes.length);
    this.parts.push(bytes);
  }

  fixed(bytes: Uint8Array, length: number, field: string): void {
    if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
      throw new QrPayloadError('E_QR_FORMAT', `must be ${length} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`, field);
    }
    this.parts.push(bytes);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

class Reader {
  private offset = 0;
  private static readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly data: Uint8Array) {}

  take(n: number, field: string): Uint8Array {
    if (this.offset + n > this.data.length) {
      throw new QrPayloadError('E_QR_FORMAT', `needs ${n} bytes at offset ${this.offset}, only ${this.data.length - this.offset} left`, field);
    }
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u8(field: string): number {
    return this.take(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  string(field: string): string {
    const length = this.u8(field);
    if (length === 0) throw new QrPayloadError('E_QR_FORMAT', 'is empty', field);
    const bytes = this.take(length, field);
    try {
      return Reader.utf8.decode(bytes);
    } catch {
      throw new QrPayloadError('E_QR_FORMAT', 'is not valid UTF-8', field);
    }
  }

  end(): void {
    const left = this.data.length - this.offset;
    if (left) throw new QrPayloadError('E_QR_FORMAT', `${left} unexpected byte(s) after the last field`, 'end');
  }
}
