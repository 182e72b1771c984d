/**
 * Dense patch similarity on the GPU, recorded in ONE pass with the vision tower:
 *
 *   patches: tokens of the last layer [B, T, D] -> post_layernorm -> visual_projection -> L2-normalize
 *            -> · L2-normalized query embeddings -> [B, T, Q]
 *   values:  the MaskCLIP variant: the last layer's value path replaces its attention (below).
 *
 * T = 1 + G² (CLS first): the head runs on every token and the CLS row is dropped on readback.
 */
import { activation, add, gatherRows, l2norm, layernorm, matmul } from '../../kernels/index.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { ClipVisionConfig } from '../config.ts';
import { visionTokens } from '../vision.ts';
import type { LayerWeights, VisionWeights } from '../weights.ts';

export type DenseMode = 'patches' | 'values';

/**
 * MaskCLIP's last block for ViT (Zhou et al., "Extract Free Dense Labels from CLIP", ECCV 2022).
 * Source: the MaskCLIP code base (github.com/chongzhou96/MaskCLIP; read in its copy
 * github.com/volgachen/MaskCLIP), mmseg/models/backbones/vit.py, `TransformerEncoderLayer.forward`
 * with `return_qkv=True` on the last layer (configs/_base_/models/maskclip_vit16.py), whose `v`
 * MaskClipHead (decode_heads/maskclip_head.py, `vit=True`) uses instead of the block's output:
 *
 *   y = in_proj(norm1(x))              q | k | v projections, with their biases
 *   v = out_proj(y_v)                  the attention's output projection (with bias) on v alone
 *   v = v + x                          the attention residual
 *   v = v + ffn(norm2(v))              the MLP block with its residual (mmcv FFN adds `identity`)
 *
 * i.e. the block with the query-key attention (softmax(q kᵀ)) replaced by the identity, so every
 * token keeps its own value. The backbone then applies the final norm (`final_norm`, CLIP's
 * ln_post) to v, and MaskClipHead projects it with the visual projection (1x1 conv, no bias),
 * L2-normalizes and takes the dot product with the normalized text embeddings (`cls_seg`):
 * exactly the head of `patches` mode, which follows.
 *
 * x: the last layer's input [B, T, D] (hidden_states[L-1]); returns [B, T, D].
 */
export function maskclipValues(pass: Pass, x: Tensor, w: LayerWeights, cfg: ClipVisionConfig): Tensor {
  const [B, T, D] = x.shape;
  const h = layernorm(pass, x, w.ln1.w, w.ln1.b, cfg.layerNormEps);    // [B, T, D]
  const qkv = matmul(pass, h, w.qkv.w, w.qkv.b);                         // [B, T, 3D] = q | k | v per token
  // v rows: seen as [B·T, 3, D], take row 2 of every token.
  const index = pass.input([B * T], new Uint32Array(B * T).fill(2));
  const v = gatherRows(pass, qkv.view([B * T, 3, D]), index);            // [B·T, D]
  const o = matmul(pass, v, w.out.w, w.out.b);                           // [B·T, D]
  const x1 = add(pass, o.view([B, T, D]), x);                            // [B, T, D]
  const h2 = layernorm(pass, x1, w.ln2.w, w.ln2.b, cfg.layerNormEps);
  const f = matmul(pass, h2, w.fc1.w, w.fc1.b);                          // [B, T, M]
  const g = activation(pass, f, cfg.hiddenAct);
  const m = matmul(pass, g, w.fc2.w, w.fc2.b);                           // [B, T, D]
  const x2 = add(pass, x1, m);
  pass.free(h, qkv, v, o, x1, h2, f, g, m);
  return x2;
}

/**
 * Records pixels [B, 3, S, S] -> cosine similarity of every token with every query: [B, T, Q]
 * (row 0 of each image is the CLS token). `queries` [Q, proj] need not be normalized.
 */
export function recordDenseSimilarity(
  pass: Pass, pixels: Tensor, queries: Tensor, w: VisionWeights, cfg: ClipVisionConfig, mode: DenseMode,
): Tensor {
  const L = w.layers.length;
  let tokens: Tensor;                                                     // [B, T, D]
  if (mode === 'values') {
    const x = visionTokens(pass, pixels, w, cfg, { layers: L - 1 });     // hidden_states[L-1]
    tokens = maskclipValues(pass, x, w.layers[L - 1], cfg);
    pass.free(x);
  } else {
    tokens = visionTokens(pass, pixels, w, cfg);                          // hidden_states[L]
  }
  const normed = layernorm(pass, tokens, w.postLn.w, w.postLn.b, cfg.layerNormEps);
  const proj = matmul(pass, normed, w.proj, null);                        // [B, T, P]
  const unit = l2norm(pass, proj);
  const q = l2norm(pass, queries);                                        // [Q, P]
  const sim = matmul(pass, unit, q, null);                                // [B, T, Q]
  pass.free(tokens, normed, proj, unit, q);
  return sim;
}

/** [T, Q] of one image as read back -> [G²][Q] rows without the CLS token. */
export function patchRows(flat: Float32Array, tokens: number, queries: number, image = 0): Float32Array[] {
  const base = image * tokens * queries;
  return Array.from({ length: tokens - 1 }, (_, p) => flat.slice(base + (p + 1) * queries, base + (p + 2) * queries));
}
