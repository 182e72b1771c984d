/**
 * Both towers forward with their activations kept, and their backward into the gradients. The ops
 * and their order are those of vision.ts / text.ts, so the embeddings equal inference's; the text
 * tower gathers the pooled rows before final_layer_norm (per-row, so the same values) to skip the
 * norm's backward on rows that get no gradient.
 */
import { embedding, gatherRows, layernorm, matmul, patchEmbed } from '../../kernels/index.ts';
import { embeddingBackward } from '../../kernels/embedding/embedding-backward.ts';
import { gatherRowsBackward } from '../../kernels/gather-rows/gather-rows-backward.ts';
import { patchEmbedBackward } from '../../kernels/patch-embed/patch-embed-backward.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { ClipTextConfig, ClipVisionConfig } from '../config.ts';
import type { LayerWeights, TextWeights, VisionWeights } from '../weights.ts';
import type { TrainableParams } from './grads.ts';
import {
  layerBackward,
  layerForwardKeep,
  layernormBackwardInto,
  linearBackward,
  type KeptLayer,
  type LayerOptions,
} from './layer.ts';

interface KeptEncoder {
  layers: KeptLayer[];
  last: Tensor;
}

function encoderForwardKeep(pass: Pass, x: Tensor, layers: readonly LayerWeights[], o: LayerOptions): KeptEncoder {
  const kept: KeptLayer[] = [];
  for (const w of layers) {
    const r = layerForwardKeep(pass, x, w, o);
    kept.push(r.kept);
    x = r.y;
  }
  return { layers: kept, last: x };
}

/** Backward through every layer from dY of the last output; frees the kept activations and dY. */
function encoderBackward(
  pass: Pass,
  dy: Tensor,
  e: KeptEncoder,
  layers: readonly LayerWeights[],
  o: LayerOptions,
  grads: TrainableParams,
): Tensor {
  for (let i = layers.length - 1; i >= 0; i--) {
    const dx = layerBackward(pass, dy, e.layers[i], layers[i], o, grads);
    pass.free(dy, e.layers[i].x);
    dy = dx;
  }
  return dy;
}

// ---- vision -----------------------------------------------------------------------------------

export interface VisionKept {
  pixels: Tensor;
  emb: Tensor;
  enc: KeptEncoder;
  cls: Tensor;
  pooled: Tensor;
}

export function visionForwardKeep(
  pass: Pass,
  pixels: Tensor,
  w: VisionWeights,
  cfg: ClipVisionConfig,
  zeroIndex: Tensor,
): { embeds: Tensor; kept: VisionKept } {
  const emb = patchEmbed(pass, pixels, w.patch, w.cls, w.pos); // [B, T, D]
  const x0 = layernorm(pass, emb, w.preLn.w, w.preLn.b, cfg.layerNormEps); // hidden_states[0]
  const enc = encoderForwardKeep(pass, x0, w.layers, visionLayerOptions(cfg));
  const cls = gatherRows(pass, enc.last, zeroIndex); // [B, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, cfg.layerNormEps);
  const embeds = matmul(pass, pooled, w.proj, null); // [B, proj]
  pass.free(enc.last);
  return { embeds, kept: { pixels, emb, enc, cls, pooled } };
}

export function visionBackward(
  pass: Pass,
  dEmbeds: Tensor,
  k: VisionKept,
  w: VisionWeights,
  cfg: ClipVisionConfig,
  zeroIndex: Tensor,
  grads: TrainableParams,
): void {
  const eps = cfg.layerNormEps;
  const T = k.emb.shape[1];
  const dPooled = linearBackward(pass, dEmbeds, k.pooled, { w: w.proj, b: null }, grads);
  const dCls = layernormBackwardInto(pass, k.cls, w.postLn, dPooled, eps, grads);
  const dLast = gatherRowsBackward(pass, dCls, zeroIndex, T); // [B, T, D]
  pass.free(dPooled, dCls, k.cls, k.pooled);
  const dx0 = encoderBackward(pass, dLast, k.enc, w.layers, visionLayerOptions(cfg), grads);
  const dEmb = layernormBackwardInto(pass, k.emb, w.preLn, dx0, eps, grads);
  patchEmbedBackward(pass, k.pixels, dEmb, grads.gradOf(w.patch), grads.gradOf(w.cls), grads.gradOf(w.pos));
  pass.free(dx0, dEmb, k.emb);
}

const visionLayerOptions = (c: ClipVisionConfig): LayerOptions => ({
  heads: c.numHeads,
  eps: c.layerNormEps,
  act: c.hiddenAct,
  causal: false,
});

// ---- text -------------------------------------------------------------------------------------

export interface TextKept {
  T: number;
  enc: KeptEncoder;
  eotRows: Tensor;
  pooled: Tensor;
}

export function textForwardKeep(
  pass: Pass,
  ids: Tensor,
  poolIndex: Tensor,
  w: TextWeights,
  cfg: ClipTextConfig,
): { embeds: Tensor; kept: TextKept } {
  const x0 = embedding(pass, ids, w.tokens!, w.pos); // [B, T, D]
  const enc = encoderForwardKeep(pass, x0, w.layers, textLayerOptions(cfg));
  const eotRows = gatherRows(pass, enc.last, poolIndex); // [B, D]
  const pooled = layernorm(pass, eotRows, w.finalLn.w, w.finalLn.b, cfg.layerNormEps);
  const embeds = matmul(pass, pooled, w.proj, null); // [B, proj]
  pass.free(enc.last);
  return { embeds, kept: { T: ids.shape[1], enc, eotRows, pooled } };
}

/** `segments`: the batch's ids grouped by value (`tokenSegments`), for the deterministic token backward. */
export function textBackward(
  pass: Pass,
  dEmbeds: Tensor,
  k: TextKept,
  w: TextWeights,
  cfg: ClipTextConfig,
  poolIndex: Tensor,
  segments: Tensor,
  grads: TrainableParams,
): void {
  const dPooled = linearBackward(pass, dEmbeds, k.pooled, { w: w.proj, b: null }, grads);
  const dEot = layernormBackwardInto(pass, k.eotRows, w.finalLn, dPooled, cfg.layerNormEps, grads);
  const dLast = gatherRowsBackward(pass, dEot, poolIndex, k.T); // [B, T, D]
  pass.free(dPooled, dEot, k.eotRows, k.pooled);
  const dx0 = encoderBackward(pass, dLast, k.enc, w.layers, textLayerOptions(cfg), grads);
  embeddingBackward(pass, dx0, segments, grads.gradOf(w.tokens!), grads.gradOf(w.pos));
  pass.free(dx0);
}

const textLayerOptions = (c: ClipTextConfig): LayerOptions => ({
  heads: c.numHeads,
  eps: c.layerNormEps,
  act: c.hiddenAct,
  causal: true,
});
