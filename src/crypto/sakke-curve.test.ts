import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint, concatBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { sqrtModP } from './sakke-fp.js';
import { SAKKE_P, SAKKE_Q } from './params.js';
import * as V from './rfc6508.vectors.js';
import {
  addPoints,
  BASE_POINT,
  decodePoint,
  encodePoint,
  isInSubgroup,
  isOnCurve,
  multiplyPoint,
  multiplyPoints,
  negatePoint,
} from './sakke-curve.js';
import { multiplyBase, multiplyBaseMany, sumPointLists } from './sakke-fixed-base.js';

function rejection(bytes: Uint8Array): { code: string; message: string } {
  try {
    decodePoint(bytes, 'RSK');
  } catch (e) {
    if (e instanceof CryptoError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('decodePoint accepted the input');
}

const TWO_TORSION = { x: 0n, y: 0n };

describe('SAKKE curve arithmetic', () => {
  it('parameter set 1 is consistent: p ≡ 3 (mod 4), 4q = p + 1, P on E of order q', () => {
    expect(SAKKE_P % 4n).toBe(3n);
    expect(4n * SAKKE_Q).toBe(SAKKE_P + 1n);
    expect(SAKKE_P.toString(2).length).toBe(1024);
    expect(SAKKE_Q.toString(2).length).toBe(1022);
    expect(isOnCurve(BASE_POINT)).toBe(true);
    expect(multiplyPoint(BASE_POINT, SAKKE_Q)).toBeNull();
    expect(multiplyPoint(BASE_POINT, SAKKE_Q - 1n)).toEqual(negatePoint(BASE_POINT));
    expect(multiplyPoint(BASE_POINT, SAKKE_Q + 1n)).toEqual(BASE_POINT);
  });

  it('the fixed-base table agrees with variable-base multiplication', () => {
    const scalars = [1n, 2n, 3n, 511n, 512n, 513n, 1023n, SAKKE_Q - 1n, SAKKE_Q - 512n, SAKKE_Q + 5n];
    for (let i = 0; i < 4; i++) scalars.push(bytesToBigint(crypto.getRandomValues(new Uint8Array(128))) % SAKKE_Q);
    for (const k of scalars) expect(multiplyBase(k), `k = ${k}`).toEqual(multiplyPoint(BASE_POINT, k));
    expect(multiplyBase(0n)).toBeNull();
    expect(multiplyBase(SAKKE_Q)).toBeNull();
  });

  it('the subgroup test agrees with [q]R = O on points of every order 4q, 2q, q, 4, 2', () => {
    const seen = new Set<string>();
    let x = 2n;
    for (let n = 0; n < 24; x++) {
      const y = sqrtModP(x * x * x - 3n * x);
      if (y === undefined) continue;
      n++;
      for (const R of [{ x, y }, negatePoint({ x, y })]) {
        const expected = multiplyPoint(R, SAKKE_Q) === null;
        expect(isInSubgroup(R), `x = ${x}`).toBe(expected);
        seen.add(String(expected));
        const R4 = multiplyPoint(R, 4n)!; // in the subgroup
        expect(isInSubgroup(R4)).toBe(true);
        expect(isInSubgroup(addPoints(R4, TWO_TORSION)!)).toBe(false);
      }
    }
    expect(seen).toEqual(new Set(['true', 'false']));
    // Points of order 4 (x² = −3) and 2.
    const x4 = sqrtModP(SAKKE_P - 3n)!;
    for (const x of [x4, SAKKE_P - x4]) {
      const y = sqrtModP(x * x * x - 3n * x);
      if (y === undefined) continue;
      expect(multiplyPoint({ x, y }, 4n)).toBeNull();
      expect(isInSubgroup({ x, y })).toBe(false);
    }
    expect(isInSubgroup(TWO_TORSION)).toBe(false);
  });

  it('sums lists of points as trees sharing inversions, falling back for equal or opposite summands', () => {
    const ks = Array.from({ length: 20 }, (_, i) => BigInt(3 * i + 1));
    const pts = ks.map((k) => multiplyPoint(BASE_POINT, k)!);
    const total = ks.reduce((a, b) => a + b);
    const sums = sumPointLists([
      pts,
      [pts[0]!, ...pts], // equal summands paired in the first level
      [negatePoint(pts[0]!), ...pts], // opposite summands paired in the first level
      pts.slice(0, 3),
      [pts[0]!, negatePoint(pts[0]!)],
      [pts[0]!, negatePoint(pts[0]!), pts[1]!],
      [],
    ]);
    expect(sums).toEqual([
      multiplyPoint(BASE_POINT, total),
      multiplyPoint(BASE_POINT, total + 1n),
      multiplyPoint(BASE_POINT, total - 1n),
      multiplyPoint(BASE_POINT, 1n + 4n + 7n),
      null,
      pts[1],
      null,
    ]);    // Few pairs finish in Jacobian, where meeting ±the running sum falls back to the general law.
    const ab = addPoints(pts[0]!, pts[1]!)!;
    expect(sumPointLists([[pts[0]!, pts[1]!, ab], [pts[0]!, pts[1]!, negatePoint(ab)]])).toEqual([
      multiplyPoint(BASE_POINT, 2n * (ks[0]! + ks[1]!)),
      null,
    ]);
    // Beyond 512 summands the kernel's lazy-reduction bounds would not hold: refused.
    expect(() => sumPointLists([Array(513).fill(pts[0]!)])).toThrow(RangeError);
    expect(sumPointLists([Array(512).fill(pts[0]!)])).toEqual([multiplyPoint(BASE_POINT, 512n)]);
  });

  it('Σ [k_i]Q_i (Straus) agrees with the terms one by one, including (0,0) and k = 0', () => {
    const Qs = [5n, 7n, 11n, SAKKE_Q - 1n].map((k) => multiplyBase(k)!);
    const ks = [0x1234567890abcdefn, 3n, 0n, SAKKE_Q + 2n];
    const expected = Qs.reduce<ReturnType<typeof multiplyPoint>>((acc, Q, i) => addPoints(acc, multiplyPoint(Q, ks[i]!)), null);
    expect(multiplyPoints(Qs, ks)).toEqual(expected);
    expect(multiplyPoints([Qs[0]!, TWO_TORSION], [4n, 3n])).toEqual(addPoints(multiplyPoint(Qs[0]!, 4n), TWO_TORSION));
    expect(multiplyPoints([Qs[0]!, negatePoint(Qs[0]!)], [9n, 9n])).toBeNull();
    expect(() => multiplyPoints([Qs[0]!], [-1n])).toThrow(RangeError);
  });

  it('multiplies many scalars by P at once, as one at a time', () => {
    const ks = [0n, 1n, SAKKE_Q - 1n];
    for (let i = 0; i < 20; i++) ks.push(bytesToBigint(crypto.getRandomValues(new Uint8Array(128))));
    const many = multiplyBaseMany(ks);
    ks.forEach((k, i) => expect(many[i], `k = ${k}`).toEqual(multiplyBase(k)));
    expect(many[0]).toBeNull();
  });

  it('adds, doubles and cancels', () => {
    const A = multiplyBase(5n)!;
    expect(addPoints(A, A)).toEqual(multiplyBase(10n));
    expect(addPoints(A, negatePoint(A))).toBeNull();
    expect(addPoints(null, A)).toEqual(A);
    expect(multiplyPoint(TWO_TORSION, 3n)).toEqual(TWO_TORSION);
    expect(multiplyPoint(TWO_TORSION, 2n)).toBeNull();
  });
});

describe('point encoding', () => {
  it('round-trips uncompressed (257 bytes) and compressed (129 bytes) forms', () => {
    const K = decodePoint(V.RSK, 'RSK');
    expect(encodePoint(K)).toEqual(V.RSK);
    for (const pt of [K, negatePoint(K)]) {
      const c = encodePoint(pt, true);
      expect(c.length).toBe(129);
      expect(c[0]).toBe(pt.y & 1n ? 0x03 : 0x02);
      expect(decodePoint(c, 'RSK')).toEqual(pt);
    }
  });

  it('rejects a truncated point, naming the field', () => {
    expect(rejection(V.RSK.subarray(0, 256))).toEqual({
      code: 'E_LENGTH',
      message: 'RSK: uncompressed point must be 257 bytes, got 256',
    });
    expect(rejection(encodePoint(BASE_POINT, true).subarray(0, 100)).code).toBe('E_LENGTH');
    expect(rejection(new Uint8Array(0)).code).toBe('E_LENGTH');
  });

  it('rejects a wrong prefix and the encoding of infinity', () => {
    const bad = V.RSK.slice();
    bad[0] = 0x06;
    expect(rejection(bad)).toEqual({ code: 'E_ENCODING', message: 'RSK: unknown point prefix 0x06' });
    expect(rejection(new Uint8Array([0])).code).toBe('E_INFINITY');
  });

  it('rejects a coordinate ≥ p', () => {
    const x = bigintToBytes(BASE_POINT.x + SAKKE_P, 128); // same residue, out of range
    const enc = concatBytes(new Uint8Array([4]), x, bigintToBytes(BASE_POINT.y, 128));
    expect(rejection(enc)).toEqual({ code: 'E_RANGE', message: 'RSK: x coordinate is not below p' });
    const encY = concatBytes(new Uint8Array([4]), bigintToBytes(BASE_POINT.x, 128), bigintToBytes(SAKKE_P, 128));
    expect(rejection(encY).code).toBe('E_RANGE');
  });

  it('rejects a point off the curve, uncompressed or compressed', () => {
    const bad = V.RSK.slice();
    bad[256]! ^= 1;
    expect(rejection(bad)).toEqual({ code: 'E_NOT_ON_CURVE', message: 'RSK: point is not on the SAKKE curve' });
    // Find an x with x³ − 3x not a square: its compressed form names no point.
    let x = 2n;
    while (true) {
      const c = concatBytes(new Uint8Array([2]), bigintToBytes(x, 128));
      let ok = true;
      try {
        decodePoint(c, 'Z', { skipSubgroupCheck: true });
      } catch (e) {
        expect((e as CryptoError).code).toBe('E_NOT_ON_CURVE');
        ok = false;
      }
      if (!ok) break;
      x++;
    }
  });

  it('rejects RSK + (0,0), a point of order 2q, as not in the subgroup', () => {
    const K = decodePoint(V.RSK, 'RSK');
    const shifted = addPoints(K, TWO_TORSION)!;
    expect(isOnCurve(shifted)).toBe(true);
    expect(isInSubgroup(shifted)).toBe(false);
    expect(rejection(encodePoint(shifted))).toEqual({
      code: 'E_NOT_IN_SUBGROUP',
      message: 'RSK: point is not in the subgroup of order q',
    });
    expect(rejection(encodePoint(shifted, true)).code).toBe('E_NOT_IN_SUBGROUP');
    expect(rejection(encodePoint(TWO_TORSION)).code).toBe('E_NOT_IN_SUBGROUP');
  });
});
