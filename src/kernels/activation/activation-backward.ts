import { grid, type Pass, type Tensor } from '../runtime.ts';
import type { Activation } from './activation.ts';
import source from './activation-backward.wgsl?raw';

const ACT: Record<Activation, number> = { quick_gelu: 0, gelu: 1 };

/** Backward of `activation` given its input x and dY: dX = dY · act'(x). */
export function activationBackward(pass: Pass, x: Tensor, dy: Tensor, act: Activation, out?: Tensor): Tensor {
  if (dy.size !== x.size) throw new Error(`activationBackward: dY [${dy.shape}] for x [${x.shape}]`);
  const dx = out ?? pass.tmp(x.shape);
  if (dx === x || dx === dy) throw new Error('activationBackward: pass another output');
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('activation-backward', source, { ACT: ACT[act] }),
    ctx.uniform([x.size]),
    [x, dy, dx],
    grid(Math.ceil(x.size / 256)),
  );
  return dx;
}
