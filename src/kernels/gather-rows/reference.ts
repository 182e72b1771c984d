/** CPU oracle: y[b] = x[b, index[b]]. */
export function gatherRowsRef(x: Float32Array, index: ArrayLike<number>, B: number, T: number, D: number): Float32Array {
  const y = new Float32Array(B * D);
  for (let b = 0; b < B; b++) y.set(x.subarray((b * T + index[b]) * D, (b * T + index[b] + 1) * D), b * D);
  return y;
}
