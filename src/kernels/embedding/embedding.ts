import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './embedding.wgsl?raw';

/** ids [B, T] (u32, each < vocab), table [V, D], pos [maxT, D] -> [B, T, D]. */
export function embedding(pass: Pass, ids: Tensor, table: Tensor, pos: Tensor): Tensor {
  const [B, T] = ids.shape;
  const D = table.shape[1];
  if (pos.size < T * D) throw new Error(`embedding: positions [${pos.shape}] for ${T} tokens`);
  const y = pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('embedding', source),
    ctx.uniform([B, T, D]),
    [ids, table, pos, y],
    grid(Math.ceil((B * T * D) / 256)),
  );
  return y;
}
