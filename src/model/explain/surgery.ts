/**
 * CLIP Surgery (Li et al. 2023, "CLIP Surgery for Better Explainability with Enhancement in
 * Open-Vocabulary Tasks"; github.com/xmed-lab/CLIP_Surgery, clip/clip_surgery_model.py and
 * clip/clip.py, read, not copied): forward only, no gradient.
 *
 * Architecture surgery: from block `start` on (the authors' code: the last 6 blocks) a second path
 * runs beside the model's. Each such block's attention also runs as v-v self-attention
 * softmax(v vᵀ · hd^-0.5) v on the original path's qkv (its ln_1 input is the original path's), and
 * the new path adds out_proj of it, skipping the MLP:
 *   x_new = x_start + Σ_{l ≥ start} out_proj_l(vv_attention(qkv_l))      [1, T, D]
 * The original path runs unchanged (its CLS gives the score).
 * Feature surgery, for a single text (the authors' demo): the redundant feature is the embedding of
 * the empty string "", so the map is, per patch, cos(proj(post_layernorm(x_new)), ·) against
 *   unit(text) − unit(text("")),
 * computed here as l2norm(patch features) · direction with direction = that difference [1, P].
 */
import { attention, l2norm, layernorm, matmul } from '../../kernels/index.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { LayerHooks } from '../encoder.ts';
import { visionTokens } from '../vision.ts';
import { recordScore, type ExplainInputs } from './record.ts';

/** The authors' default: the last 6 blocks get the surgery path ("surgery 7" in `range(1, 7)`). */
export const SURGERY_BLOCKS = 6;

export interface SurgeryInputs extends ExplainInputs {
  /** [1, P] unit(text) − unit(text("")): feature surgery's redundancy removed. */
  direction: Tensor;
}

export interface SurgeryRecord {
  /** [1, 1] logits_per_image[0, 0] of the original path. */
  score: Tensor;
  /** [1, T, 1] per token (CLS first): unit patch feature of the new path · direction. */
  similarity: Tensor;
}

/** `inp.layer` is the first block with the surgery path. */
export function recordSurgery(pass: Pass, inp: SurgeryInputs): SurgeryRecord {
  const { w, cfg, layer: start } = inp;
  const L = w.layers.length;
  if (!Number.isInteger(start) || start < 0 || start >= L) throw new Error(`recordSurgery: layer ${start} of ${L}`);
  let xStart: Tensor | undefined;
  const qkvs: Tensor[] = []; // blocks start..L-1
  const hooks = (i: number): LayerHooks | undefined =>
    i < start
      ? undefined
      : {
          keep: i === start ? ['x', 'qkv'] : ['qkv'],
          kept: (_, t) => {
            if (i === start) xStart = t.x;
            qkvs.push(t.qkv!);
          },
        };
  const x = visionTokens(pass, inp.pixels, w, cfg, { hooks }); // the original path [1, T, D]
  const txtU = l2norm(pass, inp.text);
  const score = recordScore(pass, x, txtU, inp);
  pass.free(x, txtU);

  let xNew = xStart!; // [1, T, D]
  qkvs.forEach((qkv, k) => {
    const lw = w.layers[start + k];
    const a = attention(pass, qkv, cfg.numHeads, { scores: 'vv' }); // [1, T, D]
    const next = matmul(pass, a, lw.out.w, lw.out.b, { residual: xNew }); // x_new + out_proj(a)
    pass.free(a, qkv, xNew);
    xNew = next;
  });
  const normed = layernorm(pass, xNew, w.postLn.w, w.postLn.b, cfg.layerNormEps);
  const feats = matmul(pass, normed, w.proj, null); // [1, T, P]
  const unit = l2norm(pass, feats);
  const similarity = matmul(pass, unit, inp.direction, null); // [1, T, 1]
  pass.free(xNew, normed, feats, unit);
  return { score, similarity };
}
