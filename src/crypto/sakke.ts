/**
 * SAKKE (RFC 6508) with parameter set 1 of RFC 6509 Appendix A: KMS master keys, Receiver
 * Secret Keys, RSK validation, and SSV encapsulation / decapsulation.
 *
 * Identities are octet strings (RFC 6509 §3.2, e.g. "2011-02\0tel:+447700900123\0"); where
 * RFC 6508 uses the identity b as an integer it is that octet string read big-endian.
 */
import { randomFillSync } from 'node:crypto';
import { bigintToBytes, bytesToBigint, concatBytes, zeroise } from './bytes.js';
import { CryptoError } from './errors.js';
import { pfPow } from './fp2.js';
import { hashToIntegerRange } from './hash-to-range.js';
import { batchInvMod, mod } from './modular.js';
import { pairing } from './pairing.js';
import { SAKKE_FP_BYTES, SAKKE_G, SAKKE_N_BITS, SAKKE_Q as q, SAKKE_SSV_BYTES } from './params.js';
import {
  addPoints,
  decodePoint,
  encodePoint,
  multiplyPoint,
  multiplyPoints,
  negatePoint,
  pointEquals,
  type Point,
} from './sakke-curve.js';
import { multiplyBase, multiplyBaseMany } from './sakke-fixed-base.js';

export {
  decodePoint,
  encodePoint,
  POINT_BYTES,
  COMPRESSED_POINT_BYTES,
  type Point,
  type DecodeOptions,
} from './sakke-curve.js';

/** Bytes of the master secret z (a scalar below q, written in ⌈1024/8⌉ bytes like F_p elements). */
export const SAKKE_SECRET_BYTES = SAKKE_FP_BYTES;

const TWO_POW_N = 1n << BigInt(SAKKE_N_BITS);

/** The SAKKE KMS master key pair. */
export interface SakkeMasterKeys {
  /** KMS master secret z_T, an integer in [2, q−1], 128 bytes big-endian (RFC 6508 §2.2). */
  z: Uint8Array;
  /** KMS public key Z_T = [z_T]P, uncompressed, 257 bytes (RFC 6508 §2.2). */
  Z: Uint8Array;
}

/** Encapsulated Data of RFC 6508 §4: the point R_(b,S) and the masked SSV H. */
export interface SakkeEncapsulation {
  /** R_(b,S) = [r]([b]P + Z_S), uncompressed, 257 bytes. */
  R: Uint8Array;
  /** H = SSV XOR HashToIntegerRange(g^r, 2^n), n/8 = 16 bytes. */
  H: Uint8Array;
}

function identityInteger(identity: Uint8Array): bigint {
  if (!(identity instanceof Uint8Array) || identity.length === 0)
    throw new CryptoError('E_IDENTITY', 'identity must be a non-empty byte string', 'identity');
  return bytesToBigint(identity);
}

function masterSecret(z: Uint8Array): bigint {
  if (!(z instanceof Uint8Array) || z.length !== SAKKE_SECRET_BYTES)
    throw new CryptoError('E_LENGTH', `master secret must be ${SAKKE_SECRET_BYTES} bytes`, 'z');
  const v = bytesToBigint(z);
  if (v < 2n || v >= q) throw new CryptoError('E_RANGE', 'master secret is not in [2, q−1]', 'z');
  return v;
}

/** m = a + z mod q for each identity a, refusing the (negligible) case m = 0 where no RSK exists. */
function rskDenominators(zv: bigint, identities: readonly Uint8Array[]): bigint[] {
  return identities.map((identity) => {
    const m = mod(identityInteger(identity) + zv, q);
    if (m === 0n)
      throw new CryptoError('E_INVALID_KEY', 'a + z ≡ 0 (mod q): no RSK exists for this identity', 'identity');
    return m;
  });
}

/**
 * Generates a KMS master key pair (RFC 6508 §2.2): z uniform in [2, q−1] from the OS CSPRNG by
 * rejection sampling, Z = [z]P.
 */
export function generateSakkeMasterKeys(): SakkeMasterKeys {
  const topBits = q.toString(2).length % 8; // q is 1022 bits: keep 6 bits of the top byte
  const z = new Uint8Array(SAKKE_SECRET_BYTES);
  for (;;) {
    randomFillSync(z);
    z[0]! &= (1 << topBits) - 1;
    const v = bytesToBigint(z);
    if (v >= 2n && v < q) return { z, Z: encodePoint(multiplyBase(v)!) };
  }
}

/**
 * Issues the Receiver Secret Key of `identity` (RFC 6508 §6.1.1): RSK = [(a + z)⁻¹]P with a the
 * identity as an integer. Returns it uncompressed (257 bytes).
 * @throws CryptoError E_LENGTH / E_RANGE for a malformed z, E_IDENTITY for an empty identity.
 */
