/**
 * The vision forward with the activations the backward needs, then the backward from the score to
 * the target layer's `layer_norm1` output: recorded in ONE pass, all on the GPU.
 *
 * Forward: the vision tower's own layers (`encoderLayer`, fused path), so the activations equal
 * `encodeImage`'s; hooks keep, from the target layer on, each layer's input x, qkv, x1 = x + attn
 * and the fc1 pre-activation f (the target also keeps A = layer_norm1(x)). Keeping f is what makes
 * those layers run fc1 and the activation as two dispatches (the activation's backward needs f);
 * layers before the target keep nothing. Plain inference is not touched.
 *
 * Score: logits_per_image[0, 0] = exp(logit_scale) · l2norm(img) · l2norm(txt)ᵀ, as `similarity`.
 *
 * Backward (every op has its WGSL backward kernel; see src/kernels/<op>/<op>-backward.*):
 *   dScore = 1
 *   -> matmul (score, alpha = exp(logit_scale)) dX   -> l2norm        -> visual_projection dX
 *   -> post_layernorm dX -> CLS pooling (gather-rows scatter into zeros [T, D])
 *   -> per layer, last to target: fc2 dX -> activation -> fc1 dX -> layer_norm2 dX, + the residual
 *      gradient (residual adds fan the gradient out: their backward is routing, and where two
 *      gradients meet they are summed with the forward `add` kernel) -> out_proj dX -> attention
 *      dQKV (probabilities recomputed; dP too for relevance) -> qkv dX = dScore/d layer_norm1(x),
 *      which is G at the target, else -> layer_norm1 dX + residual -> the layer below.
 * Relevance (Chefer et al.): per layer from the target up, mean_h relu(dP ⊙ P) [T, T]; the rollout
 * R = I; R += cam·R (ascending layers) runs as Sᵀ = Rᵀ: S += S·camᵀ with the forward matmul.
 */
import { add, gatherRows, l2norm, layernorm, matmul } from '../../kernels/index.ts';
import { activationBackward } from '../../kernels/activation/activation-backward.ts';
import { attentionBackward } from '../../kernels/attention/attention-backward.ts';
import { attentionRelevance } from '../../kernels/attention/attention-relevance.ts';
import { gatherRowsBackward } from '../../kernels/gather-rows/gather-rows-backward.ts';
import { l2normBackward } from '../../kernels/l2norm/l2norm-backward.ts';
import { layernormBackward } from '../../kernels/layernorm/layernorm-backward.ts';
import { matmulBackwardInput } from '../../kernels/matmul/matmul-backward.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { LayerHooks, LayerTensorName, LayerTensors } from '../encoder.ts';
import type { ClipVisionConfig } from '../config.ts';
import { visionTokens } from '../vision.ts';
import type { VisionWeights } from '../weights.ts';

export interface ExplainInputs {
  /** [1, 3, S, S] normalized pixels. */
  pixels: Tensor;
  /** [1, proj] text embedding (projected, not normalized). */
  text: Tensor;
  w: VisionWeights;
  cfg: ClipVisionConfig;
  /** [1] u32 zero: the CLS row. */
  zeroIndex: Tensor;
  /** exp(logit_scale). */
  logitScale: number;
  /** Target layer, 0-based. */
  layer: number;
  /** Also roll out Chefer et al.'s attention relevance from `layer` to the last layer. */
  relevance?: boolean;
}

export interface ExplainRecord {
  /** [1, 1] logits_per_image[0, 0]. */
  score: Tensor;
  /** A: the target layer's layer_norm1 output [1, T, D] (CLS first). */
  activations: Tensor;
  /** G = dScore/dA [1, T, D]. */
  gradients: Tensor;
  /** With `relevance`: Rᵀ [T, T] after the rollout; R[0, j] (CLS row) is column 0. */
  relevanceT?: Tensor;
}

/** What a layer's backward reads, kept from its forward (LeGrad keeps the same). */
export type Saved = Pick<LayerTensors, 'x' | 'qkv' | 'x1' | 'f'>;
export const SAVED: readonly LayerTensorName[] = ['x', 'qkv', 'x1', 'f'];

