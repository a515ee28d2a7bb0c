/** Modular arithmetic on bigint shared by the SAKKE modules (moduli p and q of params.ts). */

/** a mod m in [0, m), for any sign of a. */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** a⁻¹ mod m by the extended Euclidean algorithm; throws RangeError when gcd(a, m) ≠ 1. */
export function invMod(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const qt = r0 / r1;
    const r2 = r0 - qt * r1;
    r0 = r1;
    r1 = r2;
    const t2 = t0 - qt * t1;
    t0 = t1;
    t1 = t2;
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return t0 < 0n ? t0 + m : t0;
}

/** b^e mod m (e ≥ 0) with a 4-bit fixed window. */
export function powMod(b: bigint, e: bigint, m: bigint): bigint {
  const base = mod(b, m);
  const table: bigint[] = [1n];
  for (let i = 1; i < 16; i++) table.push((table[i - 1]! * base) % m);
  const hex = e.toString(16);
  let acc = 1n;
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) for (let s = 0; s < 4; s++) acc = (acc * acc) % m;
    const d = parseInt(hex[i]!, 16);
    if (d) acc = (acc * table[d]!) % m;
  }
  return acc;
}

/** Square root mod a prime m ≡ 3 (mod 4), or undefined when a is not a square. */
export function sqrtMod3(a: bigint, m: bigint): bigint | undefined {
  const x = mod(a, m);
  const r = powMod(x, (m + 1n) / 4n, m);
  return (r * r) % m === x ? r : undefined;
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
