/**
 * Points of E: y² = x³ − 3x over F_p (RFC 6508 §2.1, parameter set 1 of RFC 6509): group law,
 * variable-base scalar multiplication, and the checked encodings every point from outside goes
 * through. Multiples of the base point P go through sakke-fixed-base.ts.
 *
 * Variable-base multiplication runs on the F_p kernel (sakke-straus.ts); the bigint Jacobian
 * code here (x = X/Z², y = Y/Z³, one inversion at the end) is the general law for the kernel's
 * exceptional cases and for single additions. Its intermediate values drift into (−p, p):
 * `%` of a signed bigint keeps the sign, which is harmless for further products, so no
 * normalisation is paid until output.
 */
import { bigintToBytes, bytesToBigint } from './bytes.js';
import { CryptoError } from './errors.js';
import { batchInvMod, invMod, jacobi, mod } from './modular.js';
import { sqrtModP } from './sakke-fp.js';
import { straus } from './sakke-straus.js';
import { SAKKE_FP_BYTES, SAKKE_P as p, SAKKE_PX, SAKKE_PY, SAKKE_Q as q } from './params.js';

/** An affine point of E(F_p) other than the point at infinity; coordinates in [0, p). */
export interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

/** RFC 6509 Appendix A: the base point P of order q. */
export const BASE_POINT: Point = { x: SAKKE_PX, y: SAKKE_PY };

/** Uncompressed encoding 0x04 ‖ x ‖ y (SEC1 / RFC 6508 §4): 257 bytes. */
export const POINT_BYTES = 1 + 2 * SAKKE_FP_BYTES;
/** Compressed encoding 0x02|0x03 ‖ x (SEC1): 129 bytes. */
export const COMPRESSED_POINT_BYTES = 1 + SAKKE_FP_BYTES;

/** Mutable Jacobian point (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

/** Whether pt satisfies y² = x³ − 3x (mod p). */
export function isOnCurve(pt: Point): boolean {
  const { x, y } = pt;
  return mod(y * y - (x * x - 3n) * x, p) === 0n;
}

/** Equality of two affine points with reduced coordinates. */
export function pointEquals(a: Point, b: Point): boolean {
  return a.x === b.x && a.y === b.y;
}

/** −pt = (x, −y). */
export function negatePoint(pt: Point): Point {
  return { x: pt.x, y: pt.y === 0n ? 0n : p - pt.y };
}

/** [2]A in place (dbl-2001-b, a = −3); the point at infinity stays as it is. */
function jDouble(A: Jacobian): void {
  const { X, Y, Z } = A;
  if (Z === 0n) return;
  const delta = (Z * Z) % p;
  const gamma = (Y * Y) % p;
  const beta = (X * gamma) % p;
  const t = ((X - delta) * (X + delta)) % p;
  const alpha = t + t + t;
  const X3 = (alpha * alpha - (beta << 3n)) % p;
  A.Z = ((Y * Z) << 1n) % p;
  A.Y = (alpha * ((beta << 2n) - X3) - ((gamma * gamma) << 3n)) % p;
  A.X = X3;
}

/**
 * A + (x2, y2) in place, the second point affine (madd-2007-bl); when A is O or ±(x2, y2) the
 * general law (copy, doubling or O) applies instead.
 */
function jAddAffine(A: Jacobian, x2: bigint, y2: bigint): void {
  const { X, Y, Z } = A;
  if (Z === 0n) {
    A.X = x2;
    A.Y = y2;
    A.Z = 1n;
    return;
  }
  const Z1Z1 = (Z * Z) % p;
  const U2 = (x2 * Z1Z1) % p;
  const S2 = (y2 * ((Z * Z1Z1) % p)) % p;
  const H = U2 - X;
  const r = (S2 - Y) << 1n;
  // U2 and X lie in (−p, p), so H ≡ 0 only as −p, 0 or p.
  if (H === 0n || H === p || H === -p) {
    if (r % p === 0n) jDouble(A);
    else A.Z = 0n;
    return;
  }
  const I = ((H * H) % p) << 2n;
  const J = (H * I) % p;
  const V = (X * I) % p;
  const X3 = (r * r - J - (V << 1n)) % p;
  A.Y = (r * (V - X3) - ((Y * J) << 1n)) % p;
  A.Z = ((Z * H) << 1n) % p;
  A.X = X3;
}

/** Affine form of A, or null for the point at infinity. */
function toAffine(A: Jacobian): Point | null {
  if (A.Z === 0n) return null;
  const zi = invMod(A.Z, p);
  const zi2 = (zi * zi) % p;
  return { x: mod(A.X * zi2, p), y: mod(A.Y * zi2 * zi, p) };
}

