/**
 * Vision tower (HF CLIPVisionTransformer + visual_projection):
 * pixels [B, 3, S, S] -> patch embedding + class token + positions [B, 1+G², D] -> pre_layrnorm
 * -> encoder -> post_layernorm(CLS) [B, D] -> visual_projection [B, proj].
 */
import { gatherRows, layernorm, matmul, patchEmbed } from '../kernels/index.ts';
import type { Pass, Tensor } from '../kernels/runtime.ts';
import type { ClipVisionConfig } from './config.ts';
import { encoder, traceHooks, type EncoderHooks, type LayerTrace } from './encoder.ts';
import type { VisionWeights } from './weights.ts';

/** Everything the tower computes, kept until the pass is run (tests, inspection, training). */
export interface VisionTrace extends LayerTrace {
  embeddings?: Tensor; // [B, T, D]
  lastHidden?: Tensor; // [B, T, D]
  cls?: Tensor; // [B, D] the CLS rows of lastHidden
  pooled?: Tensor; // [B, D] post_layernorm(cls)
}

export interface VisionTokensOptions {
  /** Run only the first `layers` encoder layers (default: all); 0 returns hidden_states[0]. */
  layers?: number;
  trace?: VisionTrace;
  /** Per-layer hooks (what Grad-CAM keeps, MaskCLIP's value path); not with `trace`, which sets its own. */
  hooks?: EncoderHooks;
}

/**
 * Every output token [B, 1+G², D] (CLS first, then the patches row-major) of the encoder after
 * `layers` layers, before post_layernorm: hidden_states[layers]. Dense uses (patch similarity,
 * MaskCLIP) start here; `visionTower` pools the CLS token of all layers.
 */
export function visionTokens(
  pass: Pass,
  pixels: Tensor,
  w: VisionWeights,
  cfg: ClipVisionConfig,
  options: VisionTokensOptions = {},
): Tensor {
  const { trace } = options;
  const n = options.layers ?? w.layers.length;
  if (!Number.isInteger(n) || n < 0 || n > w.layers.length)
    throw new Error(`visionTokens: ${n} of ${w.layers.length} layers`);
  if (trace && options.hooks) throw new Error('visionTokens: a trace sets its own hooks');
  const emb = patchEmbed(pass, pixels, w.patch, w.cls, w.pos); // [B, T, D]
  const x0 = layernorm(pass, emb, w.preLn.w, w.preLn.b, cfg.layerNormEps); // [B, T, D] = hidden_states[0]
  if (trace) trace.embeddings = emb;
  else pass.free(emb);
  const last = encoder(pass, x0, w.layers.slice(0, n), {
    heads: cfg.numHeads,
    eps: cfg.layerNormEps,
    act: cfg.hiddenAct,
    causal: false,
    hooks: trace ? traceHooks(trace) : options.hooks,
  });
  if (trace) trace.hiddenStates!.push(last);
  return last;
}

export function visionTower(
  pass: Pass,
  pixels: Tensor,
  w: VisionWeights,
  cfg: ClipVisionConfig,
  zeroIndex: Tensor,
  trace?: VisionTrace,
): Tensor {
  const last = visionTokens(pass, pixels, w, cfg, { trace }); // [B, T, D]
  const cls = gatherRows(pass, last, zeroIndex); // [B, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, cfg.layerNormEps); // [B, D]
  const embeds = matmul(pass, pooled, w.proj, null); // [B, proj]
  if (trace) Object.assign(trace, { lastHidden: last, cls, pooled });
  else pass.free(last, cls, pooled);
  return embeds;
}
