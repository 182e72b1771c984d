import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './gather-rows.wgsl?raw';

/** x [B, T, D], index [B] (u32) -> y [B, D] with y[b] = x[b, index[b]]. */
export function gatherRows(pass: Pass, x: Tensor, index: Tensor): Tensor {
  const [B, T, D] = x.shape;
  if (index.size !== B) throw new Error(`gatherRows: ${index.size} indices for batch ${B}`);
  const y = pass.tmp([B, D]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('gather-rows', source),
    ctx.uniform([B, T, D]),
    [x, index, y],
    grid(Math.ceil((B * D) / 256)),
  );
  return y;
}
