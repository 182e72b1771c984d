import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: y[b] = x[b, index[b]]. */
export function gatherRowsRef<A extends Floats>(x: A, index: ArrayLike<number>, B: number, T: number, D: number): A {
  const y = zerosLike(x, B * D);
  for (let b = 0; b < B; b++) y.set(x.subarray((b * T + index[b]) * D, (b * T + index[b] + 1) * D), b * D);
  return y;
}

/** Gather backward: dy [B, D] scattered into zeros [B, T, D] at row index[b] of each sequence. */
export function gatherRowsBackwardRef(
  dy: ArrayLike<number>,
  index: ArrayLike<number>,
  B: number,
  T: number,
  D: number,
): Float64Array {
  const dx = new Float64Array(B * T * D);
  for (let b = 0; b < B; b++) for (let d = 0; d < D; d++) dx[(b * T + index[b]) * D + d] += dy[b * D + d];
  return dx;
}
