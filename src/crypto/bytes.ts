/** Byte and big-integer conversions shared by the crypto modules (big-endian throughout, as in the RFCs). */
import { CryptoError } from './errors.js';

export function bytesToBigint(b: Uint8Array): bigint {
  let hex = '';
  for (const x of b) hex += x.toString(16).padStart(2, '0');
  return hex ? BigInt('0x' + hex) : 0n;
}

/** Fixed-length big-endian encoding; throws if n does not fit. */
export function bigintToBytes(n: bigint, length: number): Uint8Array {
  if (n < 0n) throw new CryptoError('E_RANGE', 'negative integer');
  const hex = n.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new CryptoError('E_RANGE', `integer does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function hexToBytes(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new CryptoError('E_ENCODING', 'not an even-length hex string');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Overwrite a secret buffer once it is no longer needed. */
export function zeroise(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}
