/** Central finite differences (float64) for checking the CPU backward oracles. */
import { expect } from 'vitest';
import { rand } from './gpu.ts';

export const f64 = (n: number, seed: number, scale = 1) => Float64Array.from(rand(n, seed, scale));

/** Relative error (max-norm) of `analytic` against the central differences of Σ r ⊙ f(x) in x. */
export function gradError(
  f: (x: Float64Array) => ArrayLike<number>,
  x: Float64Array,
  r: ArrayLike<number>,
  analytic: ArrayLike<number>,
  h = 1e-5,
): number {
  const loss = (v: Float64Array) => {
    const y = f(v);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += r[i] * y[i];
    return s;
  };
  expect(analytic.length).toBe(x.length);
  let worst = 0,
    scale = 0;
  for (let i = 0; i < x.length; i++) {
    const xp = Float64Array.from(x),
      xm = Float64Array.from(x);
    xp[i] += h;
    xm[i] -= h;
    const numeric = (loss(xp) - loss(xm)) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]));
    scale = Math.max(scale, Math.abs(numeric));
  }
  expect(scale).toBeGreaterThan(0);
  return worst / scale;
}

export function check(name: string, err: number): void {
  expect(err, `${name}: relative error ${err.toExponential(2)}`).toBeLessThan(1e-6);
}
