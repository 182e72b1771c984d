import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './attention-relevance.wgsl?raw';

/**
 * One layer's term of Chefer et al.'s attention relevance: mean over heads of relu(dP ⊙ P), from
 * `attentionBackward`'s probabilities and their gradient [B, H, T, T] -> [B, T, T].
 */
export function attentionRelevance(pass: Pass, probs: Tensor, gradProbs: Tensor, out?: Tensor): Tensor {
  const [B, H, T] = probs.shape;
  if (gradProbs.size !== probs.size)
    throw new Error(`attentionRelevance: dP [${gradProbs.shape}] for P [${probs.shape}]`);
  const cam = out ?? pass.tmp([B, T, T]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('attention-relevance', source),
    ctx.uniform([B, H, T * T]),
    [probs, gradProbs, cam],
    grid(Math.ceil((B * T * T) / 256)),
  );
  return cam;
}