export function issueRsk(z: Uint8Array, identity: Uint8Array): Uint8Array {
  return issueRsks(z, [identity])[0]!;
}

/**
 * {@link issueRsk} for many identities at once, in order. The scalar inversions mod q and the
 * curve inversions are shared across the batch, so a chunk of a few dozen identities costs
 * about half as much per RSK as one call each.
 */
export function issueRsks(z: Uint8Array, identities: readonly Uint8Array[]): Uint8Array[] {
  const ks = batchInvMod(rskDenominators(masterSecret(z), identities), q);
  return multiplyBaseMany(ks).map((K) => encodePoint(K!));
}

/**
 * Checks an issued RSK against the master secret without a pairing: [a + z]RSK = P.
 * Evaluated as (a + z)·k ≡ 1 (mod q) for k = (a + z)⁻¹ and RSK + [q − k]P = O, where [q − k]P
 * comes from the fixed-base table along different digits than issuing used, so a fault in
 * either computation shows. Equality with a multiple of P also proves RSK has order q.
 * @returns false for any RSK that is malformed or does not match.
 */
export function rskMatches(z: Uint8Array, identity: Uint8Array, rsk: Uint8Array): boolean {
  return rsksMatch(z, [identity], [rsk])[0]!;
}

/** Batches at least this large are first checked all together (see {@link rsksMatch}). */
const COMBINED_CHECK_MIN = 8;

/**
 * {@link rskMatches} for many RSKs at once, one answer each. From eight keys on, the RSKs
 * that decode are first checked together: Σ c_i·RSK_i = [Σ c_i·k_i]P for fresh random odd
 * 64-bit c_i, a Straus multiplication with short scalars instead of one fixed-base
 * multiplication per key (under half the cost). Wrong RSKs survive that with
 * probability at most 2^−63, unless an even number of them are off by exactly (0,0) (odd c_i
 * expose a single such offset), an offset the literal [a + z]RSK = P test is blind to as well
 * whenever a + z is even; every summand of an issued RSK lies in <P>, so no fault of issuing
 * produces it. If the combined check fails, each key is checked as in {@link rskMatches} to
 * say which.
 */
export function rsksMatch(z: Uint8Array, identities: readonly Uint8Array[], rsks: readonly Uint8Array[]): boolean[] {
  if (identities.length !== rsks.length) throw new RangeError('rsksMatch: one RSK per identity');
  const ms = rskDenominators(masterSecret(z), identities);
  const ks = batchInvMod(ms, q);
  const points = rsks.map((rsk, i) => {
    if ((ms[i]! * ks[i]!) % q !== 1n) return undefined;
    try {
      return decodePoint(rsk, 'RSK', { skipSubgroupCheck: true });
    } catch (e) {
      if (e instanceof CryptoError) return undefined;
      throw e;
    }
  });
  const idx = points.flatMap((pt, i) => (pt ? [i] : []));
  const verdict = points.map(() => false);
  if (idx.length >= COMBINED_CHECK_MIN) {
    const c = Array.from(randomFillSync(new BigUint64Array(idx.length)), (x) => x | 1n);
    const lhs = multiplyPoints(
      idx.map((i) => points[i]!),
      c,
    );
    const rhs = multiplyBase(idx.reduce((acc, i, j) => acc + c[j]! * ks[i]!, 0n));
    if (lhs === null ? rhs === null : rhs !== null && pointEquals(lhs, rhs)) {
      for (const i of idx) verdict[i] = true;
      return verdict;
    }
  }
  const expected = multiplyBaseMany(idx.map((i) => q - ks[i]!));
  idx.forEach((i, j) => {
    const minus = expected[j]!;
    verdict[i] = minus !== null && pointEquals(points[i]!, negatePoint(minus));
  });
  return verdict;
}

/** The last KMS public key decoded: a domain has one Z, so its subgroup test is paid once. */
let lastZ: { bytes: Uint8Array; point: Point } | undefined;

/** Decodes the KMS public key Z with every check of {@link decodePoint}, remembering the last one. */
function decodeKmsKey(Z: Uint8Array): Point {
  if (lastZ && Z instanceof Uint8Array && Z.length === lastZ.bytes.length && Z.every((b, i) => b === lastZ!.bytes[i]))
    return lastZ.point;
  const point = decodePoint(Z, 'Z');
  lastZ = { bytes: Z.slice(), point };
  return point;
}

/** Q_(a,T) = [a]P + Z_T, the point an identity's keys are checked and encrypted against. */
function identityPoint(identity: Uint8Array, Z: Point): Point {
  const Q = addPoints(multiplyBase(identityInteger(identity)), Z);
  if (Q === null) throw new CryptoError('E_IDENTITY', '[a]P + Z is the point at infinity', 'identity');
  return Q;
}

