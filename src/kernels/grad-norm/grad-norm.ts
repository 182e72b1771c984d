import type { Pass, Tensor } from '../runtime.ts';
import partialSource from './grad-norm-partial.wgsl?raw';
import finishSource from './grad-norm-finish.wgsl?raw';

/**
 * The global L2 norm of all `grads` and the clip factor min(1, maxNorm / (norm + 1e-6)) (1 when
 * `maxNorm` is absent), as a [2] tensor [norm, factor] that AdamW reads on the GPU.
 */
export function gradNorm(pass: Pass, grads: readonly Tensor[], maxNorm?: number): Tensor {
  const ctx = pass.ctx;
  const sums = pass.tmp([grads.length]);
  const partial = ctx.pipeline('grad-norm-partial', partialSource);
  grads.forEach((g, slot) => pass.dispatch(partial, ctx.uniform([g.size, slot]), [g, sums], [1]));
  const out = pass.tmp([2]);
  const clip = maxNorm !== undefined;
  pass.dispatch(
    ctx.pipeline('grad-norm-finish', finishSource),
    ctx.uniform([grads.length, clip ? 1 : 0, clip ? maxNorm : 0], [2]),
    [sums, out],
    [1],
  );
  pass.free(sums);
  return out;
}
