/**
 * The reduced Tate–Lichtenbaum pairing <R,Q> of RFC 6508 §3.2 on E: y² = x³ − 3x:
 * Miller's algorithm for f_(R,q−1) evaluated at the distortion image [[Q]] = (−x_Q, i·y_Q),
 * then raised to c = (p+1)/q = 4 in PF_p = (F_p²)^× / (F_p)^× and written as the integer b/a.
 *
 * A value only matters up to a factor in F_p^×, so every F_p-valued factor may be dropped:
 * vertical lines (at [[Q]] they are −x_Q − x_C ∈ F_p), the powers of Z that make lines
 * projective, the norm in 1/f = conj(f)/N(f), and the Montgomery factor R of the final f.
 * Hence the loop runs in Jacobian coordinates without inversions, and it walks q − 1 in
 * width-5 NAF: adding ±jR (odd j ≤ 15) multiplies by the precomputed f_(j,R)([[Q]]) or its
 * conjugate, which gives the same PF_p value as the bit-by-bit loop of the RFC with about
 * 170 additions instead of 512.
 *
 * The arithmetic runs on the WebAssembly kernel of fp-wasm.ts, every value in a slot of its
 * memory; the point steps are sakke-jacobian.ts's, and the lines read their intermediates.
 * Bounds: "< k·p" comments give each value's bound, which the kernel needs (its product
 * takes inputs whose bounds multiply to less than R/p ≈ 6832 and returns < 2p; a subtraction
 * a − b is written a + k·p − b with k·p ≥ b). The loop keeps X < 18p, Y < 18p, Z < 4p and
 * f < (4p, 6p).
 */
import { SAKKE_P as p, SAKKE_Q as q } from './params.js';
import { fp2Sqr, pfToInteger } from './fp2.js';
import { batchInvMod } from './modular.js';
import { readLimbs, SLOT, type FpKernel } from './fp-wasm.js';
import { clearSlots, fromMont, fpKernel, KP, R_MOD_P, reserveSlots, toMont, ZERO } from './sakke-fp.js';
import type { Point } from './sakke-curve.js';
import { JACOBIAN_TEMPS, jacobianSteps } from './sakke-jacobian.js';

const WINDOW = 5;
/** Odd multiples j = 1, 3, …, 2^WINDOW − 1 in the table, at index (j−1)/2. */
const ODD = 1 << (WINDOW - 1);

/** Width-5 NAF digits of q − 1, most significant first. */
const LOOP_DIGITS: Int8Array = (() => {
  const digits: number[] = [];
  const full = 1 << WINDOW;
  for (let k = q - 1n; k > 0n; k >>= 1n) {
    let d = 0;
    if (k & 1n) {
      d = Number(k & BigInt(full - 1));
      if (d >= full / 2) d -= full;
      k -= BigInt(d);
    }
    digits.push(d);
  }
  return Int8Array.from(digits.reverse());
})();

// The loop's slots (byte offsets in the kernel's memory), zeroed after each pairing: an RSK
// is a pairing argument.
const SLOT_COUNT = 20 + JACOBIAN_TEMPS + 7 * ODD;
const WORK = reserveSlots(SLOT_COUNT);
let nextSlot = WORK;
const take = (count: number): number => (nextSlot += count * SLOT) - count * SLOT;
const C = take(3); // the Jacobian point C of the loop
const [X, Y, Z] = [C, C + SLOT, C + 2 * SLOT];
const [V0, V1, L0, L1, XQ, YQ] = Array.from({ length: 6 }, () => take(1));
const [T0, T1, U0, U1, U2, U3] = Array.from({ length: 6 }, () => take(1));
const JACOBIAN = take(JACOBIAN_TEMPS);
const [F2_0, F2_1, X2, Y2, X2Q] = Array.from({ length: 5 }, () => take(1));
// Table of jR (affine) and f_(j,R)([[Q]]), with −y, x_Q + x and −Im f ready for the loop.
const [TX, TY, TNY, TXQ, TF0, TF1, TNF1] = Array.from({ length: 7 }, () => take(ODD));
const { 2: P2, 4: P4, 6: P6 } = KP;

