/** CPU oracle: table[ids] + positions. */
export function embeddingRef(ids: ArrayLike<number>, table: Float32Array, pos: Float32Array, B: number, T: number, D: number): Float32Array {
  const y = new Float32Array(B * T * D);
  for (let bt = 0; bt < B * T; bt++) {
    const t = bt % T;
    for (let d = 0; d < D; d++) y[bt * D + d] = table[ids[bt] * D + d] + pos[t * D + d];
  }
  return y;
}
