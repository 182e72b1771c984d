/**
 * CPU oracle of the whole explanation, built from the kernels' CPU oracles (float64): the vision
 * forward from pixels, the score, and the backward to the target layer's layer_norm1 output,
 * with every layer's attention probabilities and their gradients for the relevance rollout.
 * Slow (tests use it on the tiny model); the GPU path is record.ts.
 */
import { activationBackwardRef } from '../../kernels/activation/reference.ts';
import { addRef } from '../../kernels/add/reference.ts';
import { attentionBackwardRef, attentionRef, attentionRelevanceRef } from '../../kernels/attention/reference.ts';
import { gatherRowsBackwardRef, gatherRowsRef } from '../../kernels/gather-rows/reference.ts';
import { l2normBackwardRef, l2normRef } from '../../kernels/l2norm/reference.ts';
import { layernormBackwardRef, layernormRef } from '../../kernels/layernorm/reference.ts';
import { matmulBackwardInputRef, matmulRef } from '../../kernels/matmul/reference.ts';
import { patchEmbedRef } from '../../kernels/patch-embed/reference.ts';
import type { ClipVisionConfig } from '../config.ts';
import { encoderLayerRef, type CpuLayer, type LayerRef } from '../encoder-reference.ts';

type F = Float32Array;
export type { CpuLayer };
export interface CpuVision {
  patch: F;
  cls: F;
  pos: F;
  preLn: [F, F];
  layers: CpuLayer[];
  postLn: [F, F];
  proj: F;
}

export interface ExplainRef {
  score: number;
  A: Float64Array;
  G: Float64Array;
  /** R[CLS, patches] of the relevance rolled out from `layer` to the last layer. */
  relevance: Float64Array;
}

export function explainRef(
  w: CpuVision,
  cfg: ClipVisionConfig,
  pixels: F,
  text: ArrayLike<number>,
  logitScale: number,
  layer: number,
): ExplainRef {
  const { hiddenSize: D, numHeads: H, layerNormEps: eps, hiddenAct: act } = cfg;
  const M = cfg.intermediateSize;
  const P = w.proj.length / D;
  const L = w.layers.length;
  const { T, layers: saved } = visionRef(w, cfg, pixels);
  const x = saved[L - 1].y;
  const cls = gatherRowsRef(x, [0], 1, T, D);
  const img = matmulRef(layernormRef(cls, w.postLn[0], w.postLn[1], D, eps), w.proj, null, 1, P, D);
  const imgU = l2normRef(img, P);
  const txtU = l2normRef(Float64Array.from(text), P);
  const score = matmulRef(imgU, txtU, null, 1, 1, P, logitScale)[0];

  const dImgU = matmulBackwardInputRef([1], txtU, 1, 1, P, logitScale);
  const dImg = l2normBackwardRef(img, dImgU, P);
  const dPooled = matmulBackwardInputRef(dImg, w.proj, 1, P, D);
  let dx: Float64Array = gatherRowsBackwardRef(
    layernormBackwardRef(cls, w.postLn[0], dPooled, D, eps).dx,
    [0],
    1,
    T,
    D,
  );
  const cams: Float64Array[] = [];
  let G: Float64Array = new Float64Array(0);
  for (let i = L - 1; i >= layer; i--) {
    const lw = w.layers[i];
    const s = saved[i];
    const dg = matmulBackwardInputRef(dx, lw.fc2[0], T, D, M);
    const dh2 = matmulBackwardInputRef(activationBackwardRef(s.f, dg, act), lw.fc1[0], T, M, D);
    const dx1 = addRef(dx, layernormBackwardRef(s.x1, lw.ln2[0], dh2, D, eps).dx);
    const att = attentionBackwardRef(s.qkv, matmulBackwardInputRef(dx1, lw.out[0], T, D, D), 1, T, D, H, false);
    cams.unshift(attentionRelevanceRef(att.probs, att.gradProbs, 1, H, T));
    const dh = matmulBackwardInputRef(att.dqkv, lw.qkv[0], T, 3 * D, D);
    if (i === layer) G = dh;
    else dx = addRef(dx1, layernormBackwardRef(s.x, lw.ln1[0], dh, D, eps).dx);
  }
  // R = I; R += cam·R per layer, ascending.
  let R = new Float64Array(T * T);
  for (let i = 0; i < T; i++) R[i * T + i] = 1;
  for (const cam of cams) {
    const next = Float64Array.from(R);
    for (let i = 0; i < T; i++)
      for (let k = 0; k < T; k++) {
        const c = cam[i * T + k];
        if (c !== 0) for (let j = 0; j < T; j++) next[i * T + j] += c * R[k * T + j];
      }
    R = next;
  }
  return { score, A: saved[layer].h, G, relevance: R.slice(1, T) };
}

