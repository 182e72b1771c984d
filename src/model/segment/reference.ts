/**
 * CPU oracle of segmentation, float64, written from the papers' definitions (their code, as cited
 * in methods.ts) rather than from our hooks: the tower's first L−1 layers and the linear pieces come
 * from the kernels' own CPU oracles; the last block of each method, its attention weights and
 * NACLIP's neighbourhood window are spelled out here. Slow: tests run it on the tiny model.
 */
import { activationRef } from '../../kernels/activation/reference.ts';
import { l2normRef } from '../../kernels/l2norm/reference.ts';
import { layernormRef } from '../../kernels/layernorm/reference.ts';
import { matmulRef } from '../../kernels/matmul/reference.ts';
import { patchEmbedRef } from '../../kernels/patch-embed/reference.ts';
import type { ClipVisionConfig } from '../config.ts';
import { encoderLayerRef, type CpuLayer } from '../encoder-reference.ts';
import { explainRef, type CpuVision } from '../explain/reference.ts';
import type { LastBlockMethod, SegmentMethod } from './methods.ts';
import { weightRelevance } from './relevance.ts';

type F64 = Float64Array;

/**
 * NACLIP's `gaussian_window(2g−1, 2g−1, std)` convolved ('same') with the one-hot of every patch
 * (`get_attention_addition`), CLS row and column 0: [T, T].
 */
export function naclipAdditionRef(gh: number, gw: number, std: number): F64 {
  const [wh, ww] = [2 * gh - 1, 2 * gw - 1];
  const c = 1 / (std * Math.SQRT2);
  const axis = (n: number) => Array.from({ length: n }, (_, i) => (-(n - 1) / 2 + i) * c); // torch.linspace
  const [ys, xs] = [axis(wh), axis(ww)];
  const window = (a: number, b: number) => Math.exp(-(ys[a] ** 2 + xs[b] ** 2));
  const n = gh * gw;
  const T = n + 1;
  const out = new Float64Array(T * T);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      // The one-hot at p, convolved: value at q is the window at q − p from its centre.
      const a = Math.floor(q / gw) - Math.floor(p / gw) + gh - 1;
      const b = (q % gw) - (p % gw) + gw - 1;
      out[(p + 1) * T + q + 1] = window(a, b);
    }
  }
  return out;
}

/**
 * Per head, the attention weights W [T, T] built from the rows of `a` and `b` (hd-slices of a
 * [T, D] matrix): softmax_j(a_i · b_j · scale + bias_ij).
 */
function weights(a: F64, b: F64, T: number, D: number, hd: number, h: number, bias?: F64): F64 {
  const W = new Float64Array(T * T);
  const scale = hd ** -0.5;
  for (let i = 0; i < T; i++) {
    let m = -Infinity;
    for (let j = 0; j < T; j++) {
      let s = 0;
      for (let d = 0; d < hd; d++) s += a[i * D + h * hd + d] * b[j * D + h * hd + d];
      W[i * T + j] = s * scale + (bias ? bias[i * T + j] : 0);
      m = Math.max(m, W[i * T + j]);
    }
    let sum = 0;
    for (let j = 0; j < T; j++) sum += W[i * T + j] = Math.exp(W[i * T + j] - m);
    for (let j = 0; j < T; j++) W[i * T + j] /= sum;
  }
  return W;
}

/** Σ over the given weight sets of W_h · v, per head: [T, D]. */
function apply(ws: readonly ((h: number) => F64)[], v: F64, T: number, D: number, heads: number): F64 {
  const hd = D / heads;
  const y = new Float64Array(T * D);
  for (let h = 0; h < heads; h++) {
    for (const w of ws) {
      const W = w(h);
      for (let i = 0; i < T; i++) {
        for (let d = 0; d < hd; d++) {
          let s = 0;
          for (let j = 0; j < T; j++) s += W[i * T + j] * v[j * D + h * hd + d];
          y[i * D + h * hd + d] += s;
        }
      }
    }
  }
  return y;
}

const plus = (a: F64, b: F64) => a.map((v, i) => v + b[i]);

