/**
 * Dense patch similarity on the GPU, recorded in ONE pass with the vision tower:
 *
 *   patches: tokens of the last layer [B, T, D] -> post_layernorm -> visual_projection -> L2-normalize
 *            -> · L2-normalized query embeddings -> [B, T, Q]
 *   values:  the MaskCLIP variant: the last layer's value path replaces its attention (below).
 *
 * T = 1 + G² (CLS first): the head runs on every token and the CLS row is dropped on readback.
 */
import { gatherRows, l2norm, layernorm, matmul } from '../../kernels/index.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { ClipVisionConfig } from '../config.ts';
import { visionTokens } from '../vision.ts';
import type { LayerHooks } from '../encoder.ts';
import type { VisionWeights } from '../weights.ts';

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
 * As a hook of the encoder layer: the attention of the last layer becomes qkv [B, T, 3D] -> v [B, T, D];
 * the rest of the block (out_proj with the residual, the MLP) is the layer's own fused path.
 */
export const maskclipValues: LayerHooks = {
  attention: (pass, qkv) => {
    const [B, T, D3] = qkv.shape;
    const D = D3 / 3;
    // v rows: qkv seen as [B·T, 3, D], take row 2 of every token.
    const index = pass.input([B * T], new Uint32Array(B * T).fill(2));
    const v = gatherRows(pass, qkv.view([B * T, 3, D]), index); // [B·T, D]
    pass.free(index);
    return v.view([B, T, D]);
  },
};

/**
 * Records pixels [B, 3, S, S] -> cosine similarity of every token with every query: [B, T, Q]
 * (row 0 of each image is the CLS token). `queries` [Q, proj] need not be normalized.
 * `lastBlock`: hooks of the last layer (MaskCLIP's value path here, the segmentation methods in
 * model/segment); none gives the plain patch tokens.
 */
export function recordDenseSimilarity(
  pass: Pass,
  pixels: Tensor,
  queries: Tensor,
  w: VisionWeights,
  cfg: ClipVisionConfig,
  lastBlock?: LayerHooks,
): Tensor {
  const last = w.layers.length - 1;
  const hooks = lastBlock ? (i: number) => (i === last ? lastBlock : undefined) : undefined;
  const tokens = visionTokens(pass, pixels, w, cfg, { hooks }); // [B, T, D]
  const normed = layernorm(pass, tokens, w.postLn.w, w.postLn.b, cfg.layerNormEps);
  const proj = matmul(pass, normed, w.proj, null); // [B, T, P]
  const unit = l2norm(pass, proj);
  const q = l2norm(pass, queries); // [Q, P]
  const sim = matmul(pass, unit, q, null); // [B, T, Q]
  pass.free(tokens, normed, proj, unit, q);
  return sim;
}

/** [T, Q] of one image as read back -> [G²][Q] rows without the CLS token. */
export function patchRows(flat: Float32Array, tokens: number, queries: number, image = 0): Float32Array[] {
  const base = image * tokens * queries;
  return Array.from({ length: tokens - 1 }, (_, p) => flat.slice(base + (p + 1) * queries, base + (p + 2) * queries));
}