/**
 * RSK validation of RFC 6508 §6.1.2: <[a]P + Z, RSK> = g.
 * @param Z the KMS public key, 257 or 129 bytes.
 * @returns whether the RSK belongs to `identity` under `Z`.
 * @throws CryptoError when Z or the RSK is not a valid point of order q (field "Z" / "RSK").
 */
export function validateRsk(Z: Uint8Array, identity: Uint8Array, rsk: Uint8Array): boolean {
  const Zp = decodeKmsKey(Z);
  const K = decodePoint(rsk, 'RSK');
  return pairing(identityPoint(identity, Zp), K) === SAKKE_G;
}

function checkSsv(ssv: Uint8Array, field: string): void {
  if (!(ssv instanceof Uint8Array) || ssv.length !== SAKKE_SSV_BYTES)
    throw new CryptoError('E_LENGTH', `must be ${SAKKE_SSV_BYTES} bytes (n = ${SAKKE_N_BITS})`, field);
}

/** HashToIntegerRange(w, 2^n) for a PF_p value w, as n/8 bytes (RFC 6508 §6.2.1 step 3, §6.2.2 step 3). */
function ssvMask(w: bigint): Uint8Array {
  return bigintToBytes(hashToIntegerRange(bigintToBytes(w, SAKKE_FP_BYTES), TWO_POW_N), SAKKE_SSV_BYTES);
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** r = HashToIntegerRange(SSV ‖ b, q) (RFC 6508 §6.2.1 step 1, §6.2.2 step 4). */
function ssvScalar(ssv: Uint8Array, identity: Uint8Array): bigint {
  const input = concatBytes(ssv, identity);
  const r = hashToIntegerRange(input, q);
  zeroise(input);
  return r;
}

/**
 * SAKKE encapsulation, RFC 6508 §6.2.1: r = HashToIntegerRange(SSV ‖ b, q);
 * R_(b,S) = [r]([b]P + Z_S); H = SSV XOR HashToIntegerRange(g^r, 2^n).
 * @param ssv the Shared Secret Value, n/8 = 16 bytes.
 * @param Z the KMS public key Z_S (257 or 129 bytes).
 * @param identity the receiver's identity b.
 */
export function sakkeEncapsulate(ssv: Uint8Array, Z: Uint8Array, identity: Uint8Array): SakkeEncapsulation {
  checkSsv(ssv, 'SSV');
  const Zp = decodeKmsKey(Z);
  const r = ssvScalar(ssv, identity);
  const R = multiplyPoint(identityPoint(identity, Zp), r);
  if (R === null) throw new CryptoError('E_INFINITY', 'R_(b,S) is the point at infinity', 'R');
  const mask = ssvMask(pfPow(SAKKE_G, r));
  const H = xor(ssv, mask);
  zeroise(mask);
  return { R: encodePoint(R), H };
}

/**
 * SAKKE decapsulation, RFC 6508 §6.2.2: w = <R_(b,S), K_(b,S)>; SSV = H XOR
 * HashToIntegerRange(w, 2^n); r = HashToIntegerRange(SSV ‖ b, q); the SSV is returned only
 * if [r]([b]P + Z_S) = R_(b,S).
 * @param R R_(b,S), 257 or 129 bytes.
 * @param H the masked SSV, 16 bytes.
 * @param identity the receiver's identity b.
 * @param rsk the receiver's RSK K_(b,S).
 * @param Z the KMS public key Z_S.
 * @returns the SSV, 16 bytes.
 * @throws CryptoError for malformed inputs (field named) and E_INVALID_KEY (field "R") when the
 * Encapsulated Data do not verify: wrong RSK, wrong identity, or tampered R or H.
 */
export function sakkeDecapsulate(
  R: Uint8Array,
  H: Uint8Array,
  identity: Uint8Array,
  rsk: Uint8Array,
  Z: Uint8Array,
): Uint8Array {
  checkSsv(H, 'H');
  const Rp = decodePoint(R, 'R');
  const K = decodePoint(rsk, 'RSK');
  const Zp = decodeKmsKey(Z);
  const mask = ssvMask(pairing(Rp, K));
  const ssv = xor(H, mask);
  zeroise(mask);
  const r = ssvScalar(ssv, identity);
  const test = multiplyPoint(identityPoint(identity, Zp), r);
  if (test === null || !pointEquals(test, Rp)) {
    zeroise(ssv);
    throw new CryptoError('E_INVALID_KEY', 'Encapsulated Data do not verify (RFC 6508 §6.2.2 step 5)', 'R');
  }
  return ssv;
}
