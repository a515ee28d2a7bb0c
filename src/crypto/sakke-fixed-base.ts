/**
 * [k]P for the base point P of RFC 6509 through a fixed-base table, on the WebAssembly F_p
 * kernel of sakke-fp.ts: RSK issuing (RFC 6508 §6.1.1) and the right-hand side of its check.
 *
 * The table (entry (i, j) = j·2^(10i)·P, j = 1..512, in Montgomery form, ~31 MB of the
 * kernel's memory) is built once per thread. With signed base-2^10 digits of k, [k]P is a sum
 * of ⌈1023/10⌉ entries and no doublings; the sums are balanced trees of affine additions
 * whose levels share one inversion across every sum of a call (Montgomery's trick), 6
 * products per addition; a level of fewer than 8 pairs is not worth its inversion, and the
 * sums finish by Jacobian mixed additions (sakke-jacobian.ts) instead. Values are lazily
 * reduced (see fp-wasm.ts): each tree level has bounds x < b_x·p, y < b_y·p that grow level
 * by level, tracked here at run time; they allow 9 levels (512 summands) before a product's
 * inputs would be too large, and [k]P needs 7.
 * A pair with equal or opposite summands (x₁ ≡ x₂) cannot take the affine formula: its sum
 * leaves the tree and is finished exactly by the general law of sakke-curve.ts.
 */
import { MONTGOMERY_R, SLOT, writeLimbs } from './fp-wasm.js';
import { invMod, mod } from './modular.js';
import { SAKKE_P as p, SAKKE_Q as q } from './params.js';
import { addPoints, BASE_POINT, multiplyPoint, type Point } from './sakke-curve.js';
import { SlotArena } from './sakke-arena.js';
import { JACOBIAN_TEMPS, jacobianSteps } from './sakke-jacobian.js';
import { jacobianToAffine } from './sakke-straus.js';
import { fpKernel, fromMont, R_MOD_P, reserveSlots, toMont, ZERO } from './sakke-fp.js';

const WINDOW = 10;
const HALF = 1 << (WINDOW - 1);
const ROWS = Math.ceil((q.toString(2).length + 1) / WINDOW);
/** A point takes two adjacent slots: x at its offset, y one slot later. */
const POINT = 2 * SLOT;
/** Products need input bounds b_a·b_b below R/p (fp-wasm.ts). */
const PRODUCT_LIMIT = Number(MONTGOMERY_R / p);

/** Slots holding k·p, made when a bound first needs them (public constants). */
const multiples = new Map<number, number>();
function kp(k: number): number {
  let at = multiples.get(k);
  if (at === undefined) {
    at = reserveSlots(1);
    writeLimbs(fpKernel().memory, at, BigInt(k) * p);
    multiples.set(k, at);
  }
  return at;
}

const arena = new SlotArena();
const take = (slots: number) => arena.take(slots);

/** Bounds x < bx·p, y < by·p shared by the points of a tree level. */
interface Level {
  bx: number;
  by: number;
}

/**
 * For each pair (a_i, b_i) of point offsets, a_i + b_i into out_i by the affine law with one
 * shared inversion. Pairs with x_a ≡ x_b are left out and their indices added to `skipped`.
 * Returns the outputs' bounds.
 */
function addPairs(a: number[], b: number[], out: number[], level: Level, skipped: Set<number>): Level {
  const { mul, sqr, add, addSub } = fpKernel();
  const { bx, by } = level;
  const n = a.length;
  const den = take(n);
  const pre = take(n);
  const d = (i: number) => den + i * SLOT;
  const acc = (i: number) => pre + i * SLOT;
  const kx = kp(bx);
  for (let i = 0; i < n; i++) addSub(d(i), b[i]!, kx, a[i]!); // < 2bx·p
  let live: number[] = [];
  for (;;) {
    live = [];
    for (let i = 0; i < n; i++) if (!skipped.has(i)) live.push(i);
    if (live.length === 0) return level;
    // acc_j = Π_(≤j) den (Montgomery form, < 2p).
    add(acc(0), d(live[0]!), ZERO);
    for (let j = 1; j < live.length; j++) mul(acc(j), acc(j - 1), d(live[j]!));
    const total = fromMont(acc(live.length - 1));
    if (total !== 0n) {
      // One inversion for the level (bigint; the kernel has no inversion), back in Montgomery form.
      toMont(acc(live.length - 1), invMod(total, p));
      break;
    }
    // Some x_a ≡ x_b (p is prime): find which, rarely, and leave them out.
    const before = skipped.size;
    for (const i of live) if (fromMont(d(i)) === 0n) skipped.add(i);
    if (skipped.size === before) throw new Error('fixed-base sum: no zero factor in a zero product');
  }
  const inv = take(1);
  const lambda = take(1);
  const t = take(1);
  const u = take(1);
  const ky = kp(by);
  const k2x = kp(2 * bx);
  const k2x2 = kp(2 * bx + 2);
  // Backward over the live pairs: inv = den_j⁻¹ and acc(j−1) becomes (Π_(<j) den)⁻¹.
  for (let j = live.length - 1; j >= 0; j--) {
    const i = live[j]!;
    const [x1, x2, x3] = [a[i]!, b[i]!, out[i]!];
    const [y1, y2, y3] = [x1 + SLOT, x2 + SLOT, x3 + SLOT];
    if (j > 0) {
      mul(inv, acc(j), acc(j - 1));
      mul(acc(j - 1), acc(j), d(i));
    } else add(inv, acc(0), ZERO);
    addSub(lambda, y2, ky, y1); // < 2by·p
    mul(lambda, lambda, inv);
    sqr(t, lambda);
    add(u, x1, x2); // < 2bx·p
    addSub(x3, t, k2x, u); // x3 = λ² − x1 − x2 < (2bx + 2)p
    addSub(t, x1, k2x2, x3); // < (3bx + 2)p
    mul(t, lambda, t);
    addSub(y3, t, ky, y1); // y3 = λ(x1 − x3) − y1 < (by + 2)p
  }
  return grow(level);
}

