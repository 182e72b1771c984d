/** CPU oracle: rows of length D scaled to unit L2 norm. */
export function l2normRef(x: Float32Array, D: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let base = 0; base < x.length; base += D) {
    let s = 0;
    for (let i = 0; i < D; i++) s += x[base + i] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < D; i++) y[base + i] = x[base + i] * inv;
  }
  return y;
}
