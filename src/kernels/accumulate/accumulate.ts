import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './accumulate.wgsl?raw';

/** dst[dstOffset + i] += src[srcOffset + i] for i < n (default: all of src). */
export function accumulate(
  pass: Pass,
  dst: Tensor,
  src: Tensor,
  o: { n?: number; dstOffset?: number; srcOffset?: number } = {},
): void {
  const n = o.n ?? src.size;
  const dOff = o.dstOffset ?? 0,
    sOff = o.srcOffset ?? 0;
  if (dOff + n > dst.size || sOff + n > src.size)
    throw new Error(`accumulate: ${n} values from [${src.shape}]@${sOff} into [${dst.shape}]@${dOff}`);
  if (dst.buffer === src.buffer) throw new Error('accumulate: src and dst share a buffer');
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('accumulate', source), ctx.uniform([n, dOff, sOff]), [src, dst], grid(Math.ceil(n / 256)));
}
