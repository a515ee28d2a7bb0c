import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint, bytesToHex, concatBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { pfPow } from './fp2.js';
import { hashToIntegerRange } from './hash-to-range.js';
import { SAKKE_G, SAKKE_Q } from './params.js';
import * as V from './rfc6508.vectors.js';
import {
  decodePoint,
  encodePoint,
  generateSakkeMasterKeys,
  issueRsk,
  issueRsks,
  rskMatches,
  rsksMatch,
  sakkeDecapsulate,
  sakkeEncapsulate,
  validateRsk,
} from './sakke.js';
import { addPoints, BASE_POINT, multiplyPoint } from './sakke-curve.js';
import { multiplyBase } from './sakke-fixed-base.js';

const hex = (b: Uint8Array) => bytesToHex(b).toUpperCase();
/** (0,0), the point of order 2 on y² = x³ − 3x. */
const TWO_TORSION = { x: 0n, y: 0n };
const OTHER_ID = new TextEncoder().encode('2011-02\0tel:+447700900124\0');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
}

describe('SAKKE reproduces RFC 6508 Appendix A', () => {
  it('Z_S = [z_S]P', () => {
    expect(hex(encodePoint(multiplyBase(bytesToBigint(V.Z_SECRET))!))).toBe(hex(V.Z_PUBLIC));
  });

  it('RSK K_(b,S) = [(b + z_S)⁻¹]P, and it matches and validates', () => {
    const rsk = issueRsk(V.Z_SECRET, V.ID_B);
    expect(hex(rsk)).toBe(hex(V.RSK));
    expect(rskMatches(V.Z_SECRET, V.ID_B, V.RSK)).toBe(true);
    expect(validateRsk(V.Z_PUBLIC, V.ID_B, V.RSK)).toBe(true);
  });

  it('r = HashToIntegerRange(SSV ‖ b, q)', () => {
    expect(hashToIntegerRange(concatBytes(V.SSV, V.ID_B), SAKKE_Q)).toBe(V.R_SCALAR);
  });

  it('g^r, mask and H', () => {
    const gr = pfPow(SAKKE_G, V.R_SCALAR);
    expect(gr).toBe(V.G_POW_R);
    const mask = hashToIntegerRange(bigintToBytes(gr, 128), 1n << 128n);
    expect(hex(bigintToBytes(mask, 16))).toBe(hex(V.MASK));
  });

  it('encapsulation gives R_(b,S) and H; decapsulation recovers the SSV', () => {
    const { R, H } = sakkeEncapsulate(V.SSV, V.Z_PUBLIC, V.ID_B);
    expect(hex(R)).toBe(hex(V.R_POINT));
    expect(hex(H)).toBe(hex(V.H));
    expect(hex(sakkeDecapsulate(V.R_POINT, V.H, V.ID_B, V.RSK, V.Z_PUBLIC))).toBe(hex(V.SSV));
  });
});

describe('SAKKE with fresh keys', () => {
  const master = generateSakkeMasterKeys();

  it('master keys: z in [2, q−1], Z = [z]P', () => {
    expect(master.z.length).toBe(128);
    expect(master.Z.length).toBe(257);
    const z = bytesToBigint(master.z);
    expect(z >= 2n && z < SAKKE_Q).toBe(true);
    expect(hex(encodePoint(multiplyPoint(BASE_POINT, z)!))).toBe(hex(master.Z));
  });

  it('an issued RSK satisfies [a + z]RSK = P literally, matches and validates', () => {
    const rsk = issueRsk(master.z, V.ID_B);
    const m = (bytesToBigint(V.ID_B) + bytesToBigint(master.z)) % SAKKE_Q;
    expect(multiplyPoint(decodePoint(rsk, 'RSK'), m)).toEqual(BASE_POINT);
    expect(rskMatches(master.z, V.ID_B, rsk)).toBe(true);
    expect(validateRsk(master.Z, V.ID_B, rsk)).toBe(true);
  });

  it('issues and checks RSKs in batches exactly as one by one', () => {
    const ids = Array.from({ length: 24 }, (_, i) => new TextEncoder().encode(`2026-12\0tel:+4670${1000000 + i}\0`));
    const rsks = issueRsks(master.z, ids);
    ids.forEach((id, i) => expect(hex(rsks[i]!)).toBe(hex(issueRsk(master.z, id))));
    expect(rsksMatch(master.z, ids, rsks).every(Boolean)).toBe(true);
    const swapped = [...rsks];
    [swapped[3], swapped[4]] = [rsks[4]!, rsks[3]!];
    const verdicts = rsksMatch(master.z, ids, swapped);
    expect(verdicts.filter((ok) => !ok).length).toBe(2);
    expect(verdicts[3] || verdicts[4]).toBe(false);
    // One RSK off by (0,0), one malformed, one off the curve: only those three are refused.
    const bad = [...rsks];
    bad[0] = encodePoint(addPoints(decodePoint(rsks[0]!, 'RSK'), TWO_TORSION)!);
    bad[7] = rsks[7]!.subarray(0, 200);
    bad[9] = rsks[9]!.slice();
    bad[9][200]! ^= 1;
    const refused = rsksMatch(master.z, ids, bad).flatMap((ok, i) => (ok ? [] : [i]));
    expect(refused).toEqual([0, 7, 9]);
  });

  it('an RSK for another identity neither matches nor validates', () => {
    const rsk = issueRsk(master.z, OTHER_ID);
    expect(rskMatches(master.z, V.ID_B, rsk)).toBe(false);
    expect(validateRsk(master.Z, V.ID_B, rsk)).toBe(false);
  });

  it('rskMatches rejects RSK + (0,0), a corrupted RSK and another master secret', () => {
    const rsk = decodePoint(issueRsk(master.z, V.ID_B), 'RSK');
    const shifted = addPoints(rsk, TWO_TORSION)!;
    expect(rskMatches(master.z, V.ID_B, encodePoint(shifted))).toBe(false);
    const bad = encodePoint(rsk);
    bad[100]! ^= 1;
    expect(rskMatches(master.z, V.ID_B, bad)).toBe(false);
    expect(rskMatches(V.Z_SECRET, V.ID_B, encodePoint(rsk))).toBe(false);
  });

  it('decapsulation with the RSK of another identity fails verification', () => {
    const rskOther = issueRsk(master.z, OTHER_ID);
    const { R, H } = sakkeEncapsulate(V.SSV, master.Z, V.ID_B);
    expect(codeOf(() => sakkeDecapsulate(R, H, V.ID_B, rskOther, master.Z))).toBe('E_INVALID_KEY');
  });

  it('validates with a compressed Z and RSK', () => {
    const rsk = issueRsk(master.z, V.ID_B);
    const Zc = encodePoint(decodePoint(master.Z, 'Z'), true);
    const Kc = encodePoint(decodePoint(rsk, 'RSK'), true);
    expect(validateRsk(Zc, V.ID_B, Kc)).toBe(true);
  });

  it('encapsulate / decapsulate round trip under fresh keys, compressed inputs accepted', () => {
    const rsk = issueRsk(master.z, V.ID_B);
    const ssv = crypto.getRandomValues(new Uint8Array(16));
    const { R, H } = sakkeEncapsulate(ssv, master.Z, V.ID_B);
    const Rc = encodePoint(decodePoint(R, 'R'), true);
    expect(hex(sakkeDecapsulate(Rc, H, V.ID_B, rsk, master.Z))).toBe(hex(ssv));
  });
});

