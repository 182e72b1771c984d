import { zerosLike, type Floats } from '../floats.ts';

/**
 * CPU oracle: multi-head attention on qkv [B, T, 3D] (q | k | v per token) -> [B, T, D].
 * `scores` picks what is compared: q·k (default), q·q, k·k or v·v.
 */
export function attentionRef<A extends Floats>(
  qkv: A,
  B: number,
  T: number,
  D: number,
  heads: number,
  causal: boolean,
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
        const n = causal ? i + 1 : T;
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let d = 0; d < hd; d++) s += at(b, i, qPart, h, d) * at(b, j, kPart, h, d);
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

/**
 * Attention backward, per (batch, head, query i), with s = scale·q_i·k_j, P = softmax_j(s) (causal:
 * j <= i) and y_i = Σ_j P_ij v_j:
 *   dP_ij = dy_i·v_j   dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik)
 *   dq_i = scale Σ_j dS_ij k_j   dk_j = scale Σ_i dS_ij q_i   dv_j = Σ_i P_ij dy_i
 * Returns dqkv [B, T, 3D] and the probabilities P and their gradient dP, [B, H, T, T] (dP for all
 * j, masked ones included, as autograd gives it for the softmax output).
 */
export function attentionBackwardRef(
  qkv: ArrayLike<number>,
  dy: ArrayLike<number>,
  B: number,
  T: number,
  D: number,
  heads: number,
  causal: boolean,
): { dqkv: Float64Array; probs: Float64Array; gradProbs: Float64Array } {
  const hd = D / heads;
  const scale = hd ** -0.5;
  const dqkv = new Float64Array(B * T * 3 * D);
  const probs = new Float64Array(B * heads * T * T);
  const gradProbs = new Float64Array(B * heads * T * T);
  const at = (b: number, t: number, part: number, h: number, d: number) => (b * T + t) * 3 * D + part * D + h * hd + d;
  const s = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < T; i++) {
        const n = causal ? i + 1 : T;
        const row = ((b * heads + h) * T + i) * T;
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let d = 0; d < hd; d++) acc += qkv[at(b, i, 0, h, d)] * qkv[at(b, j, 1, h, d)];
          s[j] = acc * scale;
          m = Math.max(m, s[j]);
        }
        let sum = 0;
        for (let j = 0; j < n; j++) sum += s[j] = Math.exp(s[j] - m);
        let dot = 0;
        for (let j = 0; j < T; j++) {
          let dp = 0;
          for (let d = 0; d < hd; d++) dp += dy[(b * T + i) * D + h * hd + d] * qkv[at(b, j, 2, h, d)];
          gradProbs[row + j] = dp;
          if (j < n) {
            probs[row + j] = s[j] / sum;
            dot += probs[row + j] * dp;
          }
        }
        for (let j = 0; j < n; j++) {
          const ds = probs[row + j] * (gradProbs[row + j] - dot) * scale;
          const v = probs[row + j];
          for (let d = 0; d < hd; d++) {
            dqkv[at(b, i, 0, h, d)] += ds * qkv[at(b, j, 1, h, d)];
            dqkv[at(b, j, 1, h, d)] += ds * qkv[at(b, i, 0, h, d)];
            dqkv[at(b, j, 2, h, d)] += v * dy[(b * T + i) * D + h * hd + d];
          }
        }
      }
    }
  }
  return { dqkv, probs, gradProbs };
}

/** Chefer et al.'s per-layer relevance term: mean over heads of relu(dP ⊙ P), [B, H, T, T] -> [B, T, T]. */
export function attentionRelevanceRef(
  probs: ArrayLike<number>,
  gradProbs: ArrayLike<number>,
  B: number,
  H: number,
  T: number,
): Float64Array {
  const cam = new Float64Array(B * T * T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let ij = 0; ij < T * T; ij++) {
        const e = (b * H + h) * T * T + ij;
        cam[b * T * T + ij] += Math.max(probs[e] * gradProbs[e], 0) / H;
      }
    }
  }
  return cam;
}
