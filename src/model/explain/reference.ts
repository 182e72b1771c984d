/**
 * CPU oracle of the whole explanation, built from the kernels' CPU oracles (float64): the vision
 * forward from pixels, the score, and the backward to the target layer's layer_norm1 output,
 * with every layer's attention probabilities and their gradients for the relevance rollout.
 * Slow (tests use it on the tiny model); the GPU path is record.ts.
 */
import { activationBackwardRef } from '../../kernels/activation/reference.ts';
import { addRef } from '../../kernels/add/reference.ts';
import { attentionBackwardRef, attentionRelevanceRef } from '../../kernels/attention/reference.ts';
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
  const { hiddenSize: D, numHeads: H, layerNormEps: eps, hiddenAct: act, imageSize: S, patchSize: Pz } = cfg;
  const M = cfg.intermediateSize;
  const g = Math.floor(S / Pz);
  const T = 1 + g * g;
  const P = w.proj.length / D;
  const L = w.layers.length;
  const emb = Float64Array.from(patchEmbedRef(pixels, w.patch, w.cls, w.pos, 1, 3, S, Pz, D));
  let x: Float64Array = layernormRef(emb, w.preLn[0], w.preLn[1], D, eps);
  const saved: LayerRef[] = [];
  for (const lw of w.layers) {
    const s = encoderLayerRef(x, lw, { B: 1, T, heads: H, eps, act, causal: false });
    saved.push(s);
    x = s.y;
  }
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
