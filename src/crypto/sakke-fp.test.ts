import { describe, expect, it } from 'vitest';
import { bytesToBigint } from './bytes.js';
import { SAKKE_P as p } from './params.js';
import { SLOT } from './fp-wasm.js';
import { fpKernel, fromMont, powModP, reserveSlots, sqrtModP, toMont } from './sakke-fp.js';

const random = (m: bigint) => bytesToBigint(crypto.getRandomValues(new Uint8Array(136))) % m;

/** Right-to-left square and multiply on plain bigint: the reference for the kernel's powers. */
function referencePow(b: bigint, e: bigint): bigint {
  let acc = 1n;
  for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) acc = (acc * b) % p;
  return acc;
}

describe('SAKKE F_p on the WebAssembly kernel', () => {
  it('raises to powers as plain bigint arithmetic does', () => {
    const cases: [bigint, bigint][] = [
      [5n, 0n],
      [5n, 1n],
      [p - 1n, 2n],
      [0n, 7n],
      [random(p), 0x10n],
      [random(p), random(p)],
      [random(p), p - 2n],
      [-3n, 3n],
    ];
    for (const [b, e] of cases) expect(powModP(b, e), `${b}^${e}`).toBe(referencePow(b + p, e));
  });

  it('takes square roots of exactly the squares', () => {
    for (let i = 0; i < 5; i++) {
      const a = random(p);
      const r = sqrtModP(a * a)!;
      expect((r * r) % p).toBe((a * a) % p);
    }
    expect(sqrtModP(0n)).toBe(0n);
    expect(sqrtModP(3n)).toBeUndefined(); // 3 is not a square mod p
    expect(sqrtModP(-1n)).toBeUndefined(); // p ≡ 3 (mod 4)
  });

  it('grows its memory for slots reserved after its first use', () => {
    powModP(2n, 3n);
    const pages = fpKernel().memory.buffer.byteLength / 65536;
    const at = reserveSlots(65536 / SLOT + 1); // more than a page
    const last = at + (65536 / SLOT) * SLOT;
    expect(fpKernel().memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
    toMont(last, 12345n);
    expect(fromMont(last)).toBe(12345n);
    expect(powModP(3n, 5n)).toBe(243n);
  });
});