/** The Miller loop's steps on kernel k (closures over it keep the hot calls direct). */
function millerSteps(k: FpKernel) {
  const { mul, sqr, add, addSub } = k;
  const copy = (to: number, from: number) => add(to, from, ZERO);
  const { startDouble, finishDouble, addAffine, delta, gamma, alpha, r } = jacobianSteps(JACOBIAN);

  /** (d0, d1) = (a0 + i·a1)(b0 + i·b1), Karatsuba; returns < (4p, 6p). Inputs may alias d. */
  const fp2Mul = (d0: number, d1: number, a0: number, a1: number, b0: number, b1: number) => {
    mul(U0, a0, b0);
    mul(U1, a1, b1);
    add(U2, a0, a1);
    add(U3, b0, b1);
    mul(U2, U2, U3);
    addSub(d0, U0, P2, U1);
    add(U0, U0, U1);
    addSub(d1, U2, P4, U0);
  };

  /**
   * C = 2C (dbl-2001-b, a = −3), and the tangent at C evaluated at [[Q]], scaled by 2y_C·Z⁶ ∈ F_p:
   * l = α(x_Q·δ + X) − 2γ + i·Z₃·δ·y_Q, with δ = Z², γ = Y², α = 3(X² − δ²), Z₃ = 2YZ.
   */
  const doubleStep = () => {
    startDouble(C); // X is still C's, Z is Z₃
    mul(T1, XQ, delta);
    add(T1, T1, X); // < 20p
    mul(L0, alpha, T1);
    add(T1, gamma, gamma);
    addSub(L0, L0, P4, T1); // l0 < 6p
    mul(L1, Z, delta);
    mul(L1, L1, YQ); // l1 < 2p
    finishDouble(C);
  };

  /**
   * C = C + A for the affine A = (x_A, y_A) (madd-2007-bl), and the line through them evaluated
   * at [[Q]], scaled by 2(x_A − x_C)·Z³ ∈ F_p: l = r(x_Q + x_A) − y_A·Z₃ + i·Z₃·y_Q, with
   * r = 2(y_A·Z³ − Y), H = x_A·Z² − X and Z₃ = 2ZH. Arguments are slots, x_A, y_A < 2p.
   */
  const addStep = (xA: number, yA: number, xQA: number) => {
    addAffine(C, xA, yA); // r < 40p, Z is Z₃ < 4p
    mul(L0, r, xQA);
    mul(T1, yA, Z);
    addSub(L0, L0, P2, T1); // l0 < 4p
    mul(L1, Z, YQ); // l1 < 2p
  };

  /** v = v² · l: (v0 + v1)(v0 − v1) + i·2v0v1, then the product with l. */
  const squareTimesLine = () => {
    add(T0, V0, V1); // < 10p
    addSub(T1, V0, P6, V1); // < 10p
    mul(T0, T0, T1);
    mul(T1, V0, V1);
    add(T1, T1, T1); // < 4p
    fp2Mul(V0, V1, T0, T1, L0, L1);
  };

  /** Affine forms of Jacobian points with one shared inversion; throws on O (an exceptional case). */
  const affine = (xs: bigint[], ys: bigint[], zs: bigint[]) => {
    if (zs.some((z) => z === 0n)) throw new RangeError('pairing: input point is not of order q');
    const zi = batchInvMod(zs, p);
    return zs.map((_, i) => {
      const zi2 = (zi[i]! * zi[i]!) % p;
      return { x: (xs[i]! * zi2) % p, y: (((ys[i]! * zi2) % p) * zi[i]!) % p };
    });
  };

  /** Fills the table: odd multiples jR and f_(j,R)([[Q]]), with f_1 = 1. */
  const precompute = (Rpt: Point) => {
    toMont(TX, Rpt.x);
    toMont(TY, Rpt.y);
    const startAtR = () => {
      copy(X, TX);
      copy(Y, TY);
      copy(Z, R_MOD_P);
    };
    startAtR();
    const xs = [Rpt.x];
    const ys = [Rpt.y];
    const zs = [1n];
    doubleStep();
    copy(F2_0, L0); // f_2 = l_(R,R)
    copy(F2_1, L1);
    const [two] = affine([fromMont(X)], [fromMont(Y)], [fromMont(Z)]);
    toMont(X2, two!.x);
    toMont(Y2, two!.y);
    add(X2Q, XQ, X2);
    startAtR();
    copy(TF0, R_MOD_P);
    copy(TF1, ZERO);
    // f_(j+2) = f_j · f_2 · l_(jR, 2R), the vertical line being in F_p.
    for (let i = 1; i < ODD; i++) {
      const f0 = TF0 + i * SLOT;
      const f1 = TF1 + i * SLOT;
      addStep(X2, Y2, X2Q);
      xs.push(fromMont(X));
      ys.push(fromMont(Y));
      zs.push(fromMont(Z));
      fp2Mul(f0, f1, f0 - SLOT, f1 - SLOT, F2_0, F2_1);
      fp2Mul(f0, f1, f0, f1, L0, L1);
    }
    affine(xs, ys, zs).forEach((pt, i) => {
      const o = i * SLOT;
      toMont(TX + o, pt.x);
      toMont(TY + o, pt.y);
      addSub(TNY + o, P2, ZERO, TY + o);
      add(TXQ + o, XQ, TX + o);
      addSub(TNF1 + o, P6, ZERO, TF1 + o);
    });
  };

  return { copy, fp2Mul, doubleStep, addStep, squareTimesLine, precompute };
}