/** The float64 vision forward from pixels, every layer's intermediates kept. */
function visionRef(w: CpuVision, cfg: ClipVisionConfig, pixels: F): { T: number; layers: LayerRef[] } {
  const { hiddenSize: D, numHeads: H, layerNormEps: eps, hiddenAct: act, imageSize: S, patchSize: Pz } = cfg;
  const g = Math.floor(S / Pz);
  const T = 1 + g * g;
  let x: Float64Array = layernormRef(
    Float64Array.from(patchEmbedRef(pixels, w.patch, w.cls, w.pos, 1, 3, S, Pz, D)),
    w.preLn[0],
    w.preLn[1],
    D,
    eps,
  );
  const layers: LayerRef[] = [];
  for (const lw of w.layers) {
    const s = encoderLayerRef(x, lw, { B: 1, T, heads: H, eps, act, causal: false });
    layers.push(s);
    x = s.y;
  }
  return { T, layers };
}

/**
 * LeGrad as its paper and code define it (legrad.ts), in float64: for each layer l from `start`,
 * s_l = cos(text, proj(post_layernorm(mean_t y_l))) with y_l the layer's output, ∇P_l = ds_l/dP_l
 * (the oracles' backward through layer l's block); the map Σ_l mean_h mean_rows relu(∇P_l)[:, 1:].
 */
export function legradRef(
  w: CpuVision,
  cfg: ClipVisionConfig,
  pixels: F,
  text: ArrayLike<number>,
  start: number,
): Float64Array {
  const { hiddenSize: D, numHeads: H, layerNormEps: eps, hiddenAct: act } = cfg;
  const M = cfg.intermediateSize;
  const P = w.proj.length / D;
  const { T, layers } = visionRef(w, cfg, pixels);
  const txtU = l2normRef(Float64Array.from(text), P);
  const map = new Float64Array(T - 1);
  for (let l = start; l < layers.length; l++) {
    const s = layers[l];
    const lw = w.layers[l];
    const mean = new Float64Array(D);
    for (let t = 0; t < T; t++) for (let c = 0; c < D; c++) mean[c] += s.y[t * D + c] / T;
    const img = matmulRef(layernormRef(mean, w.postLn[0], w.postLn[1], D, eps), w.proj, null, 1, P, D);
    // s = unit(img) · txtU: d s / d unit(img) = txtU
    const dPooled = matmulBackwardInputRef(l2normBackwardRef(img, txtU, P), w.proj, 1, P, D);
    const dMean = layernormBackwardRef(mean, w.postLn[0], dPooled, D, eps).dx;
    const dy = new Float64Array(T * D);
    for (let t = 0; t < T; t++) for (let c = 0; c < D; c++) dy[t * D + c] = dMean[c] / T;
    const dg = matmulBackwardInputRef(dy, lw.fc2[0], T, D, M);
    const dh2 = matmulBackwardInputRef(activationBackwardRef(s.f, dg, act), lw.fc1[0], T, M, D);
    const dx1 = addRef(dy, layernormBackwardRef(s.x1, lw.ln2[0], dh2, D, eps).dx);
    const { gradProbs } = attentionBackwardRef(
      s.qkv,
      matmulBackwardInputRef(dx1, lw.out[0], T, D, D),
      1,
      T,
      D,
      H,
      false,
    );
    for (let r = 0; r < H * T; r++)
      for (let j = 1; j < T; j++) map[j - 1] += Math.max(gradProbs[r * T + j], 0) / (H * T);
  }
  return map;
}

/**
 * CLIP Surgery as its paper and code define it (surgery.ts), in float64: x_new = x_start +
 * Σ_{l ≥ start} out_proj_l(softmax(v vᵀ·hd^-0.5) v) on each block's qkv of the original path; the
 * map is unit(proj(post_layernorm(x_new))) · (unit(text) − unit(empty)) per patch.
 */
export function surgeryRef(
  w: CpuVision,
  cfg: ClipVisionConfig,
  pixels: F,
  text: ArrayLike<number>,
  empty: ArrayLike<number>,
  start: number,
): Float64Array {
  const { hiddenSize: D, numHeads: H, layerNormEps: eps } = cfg;
  const P = w.proj.length / D;
  const { T, layers } = visionRef(w, cfg, pixels);
  let xNew = layers[start].x;
  for (let l = start; l < layers.length; l++) {
    const a = attentionRef(layers[l].qkv, 1, T, D, H, false, 'vv');
    xNew = addRef(xNew, matmulRef(a, w.layers[l].out[0], w.layers[l].out[1], T, D, D));
  }
  const feats = l2normRef(matmulRef(layernormRef(xNew, w.postLn[0], w.postLn[1], D, eps), w.proj, null, T, P, D), P);
  const tU = l2normRef(Float64Array.from(text), P);
  const eU = l2normRef(Float64Array.from(empty), P);
  const map = new Float64Array(T - 1);
  for (let t = 1; t < T; t++) for (let c = 0; c < P; c++) map[t - 1] += feats[t * P + c] * (tU[c] - eU[c]);
  return map;
}
