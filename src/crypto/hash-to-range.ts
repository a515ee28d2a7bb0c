/** HashToIntegerRange of RFC 6508 §5.1 with SHA-256 (the hash of RFC 6509 parameter set 1). */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBigint, concatBytes, zeroise } from './bytes.js';

const HASH_BYTES = 32;

/**
 * RFC 6508 §5.1: maps the octet string `s` to an integer in [0, n−1].
 * A = H(s); h_0 = 00…0; for i = 1..l: h_i = H(h_(i−1)), v_i = H(h_i ‖ A); result
 * (v_1 ‖ … ‖ v_l) mod n, where l = ⌈lg(n)/256⌉.
 */
export function hashToIntegerRange(s: Uint8Array, n: bigint): bigint {
  if (n < 2n) throw new RangeError('hashToIntegerRange: n must be at least 2');
  // l = ⌈lg(n)/hashlen⌉ is the least l with n ≤ 2^(256·l), i.e. ⌈bitlen(n−1)/256⌉.
  const l = Math.max(1, Math.ceil((n - 1n).toString(2).length / (8 * HASH_BYTES)));
  const A = sha256(s);
  let h: Uint8Array = new Uint8Array(HASH_BYTES);
  const v: Uint8Array[] = [];
  for (let i = 1; i <= l; i++) {
    h = sha256(h);
    v.push(sha256(concatBytes(h, A)));
  }
  const joined = concatBytes(...v);
  const result = bytesToBigint(joined) % n;
  // The input may be secret (SSV ‖ b, or g^r): do not leave its hashes lying around.
  zeroise(A, h, joined, ...v);
  return result;
}
