/** Modular arithmetic on bigint shared by the SAKKE modules (moduli p and q of params.ts). */

/** a mod m in [0, m), for any sign of a. */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Bit length of x > 0, given an upper bound `hint` (cheap when the hint is close). */
function bitLength(x: bigint, hint: number): number {
  let n = hint;
  for (;;) {
    const s = n > 53 ? n - 53 : 0;
    const top = Number(x >> BigInt(s));
    if (top === 0) {
      n = s;
      continue;
    }
    let b = Math.floor(Math.log2(top)) + 1;
    if (2 ** (b - 1) > top) b--;
    else if (2 ** b <= top) b++;
    return s + b;
  }
}

/** Leading bits Lehmer's steps simulate in doubles: cofactors stay below 2^50, exact in a double. */
const LEHMER_DIGIT = 50;

/**
 * a⁻¹ mod m by Lehmer's extended Euclidean algorithm (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L):
 * runs of quotient steps are simulated on the leading 50 bits in doubles and then applied to
 * the full numbers as one 2×2 cofactor matrix, about three times faster than one bigint
 * division per step. Throws RangeError when gcd(a, m) ≠ 1.
 */
export function invMod(a: bigint, m: bigint): bigint {
  let u = m;
  let v = mod(a, m);
  // Invariants: u ≡ t0·a and v ≡ t1·a (mod m).
  let t0 = 0n;
  let t1 = 1n;
  let n = bitLength(u, m.toString(16).length * 4);
  while (v !== 0n) {
    n = bitLength(u, n);
    let A = 1;
    let B = 0;
    let C = 0;
    let D = 1;
    if (n > 62) {
      const shift = BigInt(n - LEHMER_DIGIT);
      let uh = Number(u >> shift);
      let vh = Number(v >> shift);
      // Take quotient steps while the leading digits determine the quotient unambiguously.
      while (vh + C !== 0 && vh + D !== 0) {
        const qt = Math.floor((uh + A) / (vh + C));
        if (qt !== Math.floor((uh + B) / (vh + D))) break;
        let t = A - qt * C;
        A = C;
        C = t;
        t = B - qt * D;
        B = D;
        D = t;
        t = uh - qt * vh;
        uh = vh;
        vh = t;
      }
    }
    if (B === 0) {
      // No simulated step: one full-precision step.
      const qt = u / v;
      const r = u - qt * v;
      u = v;
      v = r;
      const t = t0 - qt * t1;
      t0 = t1;
      t1 = t;
    } else {
      const bA = BigInt(A);
      const bB = BigInt(B);
      const bC = BigInt(C);
      const bD = BigInt(D);
      const nu = bA * u + bB * v;
      v = bC * u + bD * v;
      u = nu;
      const nt = bA * t0 + bB * t1;
      t1 = bC * t0 + bD * t1;
      t0 = nt;
    }
  }
  if (u !== 1n) throw new RangeError('not invertible');
  return mod(t0, m);
}

/** Jacobi symbol (a/n) for odd n > 0: for a prime n, 1 if a is a non-zero square mod n, −1 if not, 0 if n | a. */
export function jacobi(a: bigint, n: bigint): number {
  a = mod(a, n);
  let t = 1;
  while (a !== 0n) {
    // Strip factors of two: (2/n) = −1 exactly when n ≡ 3, 5 (mod 8).
    let z = 0;
    while ((a & 0xffffffffn) === 0n) {
      a >>= 32n;
      z += 32;
    }
    const low = Number(a & 0xffffffffn);
    const tz = 31 - Math.clz32(low & -low);
    if (tz) {
      a >>= BigInt(tz);
      z += tz;
    }
    const n8 = Number(n & 7n);
    if (z & 1 && (n8 === 3 || n8 === 5)) t = -t;
    // Reciprocity: flip when both are ≡ 3 (mod 4).
    if ((Number(a & 3n) & n8 & 3) === 3) t = -t;
    const r = n % a;
    n = a;
    a = r;
  }
  return n === 1n ? t : 0;
}

/**
 * The inverses of all `values` mod m with one modular inversion and 3 products each
 * (Montgomery's trick). Every value must be invertible (callers rule out zero).
 */
export function batchInvMod(values: readonly bigint[], m: bigint): bigint[] {
  const prefix: bigint[] = new Array(values.length);
  let acc = 1n;
  for (let i = 0; i < values.length; i++) {
    prefix[i] = acc;
    acc = (acc * values[i]!) % m;
  }
  let inv = invMod(acc, m);
  const out: bigint[] = new Array(values.length);
  for (let i = values.length - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]!) % m;
    inv = (inv * values[i]!) % m;
  }
  return out;
}
