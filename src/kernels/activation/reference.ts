import type { Activation } from './activation.ts';

/** Exact erf by its series/continued fraction would be overkill: float64 A&S 7.1.26 matches torch to ~1e-7. */
function erf(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(z) * (1 - poly * Math.exp(-a * a));
}

/** CPU oracle for the activations. */
export function activationRef(x: Float32Array, act: Activation): Float32Array {
  return x.map((v) => (act === 'quick_gelu' ? v / (1 + Math.exp(-1.702 * v)) : 0.5 * v * (1 + erf(v / Math.SQRT2))));
}
