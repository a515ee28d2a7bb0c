/**
 * NIST P-256 for ECCSI (RFC 6507 §4.1 names P-256 with SHA-256): strict decoding of points
 * and scalars from outside, and the scalar multiplications ECCSI needs.
 *
 * Multiplications with a secret or fresh random scalar go to node:crypto's ECDH (OpenSSL,
 * constant-time and about 20x faster than pure JS); public-scalar arithmetic on points uses
 * @noble/curves. OpenSSL only hands out the x-coordinate of [k]P for an arbitrary P, which
 * {@link isMultiple} turns into an exact point comparison.
 */
import { createECDH } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { bigintToBytes, bytesToBigint, zeroise } from './bytes.js';
import { CryptoError } from './errors.js';

export const Point = p256.Point;
export type P256Point = InstanceType<typeof Point>;

/** Order q of G (FIPS 186-4 D.1.2.3, used by RFC 6507 §4.1). */
export const q = Point.Fn.ORDER;
/** Field prime p of P-256 (FIPS 186-4 D.1.2.3). */
export const p = Point.Fp.ORDER;
/** N = Ceiling(n/8) with n = 256: octets in a scalar or coordinate (RFC 6507 §2.1). */
export const N = 32;
/** Uncompressed point length 2N+1 (RFC 6507 §3.3: 0x04 || x || y). */
export const POINT_BYTES = 2 * N + 1;
/** G as the uncompressed octet string hashed into HS (RFC 6507 §5.1.1 step 3). */
export const G_BYTES: Uint8Array = Point.BASE.toBytes(false);

const CURVE = 'prime256v1';

/** A decoded point: the curve point and its uncompressed encoding (what RFC 6507 hashes). */
export interface DecodedPoint {
  point: P256Point;
  bytes: Uint8Array;
}

/**
 * Decode a P-256 point given in uncompressed (0x04||x||y) or compressed (0x02/0x03||x) form.
 * Checks length, prefix, coordinate range, curve equation and not-infinity; errors name `field`.
 * Every point on P-256 has prime order q (cofactor 1), so on-curve also means in-subgroup.
 */
export function decodePoint(bytes: Uint8Array, field: string): DecodedPoint {
  if (bytes.length === 1 && bytes[0] === 0) throw new CryptoError('E_INFINITY', 'the point at infinity', field);
  const prefix = bytes[0];
  const wanted = prefix === 0x04 ? POINT_BYTES : prefix === 0x02 || prefix === 0x03 ? N + 1 : undefined;
  if (bytes.length === 0) throw new CryptoError('E_LENGTH', 'empty', field);
  if (wanted === undefined)
    throw new CryptoError('E_ENCODING', `unknown point prefix 0x${prefix.toString(16).padStart(2, '0')}`, field);
  if (bytes.length !== wanted)
    throw new CryptoError('E_LENGTH', `point with prefix 0x0${prefix} must be ${wanted} bytes, got ${bytes.length}`, field);
  const x = bytesToBigint(bytes.subarray(1, N + 1));
  if (x >= p) throw new CryptoError('E_RANGE', 'x-coordinate is not below p', field);
  const Fp = Point.Fp;
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), Fp.add(Fp.mul(Point.CURVE().a, x), Point.CURVE().b));
  let y: bigint;
  if (prefix === 0x04) {
    y = bytesToBigint(bytes.subarray(N + 1));
    if (y >= p) throw new CryptoError('E_RANGE', 'y-coordinate is not below p', field);
    if (Fp.sqr(y) !== rhs) throw new CryptoError('E_NOT_ON_CURVE', 'not on P-256', field);
  } else {
    let root: bigint;
    try {
      root = Fp.sqrt(rhs);
    } catch {
      throw new CryptoError('E_NOT_ON_CURVE', 'no point on P-256 has this x-coordinate', field);
    }
    y = (root & 1n) === BigInt(prefix & 1) ? root : Fp.neg(root);
  }
  const point = Point.fromAffine({ x, y });
  return { point, bytes: prefix === 0x04 ? Uint8Array.from(bytes) : point.toBytes(false) };
}

/** Decode an N-octet big-endian scalar and check it lies in [1, q-1]; errors name `field`. */
export function decodeScalar(bytes: Uint8Array, field: string): bigint {
  if (bytes.length !== N) throw new CryptoError('E_LENGTH', `must be ${N} bytes, got ${bytes.length}`, field);
  const k = bytesToBigint(bytes);
  if (k === 0n || k >= q) throw new CryptoError('E_RANGE', 'not in [1, q-1]', field);
  return k;
}

export function modQ(k: bigint): bigint {
  const r = k % q;
  return r < 0n ? r + q : r;
}

/** Fresh uniformly random k in [1, q-1] and [k]G, both from OpenSSL. */
export function randomScalarAndPoint(): { k: Uint8Array; point: Uint8Array } {
  const ecdh = createECDH(CURVE);
  const point = new Uint8Array(ecdh.generateKeys());
  const raw = ecdh.getPrivateKey();
  const k = new Uint8Array(N);
  k.set(raw, N - raw.length);
  zeroise(raw);
  return { k, point };
}

/** [k]G, uncompressed, for a scalar already checked to be in [1, q-1]. */
export function baseMultiply(k: Uint8Array): Uint8Array {
  const ecdh = createECDH(CURVE);
  ecdh.setPrivateKey(k);
  return new Uint8Array(ecdh.getPublicKey());
}

/** x-coordinate of [k]P (P given uncompressed and valid), or null if that is infinity. */
function xOfMultiple(pBytes: Uint8Array, k: bigint): bigint | null {
  const kr = modQ(k);
  if (kr === 0n) return null;
  const ecdh = createECDH(CURVE);
  const kBytes = bigintToBytes(kr, N);
  ecdh.setPrivateKey(kBytes);
  zeroise(kBytes);
  return bytesToBigint(ecdh.computeSecret(pBytes));
}

/**
 * Exactly whether [k]P == Q, for P not infinity. OpenSSL gives only x([k]P), which fixes
 * [k]P up to sign; the second x-coordinate settles the sign: if [k]P = -Q with Q != 0 then
 * x([k+1]P) = x(P - Q) differs from x(Q + P), since P - Q = ±(P + Q) would need 2Q = 0 or
 * 2P = 0, impossible in a group of odd prime order.
 */
export function isMultiple(P: DecodedPoint, k: bigint, Q: P256Point): boolean {
  const x1 = xOfMultiple(P.bytes, k);
  if (x1 === null || Q.is0()) return x1 === null && Q.is0();
  if (!hasX(Q, x1)) return false;
  const Q1 = Q.add(P.point);
  const x2 = xOfMultiple(P.bytes, k + 1n);
  if (x2 === null || Q1.is0()) return x2 === null && Q1.is0();
  return hasX(Q1, x2);
}

/** Whether the finite projective point R (x = X/Z) has affine x-coordinate x, without an inversion. */
function hasX(R: P256Point, x: bigint): boolean {
  return Point.Fp.eql(Point.Fp.mul(x, R.Z), R.X);
}

/** [k]P for a public scalar (reduced mod q; 0 gives infinity). Not constant-time. */
export function multiplyPublic(P: P256Point, k: bigint): P256Point {
  const kr = modQ(k);
  return kr === 0n ? Point.ZERO : P.multiplyUnsafe(kr);
}
