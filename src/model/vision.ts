/**
 * Vision tower (HF CLIPVisionTransformer + visual_projection):
 * pixels [B, 3, S, S] -> patch embedding + class token + positions [B, 1+G², D] -> pre_layrnorm
 * -> encoder -> post_layernorm(CLS) [B, D] -> visual_projection [B, proj].
 */
import { gatherRows, layernorm, matmul, patchEmbed } from '../kernels/index.ts';
import type { Pass, Tensor } from '../kernels/runtime.ts';
import type { ClipVisionConfig } from './config.ts';
import { encoder } from './encoder.ts';
import type { VisionWeights } from './weights.ts';

export interface VisionTrace {
  embeddings?: Tensor;       // [B, T, D]
  hiddenStates?: Tensor[];   // L + 1 of [B, T, D]
  lastHidden?: Tensor;       // [B, T, D]
  pooled?: Tensor;           // [B, D]
}

export function visionTower(
  pass: Pass, pixels: Tensor, w: VisionWeights, cfg: ClipVisionConfig, zeroIndex: Tensor, trace?: VisionTrace,
): Tensor {
  const emb = patchEmbed(pass, pixels, w.patch, w.cls, w.pos);                  // [B, T, D]
  const x0 = layernorm(pass, emb, w.preLn.w, w.preLn.b, cfg.layerNormEps);      // [B, T, D] = hidden_states[0]
  if (trace) {
    trace.embeddings = emb;
    trace.hiddenStates = [x0];
  } else pass.free(emb);
  const last = encoder(pass, x0, w.layers, {
    heads: cfg.numHeads, eps: cfg.layerNormEps, act: cfg.hiddenAct, causal: false,
    onLayer: trace ? (_, x) => trace.hiddenStates!.push(x) : undefined,
  });
  const cls = gatherRows(pass, last, zeroIndex);                                // [B, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, cfg.layerNormEps); // [B, D]
  const embeds = matmul(pass, pooled, w.proj, null);                            // [B, proj]
  if (trace) {
    trace.lastHidden = last;
    trace.pooled = pooled;
  } else pass.free(x0, last, cls, pooled);
  return embeds;
}
