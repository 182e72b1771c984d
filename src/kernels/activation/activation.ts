import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './activation.wgsl?raw';

export type Activation = 'quick_gelu' | 'gelu';
const ACT: Record<Activation, number> = { quick_gelu: 0, gelu: 1 };

/** y = act(x), elementwise; `out` may be `x` itself. */
export function activation(pass: Pass, x: Tensor, act: Activation, out?: Tensor): Tensor {
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  const pipeline = ctx.pipeline('activation', source, { ACT: ACT[act] });
  if (y === x) throw new Error('activation: in-place needs a read_write binding; pass another output');
  pass.dispatch(pipeline, ctx.uniform([x.size]), [x, y], grid(Math.ceil(x.size / 256)));
  return y;
}
