/** CPU oracle: softmax over rows of length N. */
export function softmaxRef(x: Float32Array, N: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let base = 0; base < x.length; base += N) {
    let m = -Infinity;
    for (let i = 0; i < N; i++) m = Math.max(m, x[base + i]);
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.exp(x[base + i] - m);
    for (let i = 0; i < N; i++) y[base + i] = Math.exp(x[base + i] - m) / s;
  }
  return y;
}
