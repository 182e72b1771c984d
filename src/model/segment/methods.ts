/**
 * Training-free segmentation: each dense method is a small change to the LAST vision block, given to
 * the one encoder layer as hooks (encoder.ts); `relevance` reads the gradient of each label's score
 * instead (relevance.ts). Sources are the authors' code (read, not copied):
 *
 *   raw        the plain block; the patch tokens go through post_layernorm and the projection.
 *   maskclip   Zhou et al., ECCV 2022 (github.com/chongzhou96/MaskCLIP): the value path instead of
 *              q-k attention, the rest of the block kept (detect/patches.ts, `maskclipValues`).
 *   sclip      Wang et al., ECCV 2024 (github.com/wangf3014/SCLIP, clip/model.py `custom_attn`,
 *              csa=True): correlative attention softmax(q qᵀ·s) + softmax(k kᵀ·s), applied to v;
 *              the residual and the MLP kept: x += out_proj(a); x += mlp(ln_2(x)).
 *   clearclip  Lan et al., ECCV 2024 (github.com/mc-lan/ClearCLIP, open_clip/transformer.py,
 *              model_type 'ClearCLIP', ignore_residual=True): softmax(q qᵀ·s) v; the block's output
 *              is out_proj(a) alone: no residual, no MLP.
 *   naclip     Hajimiri et al., WACV 2025 (github.com/sinahmr/NACLIP, clip/model.py, arch 'reduced',
 *              attn_strategy 'naclip', gaussian_std 5): softmax(k kᵀ·s + ω) v with ω a Gaussian
 *              of the distance between the two patches on the grid (0 for the CLS row and column);
 *              output out_proj(a): no residual, no MLP.
 *
 * s = head_dim^-0.5 throughout; heads are the model's.
 */
import { add, attention, attentionBias } from '../../kernels/index.ts';
import type { ClipVisionConfig } from '../config.ts';
import { maskclipValues } from '../detect/patches.ts';
import type { LayerHooks } from '../encoder.ts';

/** The methods that change the last block and read its patch tokens. */
export type LastBlockMethod = 'raw' | 'maskclip' | 'sclip' | 'clearclip' | 'naclip';
export const LAST_BLOCK_METHODS: readonly LastBlockMethod[] = ['raw', 'maskclip', 'sclip', 'clearclip', 'naclip'];
export type SegmentMethod = LastBlockMethod | 'relevance';
export const SEGMENT_METHODS: readonly SegmentMethod[] = [...LAST_BLOCK_METHODS, 'relevance'];

/** NACLIP's default standard deviation of the neighbourhood Gaussian, in patches. */
export const NACLIP_STD = 5;

/**
 * NACLIP's attention addition ω [T, T] for a gh x gw patch grid, T = 1 + gh·gw (CLS first, patches
 * row-major): ω[p, p'] = exp(−|p − p'|² / (2σ²)) with |p − p'| the distance of the two cells in
 * patches; the CLS row and column are 0 (`get_attention_addition(..., adjust_for_cls=True)`).
 */
export function neighbourhoodBias(gh: number, gw: number, std = NACLIP_STD): Float32Array {
  const n = gh * gw;
  const T = n + 1;
  const out = new Float32Array(T * T);
  for (let p = 0; p < n; p++) {
    const [py, px] = [Math.floor(p / gw), p % gw];
    for (let q = 0; q < n; q++) {
      const [qy, qx] = [Math.floor(q / gw), q % gw];
      out[(p + 1) * T + q + 1] = Math.exp(-((py - qy) ** 2 + (px - qx) ** 2) / (2 * std * std));
    }
  }
  return out;
}

/** The patch grid [rows, cols] of the vision tower's input. */
export function patchGrid(cfg: ClipVisionConfig): [number, number] {
  const g = Math.floor(cfg.imageSize / cfg.patchSize);
  return [g, g];
}

/** The last block's hooks for `method` (undefined: the plain block). */
export function lastBlockHooks(method: LastBlockMethod, cfg: ClipVisionConfig): LayerHooks | undefined {
  const heads = cfg.numHeads;
  switch (method) {
    case 'raw':
      return undefined;
    case 'maskclip':
      return maskclipValues;
    case 'sclip':
      return {
        attention: (pass, qkv) => {
          // (softmax(q qᵀ s) + softmax(k kᵀ s)) v = softmax(q qᵀ s) v + softmax(k kᵀ s) v
          const qq = attention(pass, qkv, heads, { scores: 'qq' });
          const kk = attention(pass, qkv, heads, { scores: 'kk' });
          const a = add(pass, qq, kk);
          pass.free(qq, kk);
          return a;
        },
      };
    case 'clearclip':
      return { attention: (pass, qkv) => attention(pass, qkv, heads, { scores: 'qq' }), residual: false, mlp: false };
    case 'naclip': {
      const [gh, gw] = patchGrid(cfg);
      const omega = neighbourhoodBias(gh, gw);
      return {
        attention: (pass, qkv) => {
          const bias = pass.input([omega.length], omega);
          const a = attentionBias(pass, qkv, bias, heads, { scores: 'kk' });
          pass.free(bias);
          return a;
        },
        residual: false,
        mlp: false,
      };
    }
  }
}