let steps: ReturnType<typeof millerSteps> | undefined;

/**
 * <R,Q> per RFC 6508 §3.2 for points R, Q of order q (callers decode them with the subgroup
 * check), as the integer that represents the PF_p value: <P,P> is g of RFC 6509 Appendix A.
 * @throws RangeError if R turns out not to have order q.
 */
export function pairing(Rpt: Point, Q: Point): bigint {
  const k = fpKernel();
  const s = (steps ??= millerSteps(k));
  try {
    toMont(XQ, Q.x);
    toMont(YQ, Q.y);
    s.precompute(Rpt);
    const top = (LOOP_DIGITS[0]! - 1) >> 1;
    s.copy(X, TX + top * SLOT);
    s.copy(Y, TY + top * SLOT);
    s.copy(Z, R_MOD_P);
    s.copy(V0, TF0 + top * SLOT);
    s.copy(V1, TF1 + top * SLOT);
    for (let i = 1; i < LOOP_DIGITS.length; i++) {
      s.doubleStep();
      s.squareTimesLine();
      const d = LOOP_DIGITS[i]!;
      if (d !== 0) {
        // v = v · f_(±j) · l_(C,±jR); C = C ± jR, where f_(−j) ~ conj(f_j); f_1 = 1.
        const o = ((Math.abs(d) - 1) >> 1) * SLOT;
        s.addStep(TX + o, (d > 0 ? TY : TNY) + o, TXQ + o);
        if (o > 0) s.fp2Mul(L0, L1, L0, L1, TF0 + o, (d > 0 ? TF1 : TNF1) + o);
        s.fp2Mul(V0, V1, V0, V1, L0, L1);
      }
    }
    // An exceptional addition (C = ±jR, only for R not of order q) makes Z ≡ 0 from then on.
    if (fromMont(Z) === 0n) throw new RangeError('pairing: input point is not of order q');
    // Final exponentiation in PF_p: v^((p+1)/q) = v⁴. The factor R of Montgomery form is in F_p.
    const v0 = readLimbs(k.memory, V0) % p;
    const v1 = readLimbs(k.memory, V1) % p;
    return pfToInteger(fp2Sqr(fp2Sqr([v0, v1])));
  } finally {
    clearSlots(WORK, SLOT_COUNT);
  }
}