export function recordExplanation(pass: Pass, inp: ExplainInputs): ExplainRecord {
  const { w, cfg, layer: l } = inp;
  const L = w.layers.length;
  if (!Number.isInteger(l) || l < 0 || l >= L) throw new Error(`recordExplanation: layer ${l} of ${L}`);
  const eps = cfg.layerNormEps;

  // ---- forward ---------------------------------------------------------------------------------
  const saved: Saved[] = []; // layers l..L-1
  let A: Tensor | undefined;
  const keep: LayerHooks = { keep: SAVED, kept: (_, t) => saved.push(t as Saved) };
  const target: LayerHooks = {
    keep: [...SAVED, 'h'],
    kept: (_, { h, ...t }) => {
      A = h;
      saved.push(t as Saved);
    },
  };
  const x = visionTokens(pass, inp.pixels, w, cfg, { hooks: (i) => (i < l ? undefined : i === l ? target : keep) }); // [1, T, D]
  const [B, T] = x.shape;
  if (B !== 1) throw new Error('recordExplanation: one image at a time');
  const cls = gatherRows(pass, x, inp.zeroIndex); // [1, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, eps);
  const img = matmul(pass, pooled, w.proj, null); // [1, P]
  const imgU = l2norm(pass, img);
  const txtU = l2norm(pass, inp.text);
  const score = matmul(pass, imgU, txtU, null, { alpha: inp.logitScale }); // [1, 1]
  pass.free(x, pooled, imgU);

  // ---- backward --------------------------------------------------------------------------------
  const one = pass.input([1, 1], new Float32Array([1]));
  const dImgU = matmulBackwardInput(pass, one, txtU, { alpha: inp.logitScale }); // [1, P]
  const dImg = l2normBackward(pass, img, dImgU);
  const dPooled = matmulBackwardInput(pass, dImg, w.proj); // [1, D]
  const dCls = layernormBackward(pass, cls, w.postLn.w, dPooled, eps).dx;
  let dx = gatherRowsBackward(pass, dCls, inp.zeroIndex, T); // [1, T, D]
  pass.free(txtU, dImgU, img, dImg, dPooled, cls, dCls);

  const cams: Tensor[] = [];
  let G: Tensor | null = null;
  for (let i = L - 1; i >= l; i--) {
    const lw = w.layers[i];
    const s = saved[i - l];
    const dg = matmulBackwardInput(pass, dx, lw.fc2.w); // [1, T, M]
    const df = activationBackward(pass, s.f, dg, cfg.hiddenAct);
    const dh2 = matmulBackwardInput(pass, df, lw.fc1.w); // [1, T, D]
    const dx1b = layernormBackward(pass, s.x1, lw.ln2.w, dh2, eps).dx;
    const dx1 = add(pass, dx, dx1b); // d x1: residual + MLP path
    pass.free(dg, df, dh2, dx1b, dx, s.f, s.x1);
    const da = matmulBackwardInput(pass, dx1, lw.out.w); // [1, T, D]
    const att = attentionBackward(pass, s.qkv, da, cfg.numHeads, { gradProbs: inp.relevance });
    if (att.gradProbs) {
      cams.push(attentionRelevance(pass, att.probs, att.gradProbs).view([T, T]));
      pass.free(att.gradProbs);
    }
    const dh = matmulBackwardInput(pass, att.dqkv, lw.qkv.w); // dScore/d layer_norm1(x) [1, T, D]
    pass.free(da, att.probs, att.dqkv, s.qkv);
    if (i === l) {
      G = dh;
      pass.free(dx1);
      break;
    }
    const dxb = layernormBackward(pass, s.x, lw.ln1.w, dh, eps).dx;
    dx = add(pass, dx1, dxb); // d x: residual + attention path
    pass.free(dh, dxb, dx1, s.x);
  }

  let relevanceT: Tensor | undefined;
  if (inp.relevance) {
    const eye = new Float32Array(T * T);
    for (let i = 0; i < T; i++) eye[i * T + i] = 1;
    let S = pass.input([T, T], eye);
    for (const cam of cams.reverse()) {
      // layer l first
      const sc = matmul(pass, S, cam, null); // S·camᵀ = (cam·R)ᵀ
      const next = add(pass, S, sc);
      pass.free(sc, S, cam);
      S = next;
    }
    relevanceT = S;
  }
  return { score, activations: A!, gradients: G!, relevanceT };
}

/**
 * logits_per_image[0, 0] = exp(logit_scale) · cos(CLS embedding of x [1, T, D], text) as [1, 1]
 * (txtU: the unit text embedding [1, P]): the plain model's score, which LeGrad and CLIP Surgery
 * report beside their maps. Frees its intermediates; x and txtU stay the caller's.
 */
export function recordScore(pass: Pass, x: Tensor, txtU: Tensor, inp: ExplainInputs): Tensor {
  const { w, cfg } = inp;
  const cls = gatherRows(pass, x, inp.zeroIndex); // [1, D]
  const pooled = layernorm(pass, cls, w.postLn.w, w.postLn.b, cfg.layerNormEps);
  const img = matmul(pass, pooled, w.proj, null); // [1, P]
  const imgU = l2norm(pass, img);
  const score = matmul(pass, imgU, txtU, null, { alpha: inp.logitScale }); // [1, 1]
  pass.free(cls, pooled, img, imgU);
  return score;
}