/** Affine forms of many Jacobian points (null for O) with one shared inversion. */
function batchToAffine(points: readonly Jacobian[]): (Point | null)[] {
  const finite = points.filter((P) => P.Z !== 0n);
  const inv = batchInvMod(
    finite.map((P) => P.Z),
    p,
  );
  let j = 0;
  return points.map((P) => {
    if (P.Z === 0n) return null;
    const zi = inv[j++]!;
    const zi2 = (zi * zi) % p;
    return { x: mod(P.X * zi2, p), y: mod(P.Y * zi2 * zi, p) };
  });
}

/** a + b on affine points (null = infinity). For occasional use; loops use Jacobian. */
export function addPoints(a: Point | null, b: Point | null): Point | null {
  if (a === null) return b;
  if (b === null) return a;
  const A: Jacobian = { X: a.x, Y: a.y, Z: 1n };
  jAddAffine(A, b.x, b.y);
  return toAffine(A);
}

/** Width-w non-adjacent form of k ≥ 0, least significant digit first. */
function wnaf(k: bigint, w: number): Int32Array {
  const digits: number[] = [];
  const full = 1 << w;
  const half = full >> 1;
  const mask = BigInt(full - 1);
  while (k > 0n) {
    let d = 0;
    if (k & 1n) {
      d = Number(k & mask);
      if (d >= half) d -= full;
      k -= BigInt(d);
    }
    digits.push(d);
    k >>= 1n;
  }
  return Int32Array.from(digits);
}

/**
 * [k]pt for any k ≥ 0 (not reduced mod q, so [q]pt tests subgroup membership); null is the
 * point at infinity (Straus with one term).
 */
export function multiplyPoint(pt: Point, k: bigint): Point | null {
  return multiplyPoints([pt], [k]);
}

/**
 * Σ [k_i]pts_i for scalars k_i ≥ 0 (not reduced mod q); null for O. Straus's method: one chain
 * of doublings shared by all terms, width-w NAF digits (w = 5 for full-size scalars, 4 for
 * short ones, where fewer precomputed multiples pay off), and the odd multiples of every point
 * made affine with shared inversions so that each digit costs one mixed addition. It runs on
 * the F_p kernel (sakke-straus.ts); when that meets an exceptional case (a point of small
 * order, a sum meeting ±itself, or O), the general law below computes the sum in bigint.
 */
export function multiplyPoints(pts: readonly Point[], ks: readonly bigint[]): Point | null {
  if (pts.length !== ks.length) throw new RangeError('multiplyPoints: one scalar per point');
  if (ks.some((k) => k < 0n)) throw new RangeError('negative scalar');
  const window = ks.some((k) => k >> 128n) ? 5 : 4;
  const digits = ks.map((k) => wnaf(k, window));
  const terms = digits.flatMap((d, i) => (d.length ? [i] : []));
  if (terms.length === 0) return null;
  const fast = straus(
    terms.map((i) => pts[i]!),
    terms.map((i) => digits[i]!),
    window,
  );
  return fast ?? multiplyPointsExact(pts, digits, window);
}

/** {@link multiplyPoints} by the general law in bigint, for the exceptional cases. */
function multiplyPointsExact(pts: readonly Point[], digits: readonly Int32Array[], window: number): Point | null {
  const oddCount = 1 << (window - 2);
  const doubles = batchToAffine(
    pts.map((pt) => {
      const D: Jacobian = { X: pt.x, Y: pt.y, Z: 1n };
      jDouble(D);
      return D;
    }),
  );
  const odd: Jacobian[] = [];
  pts.forEach((pt, i) => {
    const d = doubles[i];
    let C: Jacobian = { X: pt.x, Y: pt.y, Z: 1n };
    odd.push(C);
    for (let j = 1; j < oddCount; j++) {
      C = { ...C };
      // For (0,0), of order 2, 2pt = O and every odd multiple is pt itself.
      if (d) jAddAffine(C, d.x, d.y);
      odd.push(C);
    }
  });
  // Odd multiples of points of order 2, 4, q, 2q or 4q (all E(F_p) has) are never O.
  const table = batchToAffine(odd) as Point[];
  const A: Jacobian = { X: 1n, Y: 1n, Z: 0n };
  for (let i = Math.max(0, ...digits.map((d) => d.length)) - 1; i >= 0; i--) {
    jDouble(A);
    for (let j = 0; j < digits.length; j++) {
      const di = digits[j]![i];
      if (di) {
        const T = table[j * oddCount + ((Math.abs(di) - 1) >> 1)]!;
        jAddAffine(A, T.x, di > 0 ? T.y : -T.y);
      }
    }
  }
  return toAffine(A);
}

/**
 * Whether pt lies in the subgroup of order q generated by P, i.e. [q]pt = O, tested without the
 * 1022-bit multiplication. E(F_p) is cyclic of order p + 1 = 4q (its only rational 2-torsion
 * point is (0,0), because 3 is not a square mod p), so the subgroup is 4E(F_p). By 2-descent a
 * point R ≠ (0,0) lies in 2E(F_p) exactly when x_R is a square; then its two rational halves S
 * have x_S = (t ± √(t² + 12))/2 with t = 2x_R ± 2√(x_R² − 3), from x(2S) = (x_S² + 3)²/(4y_S²),
 * and R lies in 4E(F_p) exactly when x_S is a square. Two square roots and three Jacobi symbols
 * cost about a third of [q]R; the tests check the answer against [q]R.
 */
