/**
 * F_p² = F_p[i], i² = −1 (irreducible because p ≡ 3 mod 4, RFC 6508 §2.1), and PF_p =
 * (F_p²)* / (F_p)*, where pairing values live. An element a + ib is the pair [a, b].
 * Components may be any bigint congruent to the value (the hot loops keep them in
 * (−p, p) to skip normalisation); outputs of this module are reduced to [0, p).
 */
import { SAKKE_P as p } from './params.js';
import { invMod, mod } from './modular.js';

/** a + ib as [a, b]. */
export type Fp2 = readonly [bigint, bigint];

/** x·y in F_p² (three products, Karatsuba). */
export function fp2Mul(x: Fp2, y: Fp2): Fp2 {
  const t0 = x[0] * y[0];
  const t1 = x[1] * y[1];
  // Karatsuba: (x0 + x1)(y0 + y1) − t0 − t1 = x0·y1 + x1·y0.
  return [mod(t0 - t1, p), mod((x[0] + x[1]) * (y[0] + y[1]) - t0 - t1, p)];
}

/** x² in F_p²: (a + b)(a − b) + i·2ab. */
export function fp2Sqr(x: Fp2): Fp2 {
  return [mod((x[0] + x[1]) * (x[0] - x[1]), p), mod(2n * x[0] * x[1], p)];
}

/** x^e for e ≥ 0 (left-to-right binary). */
export function fp2Pow(x: Fp2, e: bigint): Fp2 {
  let acc: Fp2 = [1n, 0n];
  const bits = e.toString(2);
  for (let i = 0; i < bits.length; i++) {
    acc = fp2Sqr(acc);
    if (bits[i] === '1') acc = fp2Mul(acc, x);
  }
  return acc;
}

/**
 * The integer RFC 6508 uses for an element of PF_p with representative a + ib: b/a mod p
 * (RFC 6508 §2.1; it is how g of RFC 6509 Appendix A is written). Undefined for a = 0,
 * which no element of order q has.
 */
export function pfToInteger(x: Fp2): bigint {
  const a = mod(x[0], p);
  if (a === 0n) throw new RangeError('PF_p element with a = 0 has no RFC 6508 integer form');
  return (mod(x[1], p) * invMod(a, p)) % p;
}

/** The representative 1 + i·w of the PF_p element written as the integer w. */
export function pfFromInteger(w: bigint): Fp2 {
  return [1n, mod(w, p)];
}

/** w^e in PF_p, both as RFC 6508 integers (e.g. g^r in RFC 6508 §6.2.1 step 3). */
export function pfPow(w: bigint, e: bigint): bigint {
  return pfToInteger(fp2Pow(pfFromInteger(w), e));
}
