import type { Pass, Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import v1 from './cross-entropy.wgsl?raw';

export interface CrossEntropyShape {
  N: number;
  C: number;
}

/** One version so far (one workgroup: the probe's N×C is tiny), chosen everywhere. */
export const CROSS_ENTROPY: KernelOp<CrossEntropyShape, 'v1'> = {
  op: 'cross-entropy',
  versions: {
    v1: {
      note: 'one workgroup: a row per invocation, fixed-order tree sum of the loss',
      code: v1,
      params: (s) => [s.N, s.C],
      workgroups: () => [1],
    },
  },
  choice: { llvmpipe: 'v1', swiftshader: 'v1', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

export interface CrossEntropy {
  /** [1] the mean loss over the rows. */
  loss: Tensor;
  /** [N, C] dLoss/dlogits. */
  dlogits: Tensor;
}

/**
 * Softmax cross-entropy of `logits` [N, C] against `labels` [N] (u32 class indices, each below C),
 * averaged over rows; forward and backward in one dispatch. Labels are the caller's to check.
 */
export function crossEntropy(pass: Pass, logits: Tensor, labels: Tensor): CrossEntropy {
  const [N, C] = logits.shape;
  if (logits.shape.length !== 2 || labels.size !== N || labels.dtype !== 'u32')
    throw new Error(`crossEntropy: logits [${logits.shape}] and ${labels.dtype} labels [${labels.shape}]`);
  const loss = pass.tmp([1]);
  const dlogits = pass.tmp([N, C]);
  runKernel(pass, CROSS_ENTROPY, { N, C }, [logits, labels, dlogits, loss]);
  return { loss, dlogits };
}
