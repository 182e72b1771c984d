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

export interface VisionTokensOptions {
  /** Run only the first `layers` encoder layers (default: all); 0 returns hidden_states[0]. */
  layers?: number;
  trace?: VisionTrace;
}

/**
 * Every output token [B, 1+G², D] (CLS first, then the patches row-major) of the encoder after
 * `layers` layers, before post_layernorm: hidden_states[layers]. Dense uses (patch similarity,
 * MaskCLIP) start here; `visionTower` pools the CLS token of all layers.
 */
export function visionTokens(
  pass: Pass, pixels: Tensor, w: VisionWeights, cfg: ClipVisionConfig, options: VisionTokensOptions = {},
): Tensor {
  const { trace } = options;
  const n = options.layers ?? w.layers.length;
  if (!Number.isInteger(n) || n < 0 || n > w.layers.length) throw new Error(`visionTokens: ${n} of ${w.layers.length} layers`);
  const emb = patchEmbed(pass, pixels, w.patch, w.cls, w.pos);                  // [B, T, D]
  const x0 = layernorm(pass, emb, w.preLn.w, w.preLn.b, cfg.layerNormEps);      // [B, T, D] = hidden_states[0]
  if (trace) {
    trace.embeddings = emb;
    trace.hiddenStates = [x0];
  } else pass.free(emb);
  const last = encoder(pass, x0, w.layers.slice(0, n), {
    heads: cfg.numHeads, eps: cfg.layerNormEps, act: cfg.hiddenAct, causal: false,
    onLayer: trace ? (_, x) => trace.hiddenStates!.push(x) : undefined,
  });
  if (!trace && last !== x0) pass.free(x0);
  return last;
}

export function visionTower(
  pass: Pass, pixels: Tensor, w: VisionWeights, cfg: ClipVisionConfig, zeroIndex: Tensor, trace?: VisionTrace,
): Tensor {
  const last = visionTokens(pass, pixels, w, cfg, { trace });                   // [B, T, D]
  const cls = gatherRows(pass, last, zeroIndex);                                // [B, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, cfg.layerNormEps); // [B, D]
  const embeds = matmul(pass, pooled, w.proj, null);                            // [B, proj]
  if (trace) {
    trace.lastHidden = last;
    trace.pooled = pooled;
  } else pass.free(last, cls, pooled);
  return embeds;
}
