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
