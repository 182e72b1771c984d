import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './layernorm-backward.wgsl?raw';
import paramsSource from './layernorm-backward-params.wgsl?raw';

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
  opts: { params?: boolean; out?: Tensor } = {},
): LayernormGrads {
  const D = x.shape[x.shape.length - 1];
  if (gamma.size !== D) throw new Error(`layernormBackward: γ [${gamma.shape}] for D=${D}`);
  if (dy.size !== x.size) throw new Error(`layernormBackward: dY [${dy.shape}] for x [${x.shape}]`);
  const rows = x.size / D;
  const ctx = pass.ctx;
  const dx = opts.out ?? pass.tmp(x.shape);
  const stats = pass.tmp([rows, 2]);
  pass.dispatch(
    ctx.pipeline('layernorm-backward', source),
    ctx.uniform([rows, D, eps], [2]),
    [x, gamma, dy, dx, stats],
    grid(rows),
  );
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