export function isInSubgroup(pt: Point): boolean {
  const { x, y } = pt;
  if (y === 0n || jacobi(x, p) !== 1) return false; // order 2, or not in 2E(F_p)
  const d = sqrtModP(x * x - 3n);
  if (d === undefined) return false; // cannot happen for R in 2E(F_p); refuse rather than assume
  let t = mod(2n * (x + d), p);
  if (jacobi(t * t + 12n, p) !== 1) t = mod(2n * (x - d), p);
  const root = sqrtModP(t * t + 12n);
  if (root === undefined) return false;
  const half = ((t + root) * ((p + 1n) / 2n)) % p;
  return jacobi(half, p) === 1;
}

/** Encodes pt as 0x04 ‖ x ‖ y (257 bytes) or, compressed, 0x02|0x03 ‖ x (129 bytes; 0x03 = odd y). */
export function encodePoint(pt: Point, compressed = false): Uint8Array {
  const x = bigintToBytes(pt.x, SAKKE_FP_BYTES);
  if (compressed) {
    const out = new Uint8Array(COMPRESSED_POINT_BYTES);
    out[0] = pt.y & 1n ? 0x03 : 0x02;
    out.set(x, 1);
    return out;
  }
  const out = new Uint8Array(POINT_BYTES);
  out[0] = 0x04;
  out.set(x, 1);
  out.set(bigintToBytes(pt.y, SAKKE_FP_BYTES), 1 + SAKKE_FP_BYTES);
  return out;
}

/** Options of {@link decodePoint}. */
export interface DecodeOptions {
  /**
   * Skip the [q]·pt = O test. Only for callers that prove membership another way, e.g. by
   * comparing the point with one they computed in the subgroup.
   */
  skipSubgroupCheck?: boolean;
}

function coordinate(bytes: Uint8Array, offset: number, name: string, field: string): bigint {
  const v = bytesToBigint(bytes.subarray(offset, offset + SAKKE_FP_BYTES));
  if (v >= p) throw new CryptoError('E_RANGE', `${name} coordinate is not below p`, field);
  return v;
}

/**
 * Parses a point of E(F_p) from outside, uncompressed (0x04 ‖ x ‖ y, 257 bytes) or compressed
 * (0x02|0x03 ‖ x, 129 bytes), and checks length, prefix, coordinate range, the curve equation,
 * that it is not the point at infinity, and that it has order q.
 * @param field named in every error, e.g. "RSK" or "Z".
 * @throws CryptoError E_LENGTH, E_ENCODING, E_RANGE, E_NOT_ON_CURVE, E_INFINITY, E_NOT_IN_SUBGROUP
 */
export function decodePoint(bytes: Uint8Array, field: string, opts: DecodeOptions = {}): Point {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('E_ENCODING', 'point must be bytes', field);
  if (bytes.length === 0) throw new CryptoError('E_LENGTH', 'empty point encoding', field);
  const prefix = bytes[0]!;
  let pt: Point;
  if (prefix === 0x04) {
    if (bytes.length !== POINT_BYTES)
      throw new CryptoError('E_LENGTH', `uncompressed point must be ${POINT_BYTES} bytes, got ${bytes.length}`, field);
    pt = { x: coordinate(bytes, 1, 'x', field), y: coordinate(bytes, 1 + SAKKE_FP_BYTES, 'y', field) };
    if (!isOnCurve(pt)) throw new CryptoError('E_NOT_ON_CURVE', 'point is not on the SAKKE curve', field);
  } else if (prefix === 0x02 || prefix === 0x03) {
    if (bytes.length !== COMPRESSED_POINT_BYTES)
      throw new CryptoError(
        'E_LENGTH',
        `compressed point must be ${COMPRESSED_POINT_BYTES} bytes, got ${bytes.length}`,
        field,
      );
    const x = coordinate(bytes, 1, 'x', field);
    const y = sqrtModP((x * x - 3n) * x);
    if (y === undefined) throw new CryptoError('E_NOT_ON_CURVE', 'no point of the SAKKE curve has this x', field);
    pt = { x, y: (y & 1n) === BigInt(prefix & 1) ? y : mod(-y, p) };
  } else if (prefix === 0x00 && bytes.length === 1) {
    throw new CryptoError('E_INFINITY', 'the point at infinity is not allowed here', field);
  } else {
    throw new CryptoError('E_ENCODING', `unknown point prefix 0x${prefix.toString(16).padStart(2, '0')}`, field);
  }
  if (!opts.skipSubgroupCheck && !isInSubgroup(pt))
    throw new CryptoError('E_NOT_IN_SUBGROUP', 'point is not in the subgroup of order q', field);
  return pt;
}
