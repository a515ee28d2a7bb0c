/**
 * The reduced Tate–Lichtenbaum pairing <R,Q> of RFC 6508 §3.2 on E: y² = x³ − 3x:
 * Miller's algorithm for f_(R,q−1) evaluated at the distortion image [[Q]] = (−x_Q, i·y_Q),
 * then raised to c = (p+1)/q = 4 in PF_p = (F_p²)^× / (F_p)^× and written as the integer b/a.
 *
 * Because a value only matters up to a factor in F_p*, every F_p-valued factor may be dropped
 * (vertical lines at [[Q]] are −x_Q − x_C ∈ F_p, and the Z-powers that make the lines
 * projective), so the loop runs in Jacobian coordinates with no inversion. The one
 * inversion is the final b/a.
 */
import { SAKKE_P as p, SAKKE_Q as q } from './params.js';
import { fp2Sqr, pfToInteger } from './fp2.js';
import type { Point } from './sakke-curve.js';

/** Bits of q − 1 below the leading one, most significant first (the loop of RFC 6508 §3.2). */
const LOOP_BITS: Uint8Array = Uint8Array.from(
  (q - 1n)
    .toString(2)
    .slice(1)
    .split('')
    .map((b) => (b === '1' ? 1 : 0)),
);

/**
 * <R,Q> per RFC 6508 §3.2 for points R, Q of order q (callers decode them with the subgroup
 * check), as the integer that represents the PF_p value (g of RFC 6509 is <P,P>).
 */
export function pairing(R: Point, Q: Point): bigint {
  const xQ = Q.x;
  const yQ = Q.y;
  const xR = R.x;
  const yR = R.y;
  const xQR = xQ + xR;
  // C = R in Jacobian coordinates; v = 1 in F_p².
  let X = xR;
  let Y = yR;
  let Z = 1n;
  let v0 = 1n;
  let v1 = 0n;
  for (let i = 0; i < LOOP_BITS.length; i++) {
    // Tangent at C evaluated at [[Q]], scaled by 2y_C·Z⁶ ∈ F_p:
    //   l = α(x_Q·Z² + X) − 2Y² + i·(2YZ)·Z²·y_Q, α = 3(X² − Z⁴); then C = 2C.
    const delta = (Z * Z) % p;
    const gamma = (Y * Y) % p;
    const beta = (X * gamma) % p;
    const alpha = (3n * (X - delta) * (X + delta)) % p;
    const Z3 = (2n * Y * Z) % p;
    const l0 = (alpha * (((xQ * delta) % p) + X) - 2n * gamma) % p;
    const l1 = (((Z3 * delta) % p) * yQ) % p;
    const X3 = (alpha * alpha - 8n * beta) % p;
    Y = (alpha * (4n * beta - X3) - 8n * gamma * gamma) % p;
    X = X3;
    Z = Z3;
    // v = v² · l
    const s0 = ((v0 + v1) * (v0 - v1)) % p;
    const s1 = (2n * v0 * v1) % p;
    let t0 = s0 * l0;
    let t1 = s1 * l1;
    v0 = (t0 - t1) % p;
    v1 = ((s0 + s1) * (l0 + l1) - t0 - t1) % p;
    if (LOOP_BITS[i]) {
      // Line through C and R at [[Q]], scaled by 2(x_R − x_C)·Z³ ∈ F_p:
      //   l = r(x_Q + x_R) − y_R·Z₃ + i·Z₃·y_Q with r = 2(y_R·Z³ − Y), Z₃ = 2Z·H; then C = C + R.
      const Z1Z1 = (Z * Z) % p;
      const U2 = (xR * Z1Z1) % p;
      const S2 = (yR * ((Z * Z1Z1) % p)) % p;
      const H = U2 - X;
      if (H % p === 0n) throw new RangeError('pairing: input point is not of order q');
      const r = 2n * (S2 - Y);
      const HH = (H * H) % p;
      const I = 4n * HH;
      const J = (H * I) % p;
      const V = (X * I) % p;
      const X3a = (r * r - J - 2n * V) % p;
      Y = (r * (V - X3a) - 2n * Y * J) % p;
      X = X3a;
      Z = (2n * Z * H) % p;
      const m0 = (r * xQR - yR * Z) % p;
      const m1 = (Z * yQ) % p;
      t0 = v0 * m0;
      t1 = v1 * m1;
      const w1 = ((v0 + v1) * (m0 + m1) - t0 - t1) % p;
      v0 = (t0 - t1) % p;
      v1 = w1;
    }
  }
  // Final exponentiation in PF_p: v^((p+1)/q) = v⁴.
  return pfToInteger(fp2Sqr(fp2Sqr([v0, v1])));
}
