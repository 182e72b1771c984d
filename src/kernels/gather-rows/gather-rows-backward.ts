import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './gather-rows-backward.wgsl?raw';

/** Backward of `gatherRows`: dY [B, D] scattered into zeros [B, T, D] at row index[b] (CLS/EOT pooling). */
export function gatherRowsBackward(pass: Pass, dy: Tensor, index: Tensor, T: number, out?: Tensor): Tensor {
  const [B, D] = dy.shape;
  if (index.size !== B) throw new Error(`gatherRowsBackward: ${index.size} indices for batch ${B}`);
  const dx = out ?? pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('gather-rows-backward', source),
    ctx.uniform([B, T, D]),
    [dy, index, dx],
    grid(Math.ceil((B * T * D) / 256)),
  );
  return dx;
}
