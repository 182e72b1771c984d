/** CPU oracle for LayerNorm over rows of length D (float64 statistics). */
export function layernormRef(x: Float32Array, gamma: Float32Array, beta: Float32Array, D: number, eps: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let base = 0; base < x.length; base += D) {
    let mean = 0;
    for (let i = 0; i < D; i++) mean += x[base + i];
    mean /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[base + i] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / D + eps);
    for (let i = 0; i < D; i++) y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
  return y;
}
