/**
 * MIKEY-SAKKE identities (RFC 6509 §3.2): a key period followed by a URI, each
 * terminated by a NUL byte. Periods are values ({@link Period}), never loose strings.
 *
 * Two kinds of identity are issued:
 * - users and gateways: `"YYYY-MM\0tel:+<E.164 digits>\0"` exactly as RFC 6509 §3.2;
 * - channels (Keyward's own scheme, RFC 6509 leaves group identities to the application):
 *   `"YYYY-MM\0keyward:channel:<channel id as 32 lowercase hex digits>\0"`, where the
 *   channel id is the channel's 16 random bytes. The lowercase hex form is the only
 *   accepted spelling, so one channel has exactly one identity per month.
 *
 * All identities are printable ASCII; see docs/formats.md, section "Identities".
 */
import { bytesToHex, hexToBytes } from './bytes.js';
import { CryptoError } from './errors.js';

const PERIOD_FORM = /^(\d{4})-(\d{2})$/;
/** ITU-T E.164: a "+" and at most 15 digits (RFC 6509 §3.2 uses the international form). */
const E164_FORM = /^\+\d{1,15}$/;
const TEL_SCHEME = 'tel:';
/** Keyward's URI prefix for channel identities (our scheme, documented above). */
const CHANNEL_SCHEME = 'keyward:channel:';
const CHANNEL_ID_BYTES = 16;
const CHANNEL_ID_FORM = /^[0-9a-f]{32}$/;

/** A key period: one calendar month (UTC), written "YYYY-MM" as in RFC 6509 §3.2. */
export class Period {
  private constructor(
    readonly year: number,
    /** 1–12. */
    readonly month: number,
  ) {}

  /** The period (month, in UTC) that contains `date`. */
  static of(date: Date): Period {
    if (Number.isNaN(date.getTime())) throw new CryptoError('E_IDENTITY', 'invalid date', 'period');
    return Period.from(date.getUTCFullYear(), date.getUTCMonth() + 1);
  }

  /** Build a period from a year (1–9999) and month (1–12). */
  static from(year: number, month: number): Period {
    if (!Number.isInteger(year) || year < 1 || year > 9999)
      throw new CryptoError('E_IDENTITY', `year ${year} is outside 0001–9999`, 'period');
    if (!Number.isInteger(month) || month < 1 || month > 12)
      throw new CryptoError('E_IDENTITY', `month ${month} is outside 01–12`, 'period');
    return new Period(year, month);
  }

  /** Parse "YYYY-MM" (e.g. "2026-12"); anything else is an E_IDENTITY error. */
  static parse(text: string): Period {
    const m = PERIOD_FORM.exec(text);
    if (!m) throw new CryptoError('E_IDENTITY', `"${text}" is not in the form YYYY-MM`, 'period');
    return Period.from(Number(m[1]), Number(m[2]));
  }

  /** Orders periods chronologically: negative if a is earlier, 0 if equal, positive if later. */
  static compare(a: Period, b: Period): number {
    return a.year * 12 + a.month - (b.year * 12 + b.month);
  }

  /** The month after this one. */
  next(): Period {
    return this.month === 12 ? Period.from(this.year + 1, 1) : Period.from(this.year, this.month + 1);
  }

  /** The month before this one. */
  previous(): Period {
    return this.month === 1 ? Period.from(this.year - 1, 12) : Period.from(this.year, this.month - 1);
  }

  /** Negative if this period is earlier than `other`, 0 if the same month, positive if later. */
  compare(other: Period): number {
    return Period.compare(this, other);
  }

  equals(other: Period): boolean {
    return Period.compare(this, other) === 0;
  }

  /** "YYYY-MM", the form RFC 6509 §3.2 puts in an identity. */
  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** What an identity says, as returned by {@link parseIdentity}. */
export type ParsedIdentity =
  | { period: Period; kind: 'tel'; uri: string; /** "+" and digits */ number: string }
  | { period: Period; kind: 'channel'; uri: string; channelId: Uint8Array };

function encode(period: Period, uri: string): Uint8Array {
  return new TextEncoder().encode(`${period.toString()}\0${uri}\0`);
}

function checkE164(e164: string): void {
  if (!E164_FORM.test(e164))
    throw new CryptoError('E_IDENTITY', `"${e164}" is not "+" followed by 1–15 digits (E.164)`, 'tel number');
}

/** RFC 6509 §3.2 identity of a user or gateway: "YYYY-MM\0tel:+4670…\0". */
export function userIdentity(period: Period, e164: string): Uint8Array {
  checkE164(e164);
  return encode(period, TEL_SCHEME + e164);
}

/** Keyward channel identity: "YYYY-MM\0keyward:channel:<32 lowercase hex>\0" for a 16-byte channel id. */
export function channelIdentity(period: Period, channelId: Uint8Array): Uint8Array {
  if (channelId.length !== CHANNEL_ID_BYTES)
    throw new CryptoError('E_IDENTITY', `must be ${CHANNEL_ID_BYTES} bytes, got ${channelId.length}`, 'channel id');
  return encode(period, CHANNEL_SCHEME + bytesToHex(channelId));
}

/**
 * Parse identity bytes made by {@link userIdentity} or {@link channelIdentity}.
 * Throws CryptoError 'E_IDENTITY' naming the part that is wrong.
 */
export function parseIdentity(bytes: Uint8Array): ParsedIdentity {
  for (const b of bytes)
    if (b !== 0 && (b < 0x20 || b > 0x7e))
      throw new CryptoError('E_IDENTITY', 'contains a byte that is not printable ASCII', 'identity');
  const text = new TextDecoder().decode(bytes);
  const parts = text.split('\0');
  // "period\0uri\0" splits into [period, uri, ""].
  if (parts.length !== 3 || parts[2] !== '')
    throw new CryptoError('E_IDENTITY', 'must be "YYYY-MM", NUL, URI, NUL', 'identity');
  const period = Period.parse(parts[0]);
  const uri = parts[1];
  if (uri.startsWith(TEL_SCHEME)) {
    const number = uri.slice(TEL_SCHEME.length);
    checkE164(number);
    return { period, kind: 'tel', uri, number };
  }
  if (uri.startsWith(CHANNEL_SCHEME)) {
    const hex = uri.slice(CHANNEL_SCHEME.length);
    if (!CHANNEL_ID_FORM.test(hex))
      throw new CryptoError('E_IDENTITY', 'must be 32 lowercase hex digits', 'channel id');
    return { period, kind: 'channel', uri, channelId: hexToBytes(hex) };
  }
  throw new CryptoError('E_IDENTITY', `URI scheme is neither "${TEL_SCHEME}" nor "${CHANNEL_SCHEME}"`, 'identity');
}
