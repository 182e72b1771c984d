/**
 * GpuContext.profile (`CLIP_WEBGPU_PROFILE=1`): each dispatch runs in a submission of its own and its
 * time adds up under its pipeline's name; the results are those of the normal single-submission pass.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { gpu, rand, runOp, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { add, layernorm, matmul } from '../../src/kernels/index.ts';

for (const adapter of TEST_ADAPTERS)
  describe(`profile on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('times every dispatch by pipeline and changes no result', async () => {
      const [M, N, K] = [9, 24, 16];
      const x = rand(M * K, 1),
        w = rand(N * K, 2),
        g = rand(N, 3),
        b = rand(N, 4);
      const run = () =>
        runOp(
          ctx,
          [
            [x, [M, K]],
            [w, [N, K]],
            [g, [N]],
            [b, [N]],
          ],
          (pass, tx, tw, tg, tb) => {
            const y = matmul(pass, tx, tw, tb);
            return add(pass, layernorm(pass, y, tg, tb, 1e-5), matmul(pass, tx, tw, null));
          },
        );
      const plain = await run();
      const submits = ctx.stats.submits;
      ctx.profile = new Map();
      try {
        const profiled = await run();
        expect(Array.from(profiled)).toEqual(Array.from(plain));
        const entries = [...ctx.profile];
        expect(entries.reduce((s, [, e]) => s + e.calls, 0)).toBe(4);
        expect(entries.map(([name]) => name).some((n) => n.startsWith('matmul-'))).toBe(true);
        expect(entries.find(([name]) => name.startsWith('matmul-'))![1].calls).toBe(2);
        for (const [, e] of entries) expect(e.ms).toBeGreaterThan(0);
        expect(ctx.stats.submits - submits).toBeGreaterThanOrEqual(1);
      } finally {
        ctx.profile = null;
      }
    });
  });
