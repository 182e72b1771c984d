import { zerosLike, type Floats } from '../floats.ts';
import type { Activation } from './activation.ts';

/** Exact erf by its series/continued fraction would be overkill: float64 A&S 7.1.26 matches torch to ~1e-7. */
function erf(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(z) * (1 - poly * Math.exp(-a * a));
}

/** CPU oracle for the activations. */
export function activationRef<T extends Floats>(x: T, act: Activation): T {
  const y = zerosLike(x, x.length);
  x.forEach(
    (v, i) => (y[i] = act === 'quick_gelu' ? v / (1 + Math.exp(-1.702 * v)) : 0.5 * v * (1 + erf(v / Math.SQRT2))),
  );
  return y;
}

const ERF_P = 0.3275911;
const ERF_C = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/**
 * d/dz of the A&S erf above (the derivative of the function the forward computes, not 2/√π·e^{−z²}):
 * with a = |z|, t = 1/(1 + p·a): erf'(z) = e^{−a²}·(2a·poly(t) + p·t²·poly'(t)).
 */
function erfDerivative(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + ERF_P * a);
  const [c1, c2, c3, c4, c5] = ERF_C;
  const poly = t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * c5))));
  const dpoly = c1 + t * (2 * c2 + t * (3 * c3 + t * (4 * c4 + t * 5 * c5)));
  return Math.exp(-a * a) * (2 * a * poly + ERF_P * t * t * dpoly);
}

/**
 * Activation backward: dx = dy · act'(x).
 *   quick_gelu: s = σ(1.702x), act' = s + 1.702·x·s·(1 − s)
 *   gelu:       act' = ½(1 + erf(x/√2)) + ½·x·erf'(x/√2)/√2 (with the forward's erf)
 */
export function activationBackwardRef(x: ArrayLike<number>, dy: ArrayLike<number>, act: Activation): Float64Array {
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let d: number;
    if (act === 'quick_gelu') {
      const s = 1 / (1 + Math.exp(-1.702 * v));
      d = s + 1.702 * v * s * (1 - s);
    } else {
      const z = v / Math.SQRT2;
      d = 0.5 * (1 + erf(z)) + (0.5 * v * erfDerivative(z)) / Math.SQRT2;
    }
    dx[i] = dy[i] * d;
  }
  return dx;
}
