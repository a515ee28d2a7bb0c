import { describe, expect, it } from 'vitest';
import { bytesToBigint } from './bytes.js';
import { pfPow } from './fp2.js';
import { pairing } from './pairing.js';
import { SAKKE_G, SAKKE_Q } from './params.js';
import { addPoints, BASE_POINT, multiplyPoint } from './sakke-curve.js';
import { multiplyBase } from './sakke-fixed-base.js';

describe('Tate–Lichtenbaum pairing (RFC 6508 §3.2)', () => {
  it('<P,P> is g of RFC 6509 Appendix A (parameter set 1)', () => {
    expect(pairing(BASE_POINT, BASE_POINT)).toBe(SAKKE_G);
  });

  it('is bilinear: <[a]P,[b]P> = g^(ab), and <[a]P,[b]P> = <[b]P,[a]P>', () => {
    const a = 0x1234567890abcdef1234567890abcdefn;
    const b = SAKKE_Q - 0xfedcba9876543210fedcba98765432n; // a large scalar too
    const A = multiplyBase(a)!;
    const B = multiplyBase(b)!;
    const e = pairing(A, B);
    expect(e).toBe(pfPow(SAKKE_G, (a * b) % SAKKE_Q));
    expect(pairing(B, A)).toBe(e);
  });

  it('agrees with g^(ab) for random scalars (values in every limb, both signs of NAF digits)', () => {
    for (let i = 0; i < 3; i++) {
      const [a, b] = [0, 1].map(() => (bytesToBigint(crypto.getRandomValues(new Uint8Array(128))) % (SAKKE_Q - 1n)) + 1n);
      expect(pairing(multiplyBase(a!)!, multiplyBase(b!)!), `a = ${a}, b = ${b}`).toBe(pfPow(SAKKE_G, (a! * b!) % SAKKE_Q));
    }
  });

  it('is linear in each argument: <R1 + R2, Q> = <R1,Q>·<R2,Q>', () => {
    const R1 = multiplyBase(7n)!;
    const R2 = multiplyBase(11n)!;
    const Q = multiplyBase(5n)!;
    expect(pairing(addPoints(R1, R2)!, Q)).toBe(pfPow(SAKKE_G, 18n * 5n));
    expect(pairing(R1, Q)).toBe(pfPow(SAKKE_G, 35n));
  });

  it('has order q: <P,P>^q = 1, and <P,P> ≠ 1', () => {
    expect(pfPow(SAKKE_G, SAKKE_Q)).toBe(0n); // 1 + 0·i is written as the integer 0
    expect(SAKKE_G).not.toBe(0n);
  });

  it('cannot see a 2-torsion component in its second argument, which is why decoding checks the subgroup', () => {
    const Q = multiplyBase(3n)!;
    const shifted = addPoints(Q, { x: 0n, y: 0n })!; // order 2q
    expect(multiplyPoint(shifted, SAKKE_Q)).toEqual({ x: 0n, y: 0n });
    expect(pairing(BASE_POINT, shifted)).toBe(pairing(BASE_POINT, Q));
  });

  it('refuses a first argument whose multiples meet an exceptional case, and recovers after it', () => {
    expect(() => pairing({ x: 0n, y: 0n }, BASE_POINT)).toThrow(RangeError); // order 2: 2R = O
    expect(pairing(BASE_POINT, BASE_POINT)).toBe(SAKKE_G);
  });
});