/** The bounds of addPairs' outputs for inputs within `level`. */
const grow = ({ bx, by }: Level): Level => ({ bx: 2 * bx + 2, by: by + 2 });

/** Whether a level with these bounds can take addPairs (its products and the sums below R). */
const fits = ({ bx, by }: Level): boolean => 2 * (3 * bx + 2) < PRODUCT_LIMIT && 4 * by < PRODUCT_LIMIT;

/** Reduces points in place to x, y < 2p (a product with 1 in Montgomery form). */
function reduce(points: number[]): void {
  const { mul } = fpKernel();
  for (const pt of points) {
    mul(pt, pt, R_MOD_P);
    mul(pt + SLOT, pt + SLOT, R_MOD_P);
  }
}

/** The bounds of the trees' inputs: table entries, and negated y as 2p − y ≤ 2p. */
const INPUT: Level = { bx: 2, by: 3 };

/** Summands a tree takes without reductions: 2^levels for as many levels as the bounds fit (512). */
const MAX_SUMMANDS = (() => {
  let n = 1;
  for (let level = INPUT; fits(level); level = grow(level)) n *= 2;
  return n;
})();

const toPoint = (at: number): Point => ({ x: fromMont(at), y: fromMont(at + SLOT) });

/**
 * A level costs one bigint inversion with its conversions (~45 µs, as much as ~40 products)
 * plus 6 products per pair, a Jacobian mixed addition 11: below this many pairs in a level,
 * the sums finish in Jacobian (a single [k]P saves three of its seven inversions).
 */
const TAIL_PAIRS = 8;

/** Σ points by mixed additions on the kernel, or by the general law if that meets an exceptional case. */
function jacobianSum(points: number[]): Point | null {
  const { mul, add } = fpKernel();
  const C = take(3 + JACOBIAN_TEMPS);
  const { addAffine } = jacobianSteps(C + 3 * SLOT);
  mul(C, points[0]!, R_MOD_P); // reduced to < 2p for the steps' bounds; Z = 1
  mul(C + SLOT, points[0]! + SLOT, R_MOD_P);
  add(C + 2 * SLOT, R_MOD_P, ZERO);
  for (const pt of points.slice(1)) addAffine(C, pt, pt + SLOT);
  return jacobianToAffine(C) ?? points.map(toPoint).reduce<Point | null>((acc, pt) => addPoints(acc, pt), null);
}

/**
 * The sum of each list of point offsets (null for an empty sum or O), inputs within INPUT.
 * Sums meeting x_a ≡ x_b in a pair are finished by the general law in bigint.
 */
function sumTrees(lists: number[][]): (Point | null)[] {
  if (lists.some((points) => points.length > MAX_SUMMANDS))
    throw new RangeError(`a tree sum takes at most ${MAX_SUMMANDS} summands`);
  let level = INPUT;
  const results: (Point | null)[] = lists.map((points) => (points.length === 1 ? toPoint(points[0]!) : null));
  let active = lists.flatMap((points, index) => (points.length > 1 ? [{ points, index }] : []));
  const sums = new Set<number>();
  while (active.length > 0) {
    if (active.reduce((n, s) => n + (s.points.length >> 1), 0) < TAIL_PAIRS) {
      for (const s of active) results[s.index] = jacobianSum(s.points);
      break;
    }
    const a: number[] = [];
    const b: number[] = [];
    const first = active.map((s) => {
      const at = a.length;
      for (let i = 0; i + 1 < s.points.length; i += 2) {
        a.push(s.points[i]!);
        b.push(s.points[i + 1]!);
      }
      return at;
    });
    // A sum overwrites its second summand when that is an earlier sum (not an input, which
    // may be a table entry or serve in other lists).
    const out = b.map((pt) => (sums.has(pt) ? pt : take(2)));
    for (const pt of out) sums.add(pt);
    const skipped = new Set<number>();
    const next = addPairs(a, b, out, level, skipped);
    const failed = new Set<number>();
    active.forEach((s, k) => {
      const points: number[] = [];
      for (let i = first[k]!; i < first[k]! + (s.points.length >> 1); i++)
        if (skipped.has(i)) points.push(a[i]!, b[i]!);
        else points.push(out[i]!);
      if (s.points.length & 1) points.push(s.points[s.points.length - 1]!);
      if (points.length > (s.points.length + 1) >> 1) {
        failed.add(k);
        results[s.index] = points.map(toPoint).reduce<Point | null>((acc, pt) => addPoints(acc, pt), null);
      } else if (points.length === 1) results[s.index] = toPoint(points[0]!);
      s.points = points;
    });
    active = active.filter((s, k) => !failed.has(k) && s.points.length > 1);
    level = next;
  }
  return results;
}

