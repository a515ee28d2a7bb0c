/**
 * F_p arithmetic for the pairing's Miller loop as generated WebAssembly: Montgomery
 * multiplication (Dussé–Kaliski product scanning, Koç–Acar–Kaliski 1996 "FIPS") on 37 limbs
 * of 28 bits, fully unrolled. Node's BigInt spends most of a step in allocation and in `%`;
 * here a product of 28-bit limbs is below 2^56, so a column of up to 74 of them adds up in
 * one i64 without carry handling, and no value is allocated.
 *
 * Elements live in linear memory at byte offsets the caller chooses (slots of SLOT bytes,
 * one i64 per limb, little-endian limb order). Values are kept in Montgomery form x·R mod p,
 * R = 2^1036, and are *not* fully reduced: the caller tracks a bound B (value < B·p) for each.
 * mul needs B_a·B_b < R/p ≈ 6832 and then returns a value < 2p, since
 * (a·b + m·p)/R < a·b/R + p. Every other result is exact (no reduction) and must stay < R.
 */
import { encodeModule, I32, I64, op, uleb, sleb, type WasmFunction } from './wasm-encoder.js';

const LIMB_BITS = 28;
export const LIMBS = 37; // 37·28 = 1036 ≥ 1024 + 12 bits of headroom for lazy reduction
export const SLOT = LIMBS * 8;
const MASK = (1n << BigInt(LIMB_BITS)) - 1n;

/** Limbs of 0 ≤ x < 2^1036, least significant first (28 bits = 7 hex digits each). */
function limbsOf(x: bigint): number[] {
  const hex = x.toString(16).padStart(LIMBS * 7, '0');
  const out: number[] = [];
  for (let j = 0; j < LIMBS; j++) out.push(parseInt(hex.slice(hex.length - 7 * (j + 1), hex.length - 7 * j), 16));
  return out;
}

const load = (base: number, limb: number): number[] => [op.localGet, base, op.i64Load, 3, ...uleb(8 * limb)];

/**
 * mul(d, a, b): d = a·b·R⁻¹ mod p (< 2p, see above), or with `square` sqr(d, a): d = a²·R⁻¹,
 * which sums each cross product a_j·a_k (j < k) once and doubles the sum: 703 limb products
 * instead of 1369 for the a² half. d may alias the inputs.
 */
function montgomery(p: bigint, square: boolean): WasmFunction {
  const P = limbsOf(p);
  // p' = −p⁻¹ mod 2^28 by Newton iteration (each step doubles the correct low bits).
  const m = 1n << BigInt(LIMB_BITS);
  let inv = 1n;
  for (let i = 0; i < 5; i++) inv = (inv * (2n - ((p % m) * inv) % m)) % m;
  const pInv = (m - inv) % m;
  const args = square ? 2 : 3;
  const A = args;
  const B = square ? A : A + LIMBS;
  const M = B + LIMBS;
  const T = M + LIMBS;
  const CROSS = T + 1;
  const body: number[] = [];
  for (let j = 0; j < LIMBS; j++) body.push(...load(1, j), op.localSet, A + j);
  if (!square) for (let j = 0; j < LIMBS; j++) body.push(...load(2, j), op.localSet, B + j);
  body.push(op.i64Const, 0, op.localSet, T);
  const term = (x: number, y: number[]) => [op.localGet, x, ...y, op.i64Mul, op.i64Add];
  for (let i = 0; i < 2 * LIMBS - 1; i++) {
    const lo = Math.max(0, i - LIMBS + 1);
    const hi = Math.min(i, LIMBS - 1);
    if (square) {
      // t += 2·Σ_(j < i−j) a_j·a_(i−j) + a_(i/2)²: at most 18 cross products, so 2·Σ < 2^62.
      body.push(op.i64Const, 0);
      for (let j = lo; j < i - j; j++) body.push(...term(A + j, [op.localGet, A + i - j]));
      body.push(op.localTee, CROSS, op.localGet, CROSS, op.i64Add, op.localGet, T, op.i64Add);
      if (i % 2 === 0) body.push(...term(A + i / 2, [op.localGet, A + i / 2]));
    } else {
      body.push(op.localGet, T);
      for (let j = lo; j <= hi; j++) body.push(...term(A + j, [op.localGet, B + i - j]));
    }
    for (let j = lo; j <= hi; j++)
      if (j < i && P[i - j]) body.push(...term(M + j, [op.i64Const, ...sleb(BigInt(P[i - j]!))]));
    if (i < LIMBS) {
      // m_i makes column i divisible by 2^28; then t = (t + m_i·p_0) / 2^28.
      body.push(op.localTee, T, op.i64Const, ...sleb(MASK), op.i64And, op.i64Const, ...sleb(pInv), op.i64Mul);
      body.push(op.i64Const, ...sleb(MASK), op.i64And, op.localTee, M + i);
      body.push(op.i64Const, ...sleb(BigInt(P[0]!)), op.i64Mul, op.localGet, T, op.i64Add);
    } else {
      body.push(op.localSet, T, op.localGet, 0, op.localGet, T, op.i64Const, ...sleb(MASK), op.i64And);
      body.push(op.i64Store, 3, ...uleb(8 * (i - LIMBS)), op.localGet, T);
    }
    body.push(op.i64Const, LIMB_BITS, op.i64ShrU, op.localSet, T);
  }
  body.push(op.localGet, 0, op.localGet, T, op.i64Store, 3, ...uleb(8 * (LIMBS - 1)));
  const locals = Array(CROSS + 1 - args).fill(I64);
  return { name: square ? 'sqr' : 'mul', params: Array(args).fill(I32), locals, body };
}

