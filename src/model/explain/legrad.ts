/**
 * LeGrad (Bousselham et al., CVPR 2025, "LeGrad: An Explainability Method for Vision Transformers
 * via Feature Formation Sensitivity"; github.com/WalBouss/LeGrad, `LeWrapper.compute_legrad_clip`,
 * read, not copied), on our backward kernels, recorded in ONE pass:
 *
 *   for each vision layer l from `start` (LeGrad's default layer_index −2: the last two) to the last:
 *     s_l  = cos(text, proj(post_layernorm(mean over ALL tokens, CLS too, of layer l's output)))
 *     ∇P_l = ds_l / dP_l, P_l the layer's attention probabilities [H, T, T]: only layer l's own
 *            block lies between them (MLP -> out_proj -> attention), so each backward is one block.
 *   map = Σ_l mean_h mean_rows relu(∇P_l)[:, patches]   (gradcam.ts `legradMap`, on the CPU).
 *
 * The mean over tokens and its backward are matmuls with a 1/T row or column (no extra kernel):
 * mean = (1/T)·1ᵀ·y is matmulBackwardInput(1/T row, y), and ds/dy = (1/T)·1·ds/dmean is matmul.
 */
import { add, l2norm, layernorm, matmul } from '../../kernels/index.ts';
import { activationBackward } from '../../kernels/activation/activation-backward.ts';
import { attentionBackward } from '../../kernels/attention/attention-backward.ts';
import { l2normBackward } from '../../kernels/l2norm/l2norm-backward.ts';
import { layernormBackward } from '../../kernels/layernorm/layernorm-backward.ts';
import { matmulBackwardInput } from '../../kernels/matmul/matmul-backward.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import type { LayerHooks } from '../encoder.ts';
import { visionTokens } from '../vision.ts';
import { SAVED, recordScore, type ExplainInputs, type Saved } from './record.ts';

export interface LegradRecord {
  /** [1, 1] logits_per_image[0, 0] of the plain model (the score every method reports). */
  score: Tensor;
  /** ds_l/dP_l [1, H, T, T] for each layer from `layer` (the start) to the last. */
  gradProbs: Tensor[];
}

/** `inp.layer` is the first layer LeGrad reads; `inp.relevance` is unused. */
export function recordLegrad(pass: Pass, inp: ExplainInputs): LegradRecord {
  const { w, cfg, layer: start } = inp;
  const L = w.layers.length;
  if (!Number.isInteger(start) || start < 0 || start >= L) throw new Error(`recordLegrad: layer ${start} of ${L}`);
  const eps = cfg.layerNormEps;

  // ---- forward: keep what each block's backward needs, and each layer's input (= the output of the one below)
  const saved: Saved[] = []; // layers start..L-1
  const keep: LayerHooks = { keep: SAVED, kept: (_, t) => saved.push(t as Saved) };
  const x = visionTokens(pass, inp.pixels, w, cfg, { hooks: (i) => (i < start ? undefined : keep) }); // [1, T, D]
  const [B, T, D] = x.shape;
  if (B !== 1) throw new Error('recordLegrad: one image at a time');
  const txtU = l2norm(pass, inp.text); // [1, P]
  const score = recordScore(pass, x, txtU, inp);
  pass.free(saved[0].x); // the start layer's input: no score reads it

  const meanRow = pass.input([1, T], new Float32Array(T).fill(1 / T));
  const meanCol = pass.input([T, 1], new Float32Array(T).fill(1 / T));
  const gradProbs: Tensor[] = [];
  for (let i = start; i < L; i++) {
    const lw = w.layers[i];
    const s = saved[i - start];
    const y = i + 1 < L ? saved[i + 1 - start].x : x; // layer i's output [1, T, D]
    // s_i = cos(text, proj(post_layernorm(mean_t y)))
    const mean = matmulBackwardInput(pass, meanRow, y.view([T, D])); // [1, D]
    const pooled = layernorm(pass, mean, w.postLn.w, w.postLn.b, eps);
    const img = matmul(pass, pooled, w.proj, null); // [1, P]
    pass.free(pooled, y);
    // ds/dimgU = txtU; back to y
    const dImg = l2normBackward(pass, img, txtU);
    const dPooled = matmulBackwardInput(pass, dImg, w.proj); // [1, D]
    const dMean = layernormBackward(pass, mean, w.postLn.w, dPooled, eps).dx; // [1, D]
    const dy = matmul(pass, meanCol, dMean.view([D, 1]), null).view([1, T, D]); // (1/T)·1·dMean
    pass.free(mean, img, dImg, dPooled, dMean);
    // layer i's block, from its output to its attention probabilities
    const dg = matmulBackwardInput(pass, dy, lw.fc2.w); // [1, T, M]
    const df = activationBackward(pass, s.f!, dg, cfg.hiddenAct);
    const dh2 = matmulBackwardInput(pass, df, lw.fc1.w); // [1, T, D]
    const dx1b = layernormBackward(pass, s.x1!, lw.ln2.w, dh2, eps).dx;
    const dx1 = add(pass, dy, dx1b); // residual + MLP path
    const da = matmulBackwardInput(pass, dx1, lw.out.w); // [1, T, D]
    const att = attentionBackward(pass, s.qkv!, da, cfg.numHeads, { gradProbs: true });
    gradProbs.push(att.gradProbs!);
    pass.free(dy, dg, df, dh2, dx1b, dx1, da, att.probs, att.dqkv, s.f!, s.x1!, s.qkv!);
  }
  pass.free(txtU);
  return { score, gradProbs };
}
