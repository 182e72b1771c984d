import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './l2norm-backward.wgsl?raw';

/** Backward of `l2norm` (rows) from its input x and dY: dX = (dY − y (y·dY)) / |x|. */
export function l2normBackward(pass: Pass, x: Tensor, dy: Tensor, out?: Tensor): Tensor {
  if (dy.size !== x.size) throw new Error(`l2normBackward: dY [${dy.shape}] for x [${x.shape}]`);
  const D = x.shape[x.shape.length - 1];
  const rows = x.size / D;
  const dx = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('l2norm-backward', source), ctx.uniform([rows, D]), [x, dy, dx], grid(rows));
  return dx;
}
