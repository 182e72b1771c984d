/** CPU oracle: y = alpha · x·Wᵀ + b, accumulated in float64. */
export function matmulRef(x: Float32Array, w: Float32Array, bias: Float32Array | null, M: number, N: number, K: number, alpha = 1): Float32Array {
  const y = new Float32Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[m * K + k] * w[n * K + k];
      y[m * N + n] = alpha * s + (bias ? bias[n] : 0);
    }
  }
  return y;
}
