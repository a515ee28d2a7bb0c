import { afterEach, describe, expect, it } from 'vitest';
import { SLOT } from './fp-wasm.js';
import { mod } from './modular.js';
import { SAKKE_P as p } from './params.js';
import { addPoints, BASE_POINT, multiplyPoint, type Point } from './sakke-curve.js';
import { clearSlots, fpKernel, fromMont, KP, reserveSlots, toMont } from './sakke-fp.js';
import { JACOBIAN_TEMPS, jacobianSteps } from './sakke-jacobian.js';
import { jacobianToAffine } from './sakke-straus.js';

const COUNT = 3 + 2 + JACOBIAN_TEMPS;
const C = reserveSlots(COUNT);
const [X, Y, Z, AX, AY] = [C, C + SLOT, C + 2 * SLOT, C + 3 * SLOT, C + 4 * SLOT];
const steps = jacobianSteps(C + 5 * SLOT);

const point = (k: bigint): Point => multiplyPoint(BASE_POINT, k)!;

/** Loads pt as (x·z², y·z³, z) at the largest bounds the steps accept: X, Y < 18p, Z < 4p. */
function loadJacobian(pt: Point, z: bigint): void {
  const { add } = fpKernel();
  toMont(X, pt.x * z * z);
  toMont(Y, pt.y * z * z * z);
  toMont(Z, z);
  add(X, X, KP[16]);
  add(Y, Y, KP[16]);
  add(Z, Z, KP[2]);
}

afterEach(() => clearSlots(C, COUNT));

describe('SAKKE Jacobian steps on the F_p kernel', () => {
  it('doubles, leaving δ, γ, α and Z₃ for a line through the old X and Y in between', () => {
    const pt = point(123_456_789n);
    const z = 0xdeadbeefcafen;
    loadJacobian(pt, z);
    const [x, y] = [fromMont(X), fromMont(Y)];
    steps.startDouble(C);
    expect([fromMont(X), fromMont(Y)]).toEqual([x, y]);
    const delta = mod(z * z, p);
    expect(fromMont(steps.delta)).toBe(delta);
    expect(fromMont(steps.gamma)).toBe(mod(y * y, p));
    expect(fromMont(steps.alpha)).toBe(mod(3n * (x * x - delta * delta), p));
    expect(fromMont(Z)).toBe(mod(2n * y * z, p));
    steps.finishDouble(C);
    expect(jacobianToAffine(C)).toEqual(addPoints(pt, pt));

    loadJacobian(pt, z);
    steps.double(C);
    expect(jacobianToAffine(C)).toEqual(addPoints(pt, pt));
  });

  it('adds an affine point, leaving r and Z₃ for the line through both', () => {
    const pt = point(987_654_321n);
    const a = point(55_555n);
    const z = 0x1234567890abcdefn;
    loadJacobian(pt, z);
    const [x, y] = [fromMont(X), fromMont(Y)];
    toMont(AX, a.x);
    toMont(AY, a.y);
    steps.addAffine(C, AX, AY);
    const h = mod(a.x * z * z - x, p);
    expect(fromMont(steps.r)).toBe(mod(2n * (a.y * z * z * z - y), p));
    expect(fromMont(Z)).toBe(mod(2n * z * h, p));
    expect(jacobianToAffine(C)).toEqual(addPoints(pt, a));
  });

  it('meets the exceptional case C + C as Z ≡ 0, which its callers test for', () => {
    const pt = point(42n);
    loadJacobian(pt, 7n);
    toMont(AX, pt.x);
    toMont(AY, pt.y);
    steps.addAffine(C, AX, AY);
    expect(fromMont(Z)).toBe(0n);
    expect(jacobianToAffine(C)).toBeUndefined();
  });
});
