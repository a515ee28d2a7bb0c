/**
 * F_p arithmetic for the pairing's Miller loop and square roots, as generated WebAssembly:
 * Montgomery multiplication (Dussé–Kaliski product scanning, Koç–Acar–Kaliski 1996 "FIPS")
 * on 37 limbs of 28 bits, fully unrolled. Node's BigInt spends most of a step in allocation
 * and in `%`; here a product of 28-bit limbs is below 2^56, so a column of products adds up
 * in one i64 without carry handling, and no value is allocated. The module is built when
 * first needed (a few milliseconds) from the generators below; no .wasm file is checked in.
 *
 * Elements live in linear memory at byte offsets the caller chooses (slots of SLOT bytes,
 * one i64 per limb, little-endian limb order). Values are kept in Montgomery form x·R mod p,
 * R = 2^1036, and are *not* fully reduced: the caller tracks a bound B (value < B·p) for each.
 * mul needs B_a·B_b < R/p ≈ 6832 and then returns a value < 2p, since
 * (a·b + m·p)/R < a·b/R + p. Every other result is exact (no reduction) and must stay < R.
 */
import { encodeModule, I32, I64, op, uleb, sleb, type WasmFunction } from './wasm-encoder.js';

const LIMB_BITS = 28;
const LIMBS = 37; // 37·28 = 1036 ≥ 1024 + 12 bits of headroom for lazy reduction
export const SLOT = LIMBS * 8;
/** The Montgomery radix R = 2^(28·37). */
export const MONTGOMERY_R = 1n << BigInt(LIMB_BITS * LIMBS);
const MASK = (1n << BigInt(LIMB_BITS)) - 1n;

/** Limbs of 0 ≤ x < 2^1036, least significant first (28 bits = 7 hex digits each). */
function limbsOf(x: bigint): number[] {
  const hex = x.toString(16).padStart(LIMBS * 7, '0');
  const out: number[] = [];
  for (let j = 0; j < LIMBS; j++) out.push(parseInt(hex.slice(hex.length - 7 * (j + 1), hex.length - 7 * j), 16));
  return out;
}

// Local indices are LEB128 (the product kernels have more than 127 locals).
const get = (i: number) => [op.localGet, ...uleb(i)];
const set = (i: number) => [op.localSet, ...uleb(i)];
const tee = (i: number) => [op.localTee, ...uleb(i)];
const load = (base: number, limb: number): number[] => [...get(base), op.i64Load, 3, ...uleb(8 * limb)];

/** Limbs in the low half of a Karatsuba split (the high half has LIMBS − SPLIT = 18). */
const SPLIT = 19;

/**
 * mul(d, a, b): d = a·b·R⁻¹ mod p (< 2p, see above), or with `square` sqr(d, a): d = a²·R⁻¹.
 * d may alias the inputs. The product a·b is one level of Karatsuba: with a = a_L + a_H·x,
 * x = 2^(28·19), it takes a_L·b_L, a_H·b_H and (a_L + a_H)(b_L + b_H) (1046 limb products,
 * not 1369; the sums' 29-bit limbs keep a column below 2^63); a square sums each cross
 * product a_j·a_k (j < k) once and doubles it (551). Its columns then feed the reduction,
 * which interleaves m·p column by column (Dussé–Kaliski).
 */
