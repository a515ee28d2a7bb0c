import { describe, expect, it } from 'vitest';
import { bytesToBigint } from './bytes.js';
import { createFpKernel, MONTGOMERY_R as R, readLimbs, SLOT, writeLimbs } from './fp-wasm.js';
import { invMod } from './modular.js';
import { SAKKE_P as p } from './params.js';
import { sleb, uleb } from './wasm-encoder.js';

const random = (bound: bigint) => bytesToBigint(crypto.getRandomValues(new Uint8Array(136))) % bound;
const rInv = invMod(R, p);

describe('WebAssembly F_p kernel (Montgomery, 37 × 28-bit limbs)', () => {
  const k = createFpKernel(p, 1);
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => i * SLOT);

  it('encodes LEB128 as the WebAssembly spec’s examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456n)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63n)).toEqual([0x3f]);
    expect(sleb(64n)).toEqual([0xc0, 0x00]);
  });

  it('multiplies and squares to a·b·R⁻¹ mod p, below 2p, for inputs whose bounds multiply to under R/p', () => {
    const bounds: [bigint, bigint][] = [
      [1n, 1n],
      [40n, 40n],
      [6n, 1100n],
      [80n, 80n],
    ];
    for (const [ba, bb] of bounds) {
      const cases = [
        [ba * p - 1n, bb * p - 1n],
        [0n, bb * p - 1n],
        [1n, 1n],
      ];
      for (let i = 0; i < 20; i++) cases.push([random(ba * p), random(bb * p)]);
      for (const [x, y] of cases) {
        writeLimbs(k.memory, a, x!);
        writeLimbs(k.memory, b, y!);
        k.mul(c, a, b);
        const r = readLimbs(k.memory, c);
        expect(r < 2n * p, `bounds ${ba}·${bb}`).toBe(true);
        expect(r % p).toBe((((x! * y!) % p) * rInv) % p);
        if (ba * ba > 6832n) continue;
        k.sqr(d, a);
        const s = readLimbs(k.memory, d);
        expect(s < 2n * p, `bound ${ba}²`).toBe(true);
        expect(s % p).toBe((((x! * x!) % p) * rInv) % p);
      }
    }
    // In place, as the Miller loop uses it.
    writeLimbs(k.memory, a, 12345n);
    k.mul(a, a, a);
    expect(readLimbs(k.memory, a) % p).toBe((12345n * 12345n * rInv) % p);
    writeLimbs(k.memory, a, 12345n);
    k.sqr(a, a);
    expect(readLimbs(k.memory, a) % p).toBe((12345n * 12345n * rInv) % p);
  });

  it('adds and subtracts exactly, carrying across limbs', () => {
    const x = random(20n * p);
    const y = random(2n * p);
    writeLimbs(k.memory, a, x);
    writeLimbs(k.memory, b, y);
    writeLimbs(k.memory, d, 2n * p);
    k.add(c, a, b);
    expect(readLimbs(k.memory, c)).toBe(x + y);
    k.addSub(c, a, d, b);
    expect(readLimbs(k.memory, c)).toBe(x + 2n * p - y);
    writeLimbs(k.memory, a, (1n << 1000n) - 1n);
    writeLimbs(k.memory, b, 1n);
    k.add(c, a, b);
    expect(readLimbs(k.memory, c)).toBe(1n << 1000n);
    writeLimbs(k.memory, d, 0n);
    k.addSub(c, c, d, b);
    expect(readLimbs(k.memory, c)).toBe((1n << 1000n) - 1n);
  });
});
