import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './layernorm.wgsl?raw';

/** LayerNorm over the last dimension: x [..., D], gamma/beta [D] -> y [..., D]. */
export function layernorm(pass: Pass, x: Tensor, gamma: Tensor, beta: Tensor, eps: number, out?: Tensor): Tensor {
  const D = x.shape[x.shape.length - 1];
  if (gamma.size !== D || beta.size !== D) throw new Error(`layernorm: weights [${gamma.shape}] for D=${D}`);
  const rows = x.size / D;
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('layernorm', source), ctx.uniform([rows, D, eps], [2]), [x, gamma, beta, y], grid(rows));
  return y;
}
