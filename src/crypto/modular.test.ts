import { describe, expect, it } from 'vitest';
import { bytesToBigint } from './bytes.js';
import { invMod, jacobi } from './modular.js';
import { powModP } from './sakke-fp.js';
import { SAKKE_P, SAKKE_Q } from './params.js';

const random = (m: bigint) => bytesToBigint(crypto.getRandomValues(new Uint8Array(136))) % m;

describe('modular arithmetic', () => {
  it('inverts mod p and mod q (Lehmer), including edge values', () => {
    for (const m of [SAKKE_P, SAKKE_Q]) {
      const values = [1n, 2n, m - 1n, m - 2n, 1n << 600n, m + 5n, -7n];
      for (let i = 0; i < 200; i++) values.push(random(m - 1n) + 1n);
      for (const a of values) {
        const inv = invMod(a, m);
        expect(inv >= 0n && inv < m).toBe(true);
        expect((((a % m) + m) % m) * inv % m, `a = ${a}`).toBe(1n);
      }
    }
    expect(invMod(3n, 7n)).toBe(5n);
    expect(() => invMod(0n, SAKKE_P)).toThrow(RangeError);
    expect(() => invMod(6n, 9n)).toThrow(RangeError);
  });

  it('Jacobi symbol agrees with Euler’s criterion mod p', () => {
    for (let i = 0; i < 20; i++) {
      const a = random(SAKKE_P);
      const euler = powModP(a, (SAKKE_P - 1n) / 2n);
      expect(jacobi(a, SAKKE_P)).toBe(euler === 1n ? 1 : -1);
    }
    expect(jacobi(0n, SAKKE_P)).toBe(0);
    expect(jacobi(SAKKE_P - 1n, SAKKE_P)).toBe(-1); // p ≡ 3 (mod 4)
    expect(jacobi(3n, SAKKE_P)).toBe(-1); // why E(F_p) has a single point of order 2
  });
});