/** The last block of `method` on its input x [T, D] (one image) -> its output [T, D]. */
export function lastBlockRef(x: F64, w: CpuLayer, cfg: ClipVisionConfig, method: LastBlockMethod, std = 5): F64 {
  const { hiddenSize: D, numHeads: heads, layerNormEps: eps, hiddenAct: act, intermediateSize: M } = cfg;
  const T = x.length / D;
  const g = Math.round(Math.sqrt(T - 1));
  if (method === 'raw') return encoderLayerRef(x, w, { B: 1, T, heads, eps, act, causal: false }).y;
  const hd = D / heads;
  const h = layernormRef(x, w.ln1[0], w.ln1[1], D, eps);
  const qkv = matmulRef(h, w.qkv[0], w.qkv[1], T, 3 * D, D);
  const part = (k: number) =>
    Float64Array.from({ length: T * D }, (_, i) => qkv[Math.floor(i / D) * 3 * D + k * D + (i % D)]);
  const [q, k, v] = [part(0), part(1), part(2)];
  const out = (a: F64) => matmulRef(a, w.out[0], w.out[1], T, D, D);
  const mlp = (y: F64) => {
    const f = matmulRef(layernormRef(y, w.ln2[0], w.ln2[1], D, eps), w.fc1[0], w.fc1[1], T, M, D);
    return matmulRef(activationRef(f, act), w.fc2[0], w.fc2[1], T, D, M);
  };
  switch (method) {
    case 'maskclip': {
      const x1 = plus(x, out(v)); // every token attends to itself only
      return plus(x1, mlp(x1));
    }
    case 'sclip': {
      const a = apply([(i) => weights(q, q, T, D, hd, i), (i) => weights(k, k, T, D, hd, i)], v, T, D, heads);
      const x1 = plus(x, out(a));
      return plus(x1, mlp(x1));
    }
    case 'clearclip':
      return out(apply([(i) => weights(q, q, T, D, hd, i)], v, T, D, heads));
    case 'naclip': {
      const omega = naclipAdditionRef(g, g, std);
      return out(apply([(i) => weights(k, k, T, D, hd, i, omega)], v, T, D, heads));
    }
  }
}

/**
 * Segmentation logits of one image: pixels [3, S, S] -> cosine of every patch token with every
 * text, [texts][G²] (patches row-major), with `method`'s last block. Also returns the last
 * block's input (hidden_states[L−1]) for checks against the goldens. For 'relevance': each text's
 * relevance rolled out over the last layer (explainRef), weighted as relevance.ts does with the
 * scores at `logitScale` (exp(logit_scale)); no lastInput.
 */
export function segmentRef(
  w: CpuVision,
  cfg: ClipVisionConfig,
  pixels: Float32Array,
  texts: readonly ArrayLike<number>[],
  method: SegmentMethod,
  logitScale = 1,
): { logits: F64; lastInput?: F64 } {
  if (method === 'relevance') {
    const maps = texts.map((t) => explainRef(w, cfg, pixels, t, logitScale, w.layers.length - 1));
    const weighted = weightRelevance(
      maps.map((m) => m.relevance),
      maps.map((m) => m.score),
    );
    return { logits: Float64Array.from(weighted) };
  }
  const { hiddenSize: D, numHeads: heads, layerNormEps: eps, hiddenAct: act, imageSize: S, patchSize } = cfg;
  const G = Math.floor(S / patchSize);
  const T = 1 + G * G;
  const P = w.proj.length / D;
  const emb = Float64Array.from(patchEmbedRef(pixels, w.patch, w.cls, w.pos, 1, 3, S, patchSize, D));
  let x: F64 = layernormRef(emb, w.preLn[0], w.preLn[1], D, eps);
  const L = w.layers.length;
  for (let i = 0; i < L - 1; i++) x = encoderLayerRef(x, w.layers[i], { B: 1, T, heads, eps, act, causal: false }).y;
  const lastInput = x;
  const y = L > 0 ? lastBlockRef(x, w.layers[L - 1], cfg, method) : x;
  const unit = l2normRef(matmulRef(layernormRef(y, w.postLn[0], w.postLn[1], D, eps), w.proj, null, T, P, D), P);
  const Q = texts.length;
  const text = l2normRef(Float64Array.from(texts.flatMap((t) => Array.from(t))), P);
  const logits = new Float64Array(Q * G * G);
  for (let l = 0; l < Q; l++) {
    for (let p = 0; p < G * G; p++) {
      let s = 0;
      for (let c = 0; c < P; c++) s += unit[(p + 1) * P + c] * text[l * P + c];
      logits[l * G * G + p] = s;
    }
  }
  return { logits, lastInput };
}
