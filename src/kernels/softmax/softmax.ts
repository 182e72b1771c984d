import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './softmax.wgsl?raw';

/** Softmax over the last dimension. */
export function softmax(pass: Pass, x: Tensor, out?: Tensor): Tensor {
  const N = x.shape[x.shape.length - 1];
  const rows = x.size / N;
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('softmax', source), ctx.uniform([rows, N]), [x, y], grid(rows));
  return y;
}
