/**
 * ECCSI, Elliptic Curve-Based Certificateless Signatures for Identity-Based Encryption
 * (RFC 6507), over NIST P-256 with SHA-256 (RFC 6507 §4.1, the parameters MIKEY-SAKKE uses).
 *
 * Inputs from outside are decoded strictly (see ./p256.ts): malformed keys, points and
 * signatures throw CryptoError naming the field; a well-formed key or signature that does not
 * satisfy its equation makes the check return false.
 */
import { createHash } from 'node:crypto';
import { bigintToBytes, bytesToBigint, concatBytes, zeroise } from './bytes.js';
import { CryptoError } from './errors.js';
import {
  baseMultiply,
  decodePoint,
  decodeScalar,
  G_BYTES,
  isMultiple,
  modQ,
  multiplyPublic,
  N,
  p,
  Point,
  POINT_BYTES,
  q,
  randomScalarAndPoint,
  type DecodedPoint,
} from './p256.js';

export { decodePoint as decodeEccsiPoint } from './p256.js';

/** Signature = r || s || PVT: N + N + (2N+1) = 129 octets (RFC 6507 §3.3, §5.2.1 step 7). */
export const ECCSI_SIGNATURE_BYTES = 2 * N + POINT_BYTES;

export interface EccsiMasterKeys {
  /** KMS Secret Authentication Key, N octets (RFC 6507 §4.2). */
  ksak: Uint8Array;
  /** KMS Public Authentication Key = [KSAK]G, uncompressed (RFC 6507 §4.2). */
  kpak: Uint8Array;
}

