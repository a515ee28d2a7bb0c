import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToBigint, concatBytes } from './bytes.js';
import { hashToIntegerRange } from './hash-to-range.js';
import { SAKKE_Q } from './params.js';
import * as V from './rfc6508.vectors.js';

describe('HashToIntegerRange (RFC 6508 §5.1, SHA-256)', () => {
  it('gives r of RFC 6508 Appendix A for SSV ‖ b and n = q (l = 4 blocks)', () => {
    expect(hashToIntegerRange(concatBytes(V.SSV, V.ID_B), SAKKE_Q)).toBe(V.R_SCALAR);
  });

  it('uses one block for n ≤ 2^256: v_1 = H(H(0^32) ‖ H(s)) mod n', () => {
    const s = new TextEncoder().encode('abc');
    const v1 = bytesToBigint(sha256(concatBytes(sha256(new Uint8Array(32)), sha256(s))));
    expect(hashToIntegerRange(s, 1n << 128n)).toBe(v1 % (1n << 128n));
    expect(hashToIntegerRange(s, 1n << 256n)).toBe(v1);
    // One more than 2^256 needs a second block.
    const h1 = sha256(new Uint8Array(32));
    const v2 = bytesToBigint(sha256(concatBytes(sha256(h1), sha256(s))));
    expect(hashToIntegerRange(s, (1n << 256n) + 1n)).toBe(((v1 << 256n) + v2) % ((1n << 256n) + 1n));
  });

  it('stays in [0, n−1]', () => {
    for (let i = 0; i < 50; i++) {
      const v = hashToIntegerRange(new Uint8Array([i]), 7n);
      expect(v >= 0n && v < 7n).toBe(true);
    }
  });
});
