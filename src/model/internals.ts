/**
 * @internal The one way tasks built on a model's internals (detection, explanations, crops,
 * training) reach them: `ClipModel.internals()`. Components and the CLI use the public API instead.
 */
import type { GpuContext, Tensor } from '../kernels/runtime.ts';
import type { ClipModel } from './clip.ts';
import type { ClipConfig } from './config.ts';
import type { ClipWeights } from './weights.ts';

export interface ClipInternals {
  /** The public model: encodeText, labelEmbeddings, prepareImages (CLIP's preprocessing)... */
  model: ClipModel;
  /** The GPU context the model runs on (the model owns it). */
  ctx: GpuContext;
  /** The live weights on the GPU (checked not disposed when `internals()` was called). */
  weights: ClipWeights;
  config: ClipConfig;
  /** exp(logit_scale), f32. */
  logitScale: number;
  /** A cached [n] u32 tensor of zeros: the CLS row of each of n images (pooling). Owned by the model. */
  zeros(n: number): Tensor;
}