describe('SAKKE rejects', () => {
  it('a malformed master secret', () => {
    expect(codeOf(() => issueRsk(new Uint8Array(20), V.ID_B))).toBe('E_LENGTH');
    expect(codeOf(() => issueRsk(bigintToBytes(SAKKE_Q, 128), V.ID_B))).toBe('E_RANGE');
    expect(codeOf(() => issueRsk(V.Z_SECRET, new Uint8Array(0)))).toBe('E_IDENTITY');
  });

  it('validateRsk with the wrong identity', () => {
    expect(validateRsk(V.Z_PUBLIC, OTHER_ID, V.RSK)).toBe(false);
  });

  it('validateRsk with RSK + (0,0): not in the subgroup', () => {
    const rsk = decodePoint(V.RSK, 'RSK');
    const shifted = encodePoint(addPoints(rsk, TWO_TORSION)!);
    expect(() => validateRsk(V.Z_PUBLIC, V.ID_B, shifted)).toThrowError(/RSK: point is not in the subgroup/);
  });

  it('a KMS public key Z off the subgroup, even right after the valid Z was accepted', () => {
    expect(validateRsk(V.Z_PUBLIC, V.ID_B, V.RSK)).toBe(true);
    const badZ = encodePoint(addPoints(decodePoint(V.Z_PUBLIC, 'Z'), TWO_TORSION)!);
    expect(() => validateRsk(badZ, V.ID_B, V.RSK)).toThrowError(/^Z: point is not in the subgroup of order q$/);
    expect(codeOf(() => sakkeEncapsulate(V.SSV, badZ, V.ID_B))).toBe('E_NOT_IN_SUBGROUP');
    expect(codeOf(() => sakkeEncapsulate(V.SSV, V.Z_PUBLIC.subarray(0, 200), V.ID_B))).toBe('E_LENGTH');
  });

  it('decapsulation of a tampered H, a tampered R, another identity or a wrong SSV length', () => {
    const H = V.H.slice();
    H[0]! ^= 0x80;
    expect(codeOf(() => sakkeDecapsulate(V.R_POINT, H, V.ID_B, V.RSK, V.Z_PUBLIC))).toBe('E_INVALID_KEY');
    // Another point of order q in place of R_(b,S).
    const R2 = encodePoint(multiplyPoint(decodePoint(V.R_POINT, 'R'), 2n)!);
    expect(codeOf(() => sakkeDecapsulate(R2, V.H, V.ID_B, V.RSK, V.Z_PUBLIC))).toBe('E_INVALID_KEY');
    expect(codeOf(() => sakkeDecapsulate(V.R_POINT, V.H, OTHER_ID, V.RSK, V.Z_PUBLIC))).toBe('E_INVALID_KEY');
    expect(codeOf(() => sakkeDecapsulate(V.R_POINT, V.H.subarray(1), V.ID_B, V.RSK, V.Z_PUBLIC))).toBe('E_LENGTH');
    expect(codeOf(() => sakkeEncapsulate(new Uint8Array(15), V.Z_PUBLIC, V.ID_B))).toBe('E_LENGTH');
  });

  it('a truncated R in decapsulation, naming the field', () => {
    expect(() => sakkeDecapsulate(V.R_POINT.subarray(0, 256), V.H, V.ID_B, V.RSK, V.Z_PUBLIC)).toThrowError(
      /^R: uncompressed point must be 257 bytes, got 256$/,
    );
  });
});
