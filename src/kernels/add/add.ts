import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './add.wgsl?raw';

/** y = a + b (same shapes). */
export function add(pass: Pass, a: Tensor, b: Tensor, out?: Tensor): Tensor {
  if (a.size !== b.size) throw new Error(`add: [${a.shape}] + [${b.shape}]`);
  const y = out ?? pass.tmp(a.shape);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('add', source), ctx.uniform([a.size]), [a, b, y], grid(Math.ceil(a.size / 256)));
  return y;
}
