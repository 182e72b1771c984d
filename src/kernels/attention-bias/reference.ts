import { zerosLike, type Floats } from '../floats.ts';

/**
 * CPU oracle of `attentionBias`: per image and head, y_i = Σ_j softmax_j(scale · s_ij + bias_ij) v_j
 * with s_ij = a_i · b_j, (a, b) = (q, k), (q, q) or (k, k) of qkv [B, T, 3D]; bias [T, T].
 */
export function attentionBiasRef<A extends Floats>(
  qkv: A,
  bias: ArrayLike<number>,
  B: number,
  T: number,
  D: number,
  heads: number,
  scores: 'qk' | 'qq' | 'kk' | 'vv' = 'qk',
): A {
  const [qPart, kPart] = { qk: [0, 1], qq: [0, 0], kk: [1, 1], vv: [2, 2] }[scores];
  const hd = D / heads;
  const scale = hd ** -0.5;
  const y = zerosLike(qkv, B * T * D);
  const at = (b: number, t: number, part: number, h: number, d: number) =>
    qkv[(b * T + t) * 3 * D + part * D + h * hd + d];
  const p = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < T; i++) {
        let m = -Infinity;
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let d = 0; d < hd; d++) s += at(b, i, qPart, h, d) * at(b, j, kPart, h, d);
          p[j] = s * scale + bias[i * T + j];
          m = Math.max(m, p[j]);
        }
        let sum = 0;
        for (let j = 0; j < T; j++) sum += p[j] = Math.exp(p[j] - m);
        for (let d = 0; d < hd; d++) {
          let acc = 0;
          for (let j = 0; j < T; j++) acc += p[j] * at(b, j, 2, h, d);
          y[(b * T + i) * D + h * hd + d] = acc / sum;
        }
      }
    }
  }
  return y;
}
