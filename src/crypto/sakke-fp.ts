/**
 * The WebAssembly F_p kernel of fp-wasm.ts for SAKKE's p (one instance per thread): the slots
 * of its memory, the constants its users share, Montgomery conversions, and exponentiation
 * for square roots (p ≡ 3 mod 4, RFC 6508 §2.1).
 */
import { createFpKernel, MONTGOMERY_R as R, readLimbs, SLOT, writeLimbs, type FpKernel } from './fp-wasm.js';
import { mod } from './modular.js';
import { SAKKE_P as p } from './params.js';

const PAGE = 65536;
const pagesFor = (bytes: number) => Math.ceil(bytes / PAGE);
let nextSlot = 0;
let kernel: FpKernel | undefined;

/**
 * Reserves `count` consecutive slots and returns the first one's byte offset. Modules reserve
 * their slots when they load; one loaded after the kernel's first use grows its memory.
 */
export function reserveSlots(count: number): number {
  nextSlot += count * SLOT;
  if (kernel) {
    const missing = pagesFor(nextSlot) - kernel.memory.buffer.byteLength / PAGE;
    if (missing > 0) kernel.memory.grow(missing);
  }
  return nextSlot - count * SLOT;
}

// Constants, as plain limbs.
export const ZERO = reserveSlots(1);
const ONE = reserveSlots(1); // multiplying by 1 leaves Montgomery form
/** 1 in Montgomery form, R mod p. */
export const R_MOD_P = reserveSlots(1);
const R2_MOD_P = reserveSlots(1); // multiplying by R² enters Montgomery form
/** k·p, to subtract a value below k·p as a + k·p − b. */
export const KP: Readonly<Record<2 | 4 | 6 | 8 | 16 | 18, number>> = {
  2: reserveSlots(1),
  4: reserveSlots(1),
  6: reserveSlots(1),
  8: reserveSlots(1),
  16: reserveSlots(1),
  18: reserveSlots(1),
};
const SCRATCH = reserveSlots(1);
const POW_WINDOW = 4;
const POW_TABLE = reserveSlots(1 << POW_WINDOW); // x^j for one 4-bit digit j
const POW_ACC = reserveSlots(1);

/** The kernel, created on first use. */
export function fpKernel(): FpKernel {
  if (kernel) return kernel;
  const k = createFpKernel(p, pagesFor(nextSlot));
  writeLimbs(k.memory, ZERO, 0n);
  writeLimbs(k.memory, ONE, 1n);
  writeLimbs(k.memory, R_MOD_P, R % p);
  writeLimbs(k.memory, R2_MOD_P, (R * R) % p);
  for (const [m, at] of Object.entries(KP)) writeLimbs(k.memory, at, BigInt(m) * p);
  return (kernel = k);
}

/** Writes x mod p at slot `at` in Montgomery form (< 2p). */
export function toMont(at: number, x: bigint): void {
  const k = fpKernel();
  writeLimbs(k.memory, at, mod(x, p));
  k.mul(at, at, R2_MOD_P);
}

/** The value at slot `at` (Montgomery form, any bound), in [0, p). */
export function fromMont(at: number): bigint {
  const k = fpKernel();
  k.mul(SCRATCH, at, ONE);
  const x = readLimbs(k.memory, SCRATCH) % p;
  new Uint8Array(k.memory.buffer, SCRATCH, SLOT).fill(0);
  return x;
}

/** Zeroes `count` slots from `at` (values that may be secret). */
export function clearSlots(at: number, count: number): void {
  new Uint8Array(fpKernel().memory.buffer, at, count * SLOT).fill(0);
}

/** x^e mod p for e ≥ 0, with a fixed 4-bit window (1020 squarings and 255 products for e ≈ p/4). */
export function powModP(x: bigint, e: bigint): bigint {
  const { mul, sqr, addSub } = fpKernel();
  const table = (j: number) => POW_TABLE + j * SLOT;
  addSub(table(0), R_MOD_P, ZERO, ZERO);
  toMont(table(1), x);
  for (let j = 2; j < 1 << POW_WINDOW; j++) mul(table(j), table(j - 1), table(1));
  addSub(POW_ACC, R_MOD_P, ZERO, ZERO);
  const hex = e.toString(16);
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) for (let s = 0; s < POW_WINDOW; s++) sqr(POW_ACC, POW_ACC);
    const d = parseInt(hex[i]!, 16);
    if (d) mul(POW_ACC, POW_ACC, table(d));
  }
  const r = fromMont(POW_ACC);
  clearSlots(POW_TABLE, (1 << POW_WINDOW) + 1);
  return r;
}

/** A square root of a mod p, or undefined when a is not a square (p ≡ 3 mod 4: a^((p+1)/4)). */
export function sqrtModP(a: bigint): bigint | undefined {
  const x = mod(a, p);
  const r = powModP(x, (p + 1n) / 4n);
  return (r * r) % p === x ? r : undefined;
}
