import { grid, type Pass, type Tensor } from '../runtime.ts';
import kernel from './activation.wgsl?raw';
import formulas from './activation-formulas.wgsl?raw';

export type Activation = 'quick_gelu' | 'gelu';
const ACT: Record<Activation, number> = { quick_gelu: 0, gelu: 1 };

/** The activation formulas (`fn activate(v, act)`: 1 quick_gelu, 2 gelu), shared with matmul's fused epilogue. */
export const ACTIVATION_FORMULAS_WGSL = formulas;
/** matmul's `ACT` constant: 0 none, 1 quick_gelu, 2 gelu (the codes of `activate`). */
export const ACTIVATE_CODE: Record<Activation, number> = { quick_gelu: 1, gelu: 2 };

const source = `${kernel}\n${formulas}`;

/** y = act(x), elementwise; `out` may be `x` itself. */
export function activation(pass: Pass, x: Tensor, act: Activation, out?: Tensor): Tensor {
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  const pipeline = ctx.pipeline('activation', source, { ACT: ACT[act] });
  if (y === x) throw new Error('activation: in-place needs a read_write binding; pass another output');
  pass.dispatch(pipeline, ctx.uniform([x.size]), [x, y], grid(Math.ceil(x.size / 256)));
  return y;
}
