/**
 * Every layernorm version against the CPU reference on each test adapter: CLIP's row lengths and
 * odd ones, an offset mean (checks the two-pass variance). A version the adapter or D rules out
 * (its descriptor's `supports`) runs v1 instead, which is checked too.
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, runOp, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import {
  layernorm,
  LAYERNORM,
  LAYERNORM_VERSIONS,
  type LayernormVersion,
} from '../../src/kernels/layernorm/layernorm.ts';
import { adapterKind, supports } from '../../src/kernels/versions.ts';
import { layernormRef } from '../../src/kernels/layernorm/reference.ts';

const VERSIONS = Object.keys(LAYERNORM_VERSIONS) as LayernormVersion[];

for (const adapter of TEST_ADAPTERS)
  describe(`layernorm versions on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('the chosen version runs here', () => {
      const v = LAYERNORM.choice[adapterKind(ctx.adapter)];
      expect(VERSIONS).toContain(v);
      expect(supports(LAYERNORM, v, { rows: 50, D: 768, eps: 1e-5 }, ctx.adapter)).toBe(true);
    });

    for (const version of VERSIONS) {
      for (const [rows, D, eps] of [
        [50, 768, 1e-5],
        [77, 512, 1e-5],
        [3, 1024, 1e-6],
        [7, 37, 1e-5],
        [1, 300, 1e-5],
        [65, 4, 1e-5],
        [2, 1, 1e-5],
      ]) {
        it(`${version}: ${rows} rows of ${D}, eps ${eps}`, async () => {
          const x = rand(rows * D, 4, 3).map((v) => v + 10),
            g = rand(D, 5),
            b = rand(D, 6);
          const got = await runOp(
            ctx,
            [
              [x, [rows, D]],
              [g, [D]],
              [b, [D]],
            ],
            (pass, tx, tg, tb) => layernorm(pass, tx, tg, tb, eps, { version }),
          );
          expectClose(got, layernormRef(x, g, b, D, eps), 2e-5);
        });
      }
    }

    it('writes into `out` when given one', async () => {
      const rows = 5,
        D = 64;
      const x = rand(rows * D, 7),
        g = rand(D, 8),
        b = rand(D, 9);
      const got = await runOp(
        ctx,
        [
          [x, [rows, D]],
          [g, [D]],
          [b, [D]],
          [new Float32Array(rows * D), [rows, D]],
        ],
        (pass, tx, tg, tb, to) => layernorm(pass, tx, tg, tb, 1e-5, { out: to }),
      );
      expectClose(got, layernormRef(x, g, b, D, 1e-5), 2e-5);
    });
  });