export interface EccsiUserKeys {
  /** Secret Signing Key, N octets. */
  ssk: Uint8Array;
  /** Public Validation Token = [v]G, uncompressed. */
  pvt: Uint8Array;
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/** HS = hash( G || KPAK || ID || PVT ), RFC 6507 §5.1.1 step 3, points uncompressed. */
function hashHS(kpak: DecodedPoint, identity: Uint8Array, pvt: Uint8Array): Uint8Array {
  return sha256(G_BYTES, kpak.bytes, identity, pvt);
}

/** HE = hash( HS || r || M ), RFC 6507 §5.2.1 step 3. */
function hashHE(hs: Uint8Array, r: Uint8Array, message: Uint8Array): Uint8Array {
  return sha256(hs, r, message);
}

/** The intermediate hashes HS (§5.1.1 step 3) and HE (§5.2.1 step 3), exposed for known-answer tests. */
export const eccsiHashes = {
  hs: (kpak: Uint8Array, identity: Uint8Array, pvt: Uint8Array): Uint8Array =>
    hashHS(decodePoint(kpak, 'KPAK'), identity, decodePoint(pvt, 'PVT').bytes),
  he: hashHE,
};

/** A new KMS master key pair: KSAK random in [1, q-1] and KPAK = [KSAK]G (RFC 6507 §4.2). */
export function generateEccsiMasterKeys(): EccsiMasterKeys {
  const { k, point } = randomScalarAndPoint();
  return { ksak: k, kpak: point };
}

/** Test-only inputs that make issuing/signing reproduce RFC 6507 Appendix A. Never set them otherwise. */
export interface EccsiTestVectorInputs {
  /** Replaces the fresh random v of RFC 6507 §5.1.1 step 1. */
  testVectorV?: Uint8Array;
  /** Replaces the fresh random j of RFC 6507 §5.2.1 step 1. */
  testVectorJ?: Uint8Array;
}

/**
 * Issue the SSK and PVT of `identity` (RFC 6507 §5.1.1). A fresh v (and PVT = [v]G) comes
 * from OpenSSL; v is zeroised before returning. The result is not validated here: callers
 * that hand keys out run {@link validateSsk} (the batch issuer does, for every key).
 */
export function issueSsk(
  ksak: Uint8Array,
  kpak: Uint8Array,
  identity: Uint8Array,
  testOnly?: Pick<EccsiTestVectorInputs, 'testVectorV'>,
): EccsiUserKeys {
  const secret = decodeScalar(ksak, 'KSAK');
  const publicKey = decodePoint(kpak, 'KPAK');
  for (;;) {
    let v: Uint8Array;
    let pvt: Uint8Array;
    if (testOnly?.testVectorV) {
      v = Uint8Array.from(testOnly.testVectorV);
      decodeScalar(v, 'v');
      pvt = baseMultiply(v);
    } else ({ k: v, point: pvt } = randomScalarAndPoint());
    const hs = modQ(bytesToBigint(hashHS(publicKey, identity, pvt)));
    // §5.1.1 step 4: SSK = ( KSAK + HS * v ) modulo q
    const ssk = modQ(secret + hs * bytesToBigint(v));
    zeroise(v);
    // §5.1.1 step 5: SSK or HS zero modulo q means restart with a fresh v.
    if (ssk !== 0n && hs !== 0n) return { ssk: bigintToBytes(ssk, N), pvt };
    if (testOnly?.testVectorV) throw new CryptoError('E_INVALID_KEY', 'the given v yields SSK or HS = 0', 'v');
  }
}

/**
 * RFC 6507 §5.1.2: true iff KPAK = [SSK]G - [HS]PVT. Throws CryptoError for a malformed
 * KPAK, PVT (length, prefix, off-curve, infinity) or SSK (length, not in [1, q-1]).
 */
export function validateSsk(kpak: Uint8Array, identity: Uint8Array, ssk: Uint8Array, pvt: Uint8Array): boolean {
  const publicKey = decodePoint(kpak, 'KPAK');
  const token = decodePoint(pvt, 'PVT');
  decodeScalar(ssk, 'SSK');
  const hs = bytesToBigint(hashHS(publicKey, identity, token.bytes));
  // Rearranged as [HS]PVT == [SSK]G - KPAK so that the secret multiplication runs in OpenSSL.
  const expected = Point.fromBytes(baseMultiply(ssk)).subtract(publicKey.point);
  return isMultiple(token, hs, expected);
}

/**
 * Sign `message` (RFC 6507 §5.2.1) as `identity`, whose SSK/PVT were issued under `kpak`.
 * Returns r || s || PVT (129 octets). j is fresh from OpenSSL for every attempt.
 */
export function eccsiSign(
  message: Uint8Array,
  identity: Uint8Array,
  ssk: Uint8Array,
  pvt: Uint8Array,
  kpak: Uint8Array,
  testOnly?: Pick<EccsiTestVectorInputs, 'testVectorJ'>,
): Uint8Array {
  const secret = decodeScalar(ssk, 'SSK');
  const token = decodePoint(pvt, 'PVT');
  const hs = hashHS(decodePoint(kpak, 'KPAK'), identity, token.bytes);
  for (;;) {
    let j: Uint8Array;
    let jPoint: Uint8Array;
    if (testOnly?.testVectorJ) {
      j = Uint8Array.from(testOnly.testVectorJ);
      decodeScalar(j, 'j');
      jPoint = baseMultiply(j);
    } else ({ k: j, point: jPoint } = randomScalarAndPoint());
    // §5.2.1 step 2: r = Jx as an N-octet integer.
    const r = jPoint.slice(1, N + 1);
    // §5.2.1 step 3: HE = hash( HS || r || M )
    const he = bytesToBigint(hashHE(hs, r, message));
    // §5.2.1 step 4: HE + r * SSK must be non-zero modulo q, else restart with a fresh j.
    const t = modQ(he + bytesToBigint(r) * secret);
    if (t !== 0n) {
      // §5.2.1 step 5: s' = ( (HE + r * SSK)^-1 * j ) modulo q; then erase j.
      // §5.2.1 step 6: s' < q < 2^256 always fits in N octets, so s = s'.
      const s = modQ(Point.Fn.inv(t) * bytesToBigint(j));
      zeroise(j);
      return concatBytes(r, bigintToBytes(s, N), token.bytes);
    }
    zeroise(j);
    if (testOnly?.testVectorJ) throw new CryptoError('E_INVALID_KEY', 'the given j yields HE + r * SSK = 0', 'j');
  }
}

/**
 * Verify an ECCSI signature (RFC 6507 §5.2.2). Returns false if it does not verify; throws
 * CryptoError if the signature or KPAK is malformed (length, r not in [1, p-1], s not in
 * [1, q-1], PVT off-curve or infinity).
 */
export function eccsiVerify(message: Uint8Array, signature: Uint8Array, identity: Uint8Array, kpak: Uint8Array): boolean {
  if (signature.length !== ECCSI_SIGNATURE_BYTES)
    throw new CryptoError('E_LENGTH', `must be ${ECCSI_SIGNATURE_BYTES} bytes, got ${signature.length}`, 'signature');
  const publicKey = decodePoint(kpak, 'KPAK');
  const rBytes = signature.subarray(0, N);
  const r = bytesToBigint(rBytes);
  if (r === 0n || r >= p) throw new CryptoError('E_RANGE', 'not in [1, p-1]', 'signature r');
  const s = decodeScalar(signature.subarray(N, 2 * N), 'signature s');
  // §5.2.2 step 1: PVT must lie on E.
  const token = decodePoint(signature.subarray(2 * N), 'signature PVT');
  // §5.2.2 steps 2–3: HS = hash( G || KPAK || ID || PVT ), HE = hash( HS || r || M ).
  const hs = hashHS(publicKey, identity, token.bytes);
  const he = bytesToBigint(hashHE(hs, rBytes, message));
  // §5.2.2 step 4: Y = [HS]PVT + KPAK.
  const Y = multiplyPublic(token.point, bytesToBigint(hs)).add(publicKey.point);
  // §5.2.2 step 5: J = [s]( [HE]G + [r]Y ).
  const J = multiplyPublic(multiplyPublic(Point.BASE, he).add(multiplyPublic(Y, r)), s);
  // §5.2.2 step 6: Jx = r modulo p and Jx non-zero (r < p was checked above).
  return !J.is0() && J.x === r;
}
