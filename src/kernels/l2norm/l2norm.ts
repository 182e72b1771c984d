import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './l2norm.wgsl?raw';

/** Rows scaled to unit L2 norm. */
export function l2norm(pass: Pass, x: Tensor, out?: Tensor): Tensor {
  const D = x.shape[x.shape.length - 1];
  const rows = x.size / D;
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('l2norm', source), ctx.uniform([rows, D]), [x, y], grid(rows));
  return y;
}
