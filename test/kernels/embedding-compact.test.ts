/**
 * The token embedding with a compact table (f16, bf16, int8 with per-row scales, packed as compact
 * matrices are): the GPU gather against the CPU reference on the unpacked table, bit for bit, on odd
 * widths (packed rows straddle words) and repeated ids; and the int8 table's missing scales refused.
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { Tensor, type GpuContext } from '../../src/kernels/runtime.ts';
import { embedding } from '../../src/kernels/embedding/embedding.ts';
import { embeddingRef } from '../../src/kernels/embedding/reference.ts';
import { packMatrix, unpackMatrix, WEIGHT_DTYPE, type WeightFormat } from '../../src/kernels/matmul/weight-formats.ts';

const FORMATS: WeightFormat[] = ['f16', 'bf16', 'int8'];
/** [B, T, V, D]: an odd width (rows straddle u32 words for every format), CLIP's text width, one token. */
const CASES = [
  [3, 11, 1000, 19],
  [2, 77, 300, 64],
  [1, 1, 5, 3],
] as const;

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    for (const format of FORMATS)
      it(`a ${format} table gives the reference on its unpacked rows, bit for bit`, async () => {
        for (const [B, T, V, D] of CASES) {
          const ids = Uint32Array.from({ length: B * T }, (_, i) => (i * 7919) % V);
          const packed = packMatrix(rand(V * D, 16, 2), V, D, format);
          const pos = rand(T * D, 17);
          const words = ctx.tensor([V, D], packed.words, WEIGHT_DTYPE[format]);
          const table = packed.scale
            ? new Tensor(words.buffer, words.shape, words.dtype, ctx.tensor([V], packed.scale))
            : words;
          const [ti, tp] = [ctx.tensor([B, T], ids, 'u32'), ctx.tensor([T, D], pos)];
          const pass = ctx.pass();
          const [got] = await pass.run([embedding(pass, ti, table, tp)]);
          [ti, tp, words, ...(table.scale ? [table.scale] : [])].forEach((t) => ctx.release(t));
          expectClose(got, embeddingRef(ids, unpackMatrix(packed), pos, B, T, D), 0, `[${B}, ${T}] from [${V}, ${D}]`);
        }
      });

    it('refuses an int8 table without its scales', () => {
      const table = ctx.tensor([4, 4], new Uint32Array(4), 'i8');
      const pass = ctx.pass();
      expect(() =>
        embedding(pass, ctx.tensor([1, 2], new Uint32Array(2), 'u32'), table, ctx.tensor([2, 4], new Float32Array(8))),
      ).toThrow(/int8 table \[4,4\] needs 4 scales/);
    });
  });