let table: number | undefined;

/** Entry j·2^(10i)·P (1 ≤ j ≤ 512) as a point offset. */
const entry = (T: number, row: number, j: number) => T + (row * HALF + j - 1) * POINT;

function buildTable(): number {
  const T = reserveSlots(2 * ROWS * HALF);
  // Row bases B_i = 2^(10i)·P and their doubles in bigint (a few hundred operations).
  let base: Point = BASE_POINT;
  for (let i = 0; i < ROWS; i++) {
    if (i > 0) base = multiplyPoint(base, 1n << BigInt(WINDOW))!;
    const twice = addPoints(base, base)!;
    toMont(entry(T, i, 1), base.x);
    toMont(entry(T, i, 1) + SLOT, base.y);
    toMont(entry(T, i, 2), twice.x);
    toMont(entry(T, i, 2) + SLOT, twice.y);
  }
  // Column j = column j−1 + column 1, one shared inversion per column, reduced to < 2p.
  const rows = Array.from({ length: ROWS }, (_, i) => i);
  for (let j = 3; j <= HALF; j++) {
    arena.open(2 * ROWS + 4);
    const skipped = new Set<number>();
    const out = rows.map((i) => entry(T, i, j));
    addPairs(
      rows.map((i) => entry(T, i, j - 1)),
      rows.map((i) => entry(T, i, 1)),
      out,
      { bx: 2, by: 2 },
      skipped,
    );
    // j−1 ≠ ±1 (mod q): the entries' x never meet.
    if (skipped.size) throw new Error('fixed-base table: exceptional addition');
    reduce(out);
  }
  return T; // its scratch held multiples of P only: public
}

/** Builds the fixed-base table for P now rather than on first use (under a second). */
export function precomputeBaseTable(): void {
  table ??= buildTable();
}

/** [k]P (k taken mod q); null when k ≡ 0. See {@link multiplyBaseMany}. */
export function multiplyBase(k: bigint): Point | null {
  return multiplyBaseMany([k])[0]!;
}

/**
 * [k]P for each k (taken mod q; null when k ≡ 0), the sums sharing their inversions level by
 * level. The scratch slots, which held values derived from the scalars, are zeroed after.
 */
export function multiplyBaseMany(ks: readonly bigint[]): (Point | null)[] {
  const T = (table ??= buildTable());
  const { add, addSub } = fpKernel();
  const mask = BigInt((1 << WINDOW) - 1);
  const w = BigInt(WINDOW);
  // Scratch: negated summands and tree sums (two slots each), two slots per pair, four per
  // level, and the Jacobian finish of at most TAIL_PAIRS sums.
  arena.open(ks.length * ROWS * 6 + 64 + TAIL_PAIRS * (3 + JACOBIAN_TEMPS));
  try {
    const lists = ks.map((k) => {
      const points: number[] = [];
      let e = mod(k, q);
      for (let row = 0; e > 0n; row++) {
        let d = Number(e & mask);
        e >>= w;
        if (d >= HALF) {
          d -= 1 << WINDOW;
          e += 1n;
        }
        if (d === 0) continue;
        const at = entry(T, row, Math.abs(d));
        if (d > 0) points.push(at);
        else {
          const neg = take(2);
          add(neg, at, ZERO);
          addSub(neg + SLOT, kp(2), ZERO, at + SLOT); // 2p − y ≤ 2p
          points.push(neg);
        }
      }
      return points;
    });
    return sumTrees(lists);
  } finally {
    arena.clear();
  }
}

/** The sum of each list of points (null for an empty sum or O), by the shared trees of {@link multiplyBaseMany}. */
export function sumPointLists(lists: readonly (readonly Point[])[]): (Point | null)[] {
  arena.open(lists.reduce((n, pts) => n + pts.length, 0) * 6 + 64 + TAIL_PAIRS * (3 + JACOBIAN_TEMPS));
  try {
    const offsets = lists.map((pts) =>
      pts.map((pt) => {
        const at = take(2);
        toMont(at, pt.x);
        toMont(at + SLOT, pt.y);
        return at;
      }),
    );
    return sumTrees(offsets);
  } finally {
    arena.clear();
  }
}

