import { grid, type Pass, type Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import { invocationPerRow, workgroupPerRow, type LayernormShape } from './layernorm.ts';
import v1 from './layernorm-backward.wgsl?raw';
import v2 from './layernorm-backward-v2.wgsl?raw';
import paramsSource from './layernorm-backward-params.wgsl?raw';

/** Rows of length D, and eps: the forward's shape. */
export type LayernormBackwardShape = LayernormShape;

export type LayernormBackwardVersion = 'v1' | 'v2';

/**
 * dX (and each row's statistics for dγ/dβ): v1 a workgroup per row with tree sums (GPUs), v2 an
 * invocation per row (CPU adapters). A training step of the shipped model on llvmpipe spent 17% of its
 * time in v1 (`CLIP_WEBGPU_PROFILE=1`, 2026-12-03); BENCHMARKS.md has v2's numbers.
 */
export const LAYERNORM_BACKWARD: KernelOp<LayernormBackwardShape, LayernormBackwardVersion> = {
  op: 'layernorm-backward',
  versions: {
    v1: workgroupPerRow(v1, 'a workgroup of 128 per row, tree sums in workgroup memory'),
    v2: invocationPerRow(v2, 'an invocation per row (16 rows a workgroup), vec4 loads, no barriers (CPU adapters)'),
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

export interface LayernormGrads {
  dx: Tensor;
  /** With `params: true`: the gradients of γ and β, [D] each. */
  dgamma?: Tensor;
  dbeta?: Tensor;
}

/**
 * Backward of `layernorm` (over the last dimension) given its input x, γ and dY: dX, and with
 * `params` also dγ, dβ. The row statistics are recomputed from x, not kept from the forward.
 */
export function layernormBackward(
  pass: Pass,
  x: Tensor,
  gamma: Tensor,
  dy: Tensor,
  eps: number,
  opts: { params?: boolean; out?: Tensor; version?: LayernormBackwardVersion } = {},
): LayernormGrads {
  const D = x.shape[x.shape.length - 1];
  if (gamma.size !== D) throw new Error(`layernormBackward: γ [${gamma.shape}] for D=${D}`);
  if (dy.size !== x.size) throw new Error(`layernormBackward: dY [${dy.shape}] for x [${x.shape}]`);
  const rows = x.size / D;
  const ctx = pass.ctx;
  const dx = opts.out ?? pass.tmp(x.shape);
  const stats = pass.tmp([rows, 2]);
  runKernel(pass, LAYERNORM_BACKWARD, { rows, D, eps }, [x, gamma, dy, dx, stats], opts.version);
  if (!opts.params) {
    pass.free(stats);
    return { dx };
  }
  const dgamma = pass.tmp([D]);
  const dbeta = pass.tmp([D]);
  pass.dispatch(
    ctx.pipeline('layernorm-backward-params', paramsSource),
    ctx.uniform([rows, D]),
    [x, dy, stats, dgamma, dbeta],
    grid(Math.ceil(D / 256)),
  );
  pass.free(stats);
  return { dx, dgamma, dbeta };
}