/**
 * A limb-wise linear combination with carry propagation: d_j = Σ terms, then carries.
 * Each term is [sign, param]: the limb of the operand at that param's offset.
 */
function combine(name: string, terms: [1 | -1, number][], params: number): WasmFunction {
  const C = params;
  const body: number[] = [op.i64Const, 0, op.localSet, C];
  for (let j = 0; j < LIMBS; j++) {
    body.push(op.localGet, 0, op.localGet, C, op.i64Const, LIMB_BITS, op.i64ShrS);
    for (const [sign, param] of terms) body.push(...load(param, j), sign > 0 ? op.i64Add : op.i64Sub);
    body.push(op.localTee, C, op.i64Const, ...sleb(MASK), op.i64And, op.i64Store, 3, ...uleb(8 * j));
  }
  return { name, params: Array(params).fill(I32), locals: [I64], body };
}

/** The kernel's exports; every argument is a byte offset into `memory`. */
export interface FpKernel {
  memory: WebAssembly.Memory;
  /** d = a·b·R⁻¹ (Montgomery product), < 2p. */
  mul(d: number, a: number, b: number): void;
  /** d = a²·R⁻¹, as mul(d, a, a) but cheaper. */
  sqr(d: number, a: number): void;
  /** d = a + b. */
  add(d: number, a: number, b: number): void;
  /** d = a + b − c, which must be ≥ 0: b is a multiple of p at least c for a subtraction. */
  addSub(d: number, a: number, b: number, c: number): void;
}

/** Compiles the kernel for the odd modulus p < 2^1024 with `pages` of memory. */
export function createFpKernel(p: bigint, pages: number): FpKernel {
  const bytes = encodeModule(pages, [
    montgomery(p, false),
    montgomery(p, true),
    combine('add', [[1, 1], [1, 2]], 3),
    combine('addSub', [[1, 1], [1, 2], [-1, 3]], 4),
  ]);
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  return exports as unknown as FpKernel;
}

/** Writes 0 ≤ x < 2^1036 as plain limbs (no Montgomery conversion) at byte offset `at`. */
export function writeLimbs(memory: WebAssembly.Memory, at: number, x: bigint): void {
  const words = new Uint32Array(memory.buffer, at, 2 * LIMBS);
  limbsOf(x).forEach((limb, j) => {
    words[2 * j] = limb;
    words[2 * j + 1] = 0;
  });
}

/** Reads the plain limbs at byte offset `at` as a bigint. */
export function readLimbs(memory: WebAssembly.Memory, at: number): bigint {
  const words = new Uint32Array(memory.buffer, at, 2 * LIMBS);
  let hex = '';
  for (let j = LIMBS - 1; j >= 0; j--) hex += words[2 * j]!.toString(16).padStart(7, '0');
  return BigInt('0x' + hex);
}