function montgomery(p: bigint, square: boolean): WasmFunction {
  const P = limbsOf(p);
  // p' = −p⁻¹ mod 2^28 by Newton iteration (each step doubles the correct low bits).
  const m = 1n << BigInt(LIMB_BITS);
  let inv = 1n;
  for (let i = 0; i < 5; i++) inv = (inv * (2n - ((p % m) * inv) % m)) % m;
  const pInv = (m - inv) % m;
  const P_CONST = P.map((limb) => [op.i64Const, ...sleb(BigInt(limb))]); // i64.const p_j
  const HIGH = LIMBS - SPLIT;
  // Locals after the parameters: limbs of a (and b), m, t, a doubling temporary, the halves'
  // sums, and the columns of the three half products.
  const args = square ? 2 : 3;
  const A = args;
  const B = square ? A : A + LIMBS;
  const M = B + LIMBS;
  const T = M + LIMBS;
  const CROSS = T + 1;
  const SA = CROSS + 1;
  const SB = square ? SA : SA + SPLIT;
  const LL = SB + SPLIT;
  const HH = LL + 2 * SPLIT - 1;
  const MM = HH + 2 * HIGH - 1;
  const END = MM + 2 * SPLIT - 1;
  const body: number[] = [];
  const term = (x: number, y: number[]) => [...get(x), ...y, op.i64Mul, op.i64Add];
  /** Column k of the product of n-limb locals x·y (or x² when square) into local `to`. */
  const column = (to: number, x: number, y: number, n: number, k: number) => {
    const lo = Math.max(0, k - n + 1);
    body.push(op.i64Const, 0);
    if (square) {
      for (let j = lo; j < k - j; j++) body.push(...term(x + j, get(x + k - j)));
      body.push(...tee(CROSS), ...get(CROSS), op.i64Add);
      if (k % 2 === 0) body.push(...term(x + k / 2, get(x + k / 2)));
    } else {
      for (let j = lo; j <= Math.min(k, n - 1); j++) body.push(...term(x + j, get(y + k - j)));
    }
    body.push(...set(to));
  };
  for (let j = 0; j < LIMBS; j++) body.push(...load(1, j), ...set(A + j));
  if (!square) for (let j = 0; j < LIMBS; j++) body.push(...load(2, j), ...set(B + j));
  for (let j = 0; j < SPLIT; j++) {
    for (const [S, X] of square ? [[SA, A]] : [[SA, A], [SB, B]]) {
      body.push(...get(X! + j));
      if (j < HIGH) body.push(...get(X! + j + SPLIT), op.i64Add);
      body.push(...set(S! + j));
    }
  }
  for (let k = 0; k < 2 * SPLIT - 1; k++) column(LL + k, A, B, SPLIT, k);
  for (let k = 0; k < 2 * HIGH - 1; k++) column(HH + k, A + SPLIT, B + SPLIT, HIGH, k);
  for (let k = 0; k < 2 * SPLIT - 1; k++) column(MM + k, SA, SB, SPLIT, k);
  body.push(op.i64Const, 0, ...set(T));
  for (let i = 0; i < 2 * LIMBS - 1; i++) {
    // t += column i of a·b = LL_i + (MM − LL − HH)_(i−19) + HH_(i−38).
    body.push(...get(T));
    if (i < 2 * SPLIT - 1) body.push(...get(LL + i), op.i64Add);
    const k = i - SPLIT;
    if (k >= 0 && k < 2 * SPLIT - 1) {
      body.push(...get(MM + k), op.i64Add, ...get(LL + k), op.i64Sub);
      if (k < 2 * HIGH - 1) body.push(...get(HH + k), op.i64Sub);
    }
    const h = i - 2 * SPLIT;
    if (h >= 0 && h < 2 * HIGH - 1) body.push(...get(HH + h), op.i64Add);
    // t += Σ m_j·p_(i−j) for the m_j known so far.
    for (let j = Math.max(0, i - LIMBS + 1); j < Math.min(i, LIMBS); j++)
      if (P[i - j]) body.push(...term(M + j, P_CONST[i - j]!));
    if (i < LIMBS) {
      // m_i makes column i divisible by 2^28; then t = (t + m_i·p_0) / 2^28.
      body.push(...tee(T), op.i64Const, ...sleb(MASK), op.i64And, op.i64Const, ...sleb(pInv), op.i64Mul);
      body.push(op.i64Const, ...sleb(MASK), op.i64And, ...tee(M + i));
      body.push(...P_CONST[0]!, op.i64Mul, ...get(T), op.i64Add);
    } else {
      body.push(...set(T), ...get(0), ...get(T), op.i64Const, ...sleb(MASK), op.i64And);
      body.push(op.i64Store, 3, ...uleb(8 * (i - LIMBS)), ...get(T));
    }
    body.push(op.i64Const, LIMB_BITS, op.i64ShrU, ...set(T));
  }
  body.push(...get(0), ...get(T), op.i64Store, 3, ...uleb(8 * (LIMBS - 1)));
  const locals = Array(END - args).fill(I64);
  return { name: square ? 'sqr' : 'mul', params: Array(args).fill(I32), locals, body };
}

/**
 * A limb-wise linear combination with carry propagation: d_j = Σ terms, then carries.
 * Each term is [sign, param]: the limb of the operand at that param's offset; the first is
 * positive. The carry is added last, so limb to limb depends on two instructions only.
 */
function combine(name: string, terms: [1 | -1, number][], params: number): WasmFunction {
  const C = params;
  const body: number[] = [op.i64Const, 0, ...set(C)];
  for (let j = 0; j < LIMBS; j++) {
    body.push(...get(0));
    terms.forEach(([sign, param], i) => {
      body.push(...load(param, j));
      if (i > 0) body.push(sign > 0 ? op.i64Add : op.i64Sub);
    });
    body.push(...get(C), op.i64Const, LIMB_BITS, op.i64ShrS, op.i64Add);
    body.push(...tee(C), op.i64Const, ...sleb(MASK), op.i64And, op.i64Store, 3, ...uleb(8 * j));
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
