import { describe, expect, it } from 'vitest';
import { fp2Mul, fp2Pow, fp2Sqr, pfFromInteger, pfPow, pfToInteger } from './fp2.js';
import { SAKKE_G, SAKKE_P as p } from './params.js';

describe('F_p² = F_p[i], i² = −1, and PF_p', () => {
  it('i² = −1 and products agree with squares', () => {
    expect(fp2Sqr([0n, 1n])).toEqual([p - 1n, 0n]);
    const x = [SAKKE_G, 12345n] as const;
    expect(fp2Mul(x, x)).toEqual(fp2Sqr(x));
    expect(fp2Pow(x, 3n)).toEqual(fp2Mul(fp2Sqr(x), x));
  });

  it('PF_p ignores F_p^× factors and writes a + ib as b/a', () => {
    const x = [3n, 7n] as const;
    expect(pfToInteger(x)).toBe(pfToInteger([3n * 1000n, 7n * 1000n]));
    expect((pfToInteger(x) * 3n) % p).toBe(7n);
    expect(pfToInteger(pfFromInteger(SAKKE_G))).toBe(SAKKE_G);
  });

  it('exponentiates in PF_p: g^2 · g^3 = g^5', () => {
    const g2 = pfFromInteger(pfPow(SAKKE_G, 2n));
    const g3 = pfFromInteger(pfPow(SAKKE_G, 3n));
    expect(pfToInteger(fp2Mul(g2, g3))).toBe(pfPow(SAKKE_G, 5n));
  });
});
