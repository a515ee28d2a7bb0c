/**
 * Point doubling and mixed addition on E: y² = x³ − 3x in Jacobian coordinates on the
 * WebAssembly F_p kernel (sakke-fp.ts), shared by Straus's method (sakke-straus.ts), the
 * fixed-base tree sums and the Miller loop (pairing.ts). The Miller loop evaluates its lines
 * from the intermediates these steps leave in named slots, so the doubling is split where the
 * tangent needs the old X: {@link startDouble} leaves X and Y, {@link finishDouble} replaces them.
 *
 * Bounds (fp-wasm.ts): "< k·p" comments give each value's bound; the kernel's product takes
 * inputs whose bounds multiply to less than R/p ≈ 6832 and a − b is written a + k·p − b with
 * k·p ≥ b. A Jacobian point is three slots X, Y, Z from its offset, with X, Y < 18p and
 * Z < 4p; an affine addend may be up to 3000p.
 */
import { SLOT } from './fp-wasm.js';
import { fpKernel, KP } from './sakke-fp.js';

/** Slots of temporaries that {@link jacobianSteps} needs; its callers zero them after use. */
export const JACOBIAN_TEMPS = 6;

const { 2: P2, 4: P4, 6: P6, 8: P8, 16: P16, 18: P18 } = KP;

/** The kernel's point steps, with temporaries in the JACOBIAN_TEMPS slots from `temps`. */
export function jacobianSteps(temps: number) {
  const { mul, sqr, add, addSub } = fpKernel();
  const [T0, T1, T2, H, RR, J] = Array.from({ length: JACOBIAN_TEMPS }, (_, i) => temps + i * SLOT);
  // The doubling's terms, in slots the addition also uses: δ = Z², γ = Y², β = X·γ, α = 3(X² − δ²).
  const [D, G, B, A] = [H, J, T2, RR];

  /**
   * First half of C = 2C (dbl-2001-b, a = −3): δ, γ, β, α and Z₃ = 2YZ (written to C's Z);
   * X and Y are still C's, for a line through C.
   */
  const startDouble = (C: number) => {
    const X = C;
    const Y = C + SLOT;
    const Z = C + 2 * SLOT;
    sqr(D, Z); // δ < 2p
    sqr(G, Y); // γ < 2p
    mul(B, X, G); // β < 2p
    addSub(T0, X, P2, D); // < 20p
    add(T1, X, D); // < 20p
    mul(T0, T0, T1);
    add(A, T0, T0);
    add(A, A, T0); // α < 6p
    mul(T1, Y, Z);
    add(Z, T1, T1); // Z₃ < 4p
  };

  /** Second half of C = 2C after {@link startDouble}: X₃ and Y₃ from α, β, γ. */
  const finishDouble = (C: number) => {
    const X = C;
    const Y = C + SLOT;
    add(B, B, B);
    add(B, B, B); // 4β < 8p
    add(T0, B, B); // 8β < 16p
    sqr(X, A);
    addSub(X, X, P16, T0); // X₃ = α² − 8β < 18p
    addSub(T0, B, P18, X); // < 26p
    mul(T0, A, T0);
    sqr(G, G);
    add(G, G, G);
    add(G, G, G);
    add(G, G, G); // 8γ² < 16p
    addSub(Y, T0, P16, G); // Y₃ = α(4β − X₃) − 8γ² < 18p
  };

  /** C = 2C (dbl-2001-b, a = −3). */
  const double = (C: number) => {
    startDouble(C);
    finishDouble(C);
  };

  /**
   * C = C + (x, y) for affine slots x, y (madd-2007-bl). Leaves r = 2(y·Z³ − Y) < 40p in
   * slot `r` and Z₃ = 2ZH in C's Z, where H = x·Z² − X.
   */
  const addAffine = (C: number, x: number, y: number) => {
    const X = C;
    const Y = C + SLOT;
    const Z = C + 2 * SLOT;
    sqr(T0, Z);
    mul(T1, x, T0); // U₂
    mul(T0, Z, T0);
    mul(T0, y, T0); // S₂
    addSub(H, T1, P18, X); // H < 20p
    addSub(T0, T0, P18, Y);
    add(RR, T0, T0); // r < 40p
    sqr(T1, H);
    add(T1, T1, T1);
    add(T1, T1, T1); // I = 4H² < 8p
    mul(J, H, T1);
    mul(T1, X, T1); // V
    mul(Z, Z, H);
    add(Z, Z, Z); // Z₃ < 4p
    sqr(X, RR);
    add(T2, T1, T1);
    add(T2, T2, J); // 2V + J < 6p
    addSub(X, X, P6, T2); // X₃ = r² − J − 2V < 8p
    addSub(T1, T1, P8, X); // < 10p
    mul(T1, RR, T1);
    mul(J, Y, J);
    add(J, J, J);
    addSub(Y, T1, P4, J); // Y₃ = r(V − X₃) − 2YJ < 6p
  };

  return {
    startDouble,
    finishDouble,
    double,
    addAffine,
    /** Slots of {@link startDouble}'s δ = Z² < 2p, γ = Y² < 2p and α = 3(X² − δ²) < 6p. */
    delta: D,
    gamma: G,
    alpha: A,
    /** Slot of {@link addAffine}'s r < 40p. */
    r: RR,
  };
}
