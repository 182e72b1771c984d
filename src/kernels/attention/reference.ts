/** CPU oracle: multi-head attention on qkv [B, T, 3D] (q | k | v per token) -> [B, T, D]. */
export function attentionRef(qkv: Float32Array, B: number, T: number, D: number, heads: number, causal: boolean): Float32Array {
  const hd = D / heads;
  const scale = hd ** -0.5;
  const y = new Float32Array(B * T * D);
  const at = (b: number, t: number, part: number, h: number, d: number) => qkv[(b * T + t) * 3 * D + part * D + h * hd + d];
  const p = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < T; i++) {
        const n = causal ? i + 1 : T;
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let d = 0; d < hd; d++) s += at(b, i, 0, h, d) * at(b, j, 1, h, d);
          p[j] = s * scale;
          m = Math.max(m, p[j]);
        }
        let sum = 0;
        for (let j = 0; j < n; j++) sum += p[j] = Math.exp(p[j] - m);
        for (let d = 0; d < hd; d++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += p[j] * at(b, j, 2, h, d);
          y[(b * T + i) * D + h * hd + d] = acc / sum;
        }
      }
    }
  }
  return y;
}
