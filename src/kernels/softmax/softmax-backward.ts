import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './softmax-backward.wgsl?raw';

/** Backward of `softmax` (last dimension) from its output y and dY: dX = y ⊙ (dY − Σ y·dY). */
export function softmaxBackward(pass: Pass, y: Tensor, dy: Tensor, out?: Tensor): Tensor {
  if (dy.size !== y.size) throw new Error(`softmaxBackward: dY [${dy.shape}] for y [${y.shape}]`);
  const N = y.shape[y.shape.length - 1];
  const rows = y.size / N;
  const dx = out ?? pass.tmp(y.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('softmax-backward', source), ctx.uniform([rows, N]), [y, dy, dx], grid(rows));
  return dx;
}
