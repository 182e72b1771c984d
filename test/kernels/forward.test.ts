/**
 * Every forward kernel against its CPU reference, on shapes that are not multiples of any tile size.
 */
import { describe, it, beforeAll } from 'vitest';
import { gpu, rand, expectClose, runOp, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import {
  matmul,
  layernorm,
  softmax,
  attention,
  activation,
  add,
  patchEmbed,
  embedding,
  l2norm,
  gatherRows,
} from '../../src/kernels/index.ts';
import { matmulRef } from '../../src/kernels/matmul/reference.ts';
import { MATMUL_VERSIONS, type MatmulVersion } from '../../src/kernels/matmul/matmul.ts';
import { layernormRef } from '../../src/kernels/layernorm/reference.ts';
import { softmaxRef } from '../../src/kernels/softmax/reference.ts';
import { attentionRef } from '../../src/kernels/attention/reference.ts';
import { attentionBias } from '../../src/kernels/attention-bias/attention-bias.ts';
import { attentionBiasRef } from '../../src/kernels/attention-bias/reference.ts';
import { activationRef } from '../../src/kernels/activation/reference.ts';
import { addRef } from '../../src/kernels/add/reference.ts';
import { patchEmbedRef } from '../../src/kernels/patch-embed/reference.ts';
import { embeddingRef } from '../../src/kernels/embedding/reference.ts';
import { l2normRef } from '../../src/kernels/l2norm/reference.ts';
import { gatherRowsRef } from '../../src/kernels/gather-rows/reference.ts';

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    describe('matmul', () => {
      const cases = [
        [67, 45, 33, true, 1],
        [1, 70, 129, true, 1],
        [130, 1, 7, false, 1],
        [50, 97, 1, true, 1],
        [3, 5, 200, false, 2.5],
        [77, 130, 64, true, 1],
      ] as const;
      for (const version of Object.keys(MATMUL_VERSIONS) as MatmulVersion[])
        for (const [M, N, K, bias, alpha] of cases) {
          it(`${version} [${M}x${K}]·[${N}x${K}]ᵀ bias=${bias} alpha=${alpha}`, async () => {
            const x = rand(M * K, 1),
              w = rand(N * K, 2),
              b = rand(N, 3);
            const got = await runOp(
              ctx,
              [
                [x, [M, K]],
                [w, [N, K]],
                [b, [N]],
              ],
              (pass, tx, tw, tb) => matmul(pass, tx, tw, bias ? tb : null, { alpha, version }),
            );
            expectClose(got, matmulRef(x, w, bias ? b : null, M, N, K, alpha), 2e-6 * K);
          });
        }
    });

    describe('layernorm', () => {
      for (const [rows, D] of [
        [7, 37],
        [1, 300],
        [50, 64],
        [3, 1000],
      ]) {
        it(`${rows} rows of ${D}`, async () => {
          // An offset mean checks the two-pass variance.
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
            (pass, tx, tg, tb) => layernorm(pass, tx, tg, tb, 1e-5),
          );
          expectClose(got, layernormRef(x, g, b, D, 1e-5), 2e-5);
        });
      }
    });

    describe('softmax', () => {
      for (const [rows, N] of [
        [5, 3],
        [2, 1000],
        [9, 131],
        [1, 1],
      ]) {
        it(`${rows} rows of ${N}`, async () => {
          const x = rand(rows * N, 7, 30);
          const got = await runOp(ctx, [[x, [rows, N]]], (pass, tx) => softmax(pass, tx));
          expectClose(got, softmaxRef(x, N), 1e-6);
        });
      }
    });

    describe('attention', () => {
      for (const [B, T, D, H, causal] of [
        [2, 13, 24, 3, false],
        [2, 13, 24, 3, true],
        [1, 77, 64, 4, true],
        [3, 50, 48, 2, false],
        [1, 1, 8, 1, true],
        [1, 197, 32, 1, false],
      ] as const) {
        it(`B=${B} T=${T} D=${D} heads=${H} causal=${causal}`, async () => {
          const qkv = rand(B * T * 3 * D, 8, 2);
          const got = await runOp(ctx, [[qkv, [B, T, 3 * D]]], (pass, t) => attention(pass, t, H, { causal }));
          expectClose(got, attentionRef(qkv, B, T, D, H, causal), 2e-6 * D);
        });
      }
      // q·q, k·k (segmentation's last block) and v·v scores (CLIP Surgery) in the chosen version and in v1.
      for (const scores of ['qq', 'kk', 'vv'] as const)
        for (const version of [undefined, 'v1'] as const)
          for (const [B, T, D, H] of [
            [2, 17, 64, 4],
            [1, 50, 24, 3],
          ] as const) {
            it(`${scores} ${version ?? 'chosen'} B=${B} T=${T} D=${D} heads=${H}`, async () => {
              const qkv = rand(B * T * 3 * D, 18, 2);
              const got = await runOp(ctx, [[qkv, [B, T, 3 * D]]], (pass, t) =>
                attention(pass, t, H, { scores, version }),
              );
              expectClose(got, attentionRef(qkv, B, T, D, H, false, scores), 2e-6 * D);
            });
          }
    });

    describe('attention with an additive bias', () => {
      for (const scores of ['qk', 'qq', 'kk'] as const)
        for (const [B, T, D, H] of [
          [2, 17, 64, 4],
          [1, 50, 24, 3],
          [1, 197, 96, 2],
        ] as const) {
          it(`${scores} B=${B} T=${T} D=${D} heads=${H}`, async () => {
            const qkv = rand(B * T * 3 * D, 19, 2);
            const bias = rand(T * T, 20, 3);
            const got = await runOp(
              ctx,
              [
                [qkv, [B, T, 3 * D]],
                [bias, [T, T]],
              ],
              (pass, t, b) => attentionBias(pass, t, b, H, { scores }),
            );
            expectClose(got, attentionBiasRef(qkv, bias, B, T, D, H, scores), 2e-6 * D);
          });
        }
    });

    describe('activation', () => {
      for (const act of ['quick_gelu', 'gelu'] as const) {
        it(act, async () => {
          const x = rand(70001, 9, 12); // not a multiple of the 256-wide workgroup
          const got = await runOp(ctx, [[x, [x.length]]], (pass, t) => activation(pass, t, act));
          expectClose(got, activationRef(x, act), 3e-6);
        });
      }
    });

    describe('add', () => {
      it('residual add of 1234 values', async () => {
        const a = rand(1234, 10),
          b = rand(1234, 11);
        const got = await runOp(
          ctx,
          [
            [a, [1234]],
            [b, [1234]],
          ],
          (pass, ta, tb) => add(pass, ta, tb),
        );
        expectClose(got, addRef(a, b), 0);
      });
    });

    describe('patch embedding', () => {
      for (const [B, C, S, P, D] of [
        [2, 3, 20, 5, 7],
        [1, 3, 64, 16, 64],
        [1, 1, 9, 3, 5],
      ]) {
        it(`B=${B} C=${C} S=${S} patch=${P} D=${D}`, async () => {
          const G = Math.floor(S / P);
          const pix = rand(B * C * S * S, 12),
            w = rand(D * C * P * P, 13),
            cls = rand(D, 14),
            pos = rand((1 + G * G) * D, 15);
          const got = await runOp(
            ctx,
            [
              [pix, [B, C, S, S]],
              [w, [D, C, P, P]],
              [cls, [D]],
              [pos, [1 + G * G, D]],
            ],
            (pass, tp, tw, tc, tpos) => patchEmbed(pass, tp, tw, tc, tpos),
          );
          expectClose(got, patchEmbedRef(pix, w, cls, pos, B, C, S, P, D), 2e-6 * C * P * P);
        });
      }
    });

    describe('embedding', () => {
      it('gather 3x11 ids from a 1000x19 table plus positions', async () => {
        const B = 3,
          T = 11,
          V = 1000,
          D = 19;
        const ids = Uint32Array.from({ length: B * T }, (_, i) => (i * 7919) % V);
        const table = rand(V * D, 16),
          pos = rand(13 * D, 17);
        const got = await runOp(
          ctx,
          [
            [ids, [B, T]],
            [table, [V, D]],
            [pos, [13, D]],
          ],
          (pass, ti, tt, tp) => embedding(pass, ti, tt, tp),
        );
        expectClose(got, embeddingRef(ids, table, pos, B, T, D), 0);
      });
    });

    describe('l2norm', () => {
      for (const [rows, D] of [
        [4, 32],
        [3, 513],
        [1, 1],
      ]) {
        it(`${rows} rows of ${D}`, async () => {
          const x = rand(rows * D, 18, 5);
          const got = await runOp(ctx, [[x, [rows, D]]], (pass, t) => l2norm(pass, t));
          expectClose(got, l2normRef(x, D), 1e-6);
        });
      }
    });

    describe('gather rows', () => {
      it('one row per sequence', async () => {
        const B = 4,
          T = 9,
          D = 13;
        const x = rand(B * T * D, 19),
          idx = Uint32Array.from([0, 8, 3, 5]);
        const got = await runOp(
          ctx,
          [
            [x, [B, T, D]],
            [idx, [B]],
          ],
          (pass, tx, ti) => gatherRows(pass, tx, ti),
        );
        expectClose(got, gatherRowsRef(x, idx, B, T, D), 0);
      });
    });
  });
