/**
 * Every backward kernel against its CPU backward oracle (float64), on random inputs whose sizes are
 * not multiples of any tile or workgroup size, on both CPU adapters. The oracles themselves are
 * checked against finite differences in gradcheck.test.ts.
 */
import { describe, it, beforeAll } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { GpuContext, Pass, Tensor } from '../../src/kernels/runtime.ts';
import {
  matmulBackwardBias,
  matmulBackwardInput,
  matmulBackwardWeight,
} from '../../src/kernels/matmul/matmul-backward.ts';
import {
  matmulBackwardBiasRef,
  matmulBackwardInputRef,
  matmulBackwardWeightRef,
} from '../../src/kernels/matmul/reference.ts';
import { layernormBackward } from '../../src/kernels/layernorm/layernorm-backward.ts';
import { layernormBackwardRef } from '../../src/kernels/layernorm/reference.ts';
import { activationBackward } from '../../src/kernels/activation/activation-backward.ts';
import { activationBackwardRef } from '../../src/kernels/activation/reference.ts';
import { softmaxBackward } from '../../src/kernels/softmax/softmax-backward.ts';
import { softmaxBackwardRef, softmaxRef } from '../../src/kernels/softmax/reference.ts';
import { attentionBackward } from '../../src/kernels/attention/attention-backward.ts';
import { attentionRelevance } from '../../src/kernels/attention/attention-relevance.ts';
import { attentionBackwardRef, attentionRelevanceRef } from '../../src/kernels/attention/reference.ts';
import { l2normBackward } from '../../src/kernels/l2norm/l2norm-backward.ts';
import { l2normBackwardRef } from '../../src/kernels/l2norm/reference.ts';
import { gatherRowsBackward } from '../../src/kernels/gather-rows/gather-rows-backward.ts';
import { gatherRowsBackwardRef } from '../../src/kernels/gather-rows/reference.ts';

type Input = [data: Float32Array | Uint32Array, shape: number[]];

/** Upload inputs, record `op` in one pass, read all its outputs back, free the inputs. */
async function runOps(
  ctx: GpuContext,
  inputs: Input[],
  op: (pass: Pass, ...t: Tensor[]) => Tensor[],
): Promise<Float32Array[]> {
  const tensors = inputs.map(([data, shape]) => ctx.tensor(shape, data, data instanceof Uint32Array ? 'u32' : 'f32'));
  const pass = ctx.pass();
  const out = await pass.run(op(pass, ...tensors));
  tensors.forEach((t) => ctx.release(t));
  return out;
}

function absMax(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    describe('matmul backward', () => {
      // Ragged shapes (v2 hands them to v1: N or K not multiples of 4) and shapes v2 takes, in each version.
      for (const [M, N, K, alpha] of [
        [67, 45, 33, 1],
        [1, 70, 129, 1],
        [50, 97, 1, 2.5],
        [77, 130, 65, 1],
        [3, 1, 5, 1],
        [67, 44, 36, 1],
        [5, 132, 72, 2.5],
        [130, 12, 8, 1],
        [203, 200, 68, 1],
      ] as const)
        for (const version of ['v1', 'v2'] as const) {
          it(`${version}: dX, dW, db for x [${M}x${K}], W [${N}x${K}], alpha=${alpha}`, async () => {
            const dy = rand(M * N, 1),
              w = rand(N * K, 2),
              x = rand(M * K, 3);
            const [dx, dw, db] = await runOps(
              ctx,
              [
                [dy, [M, N]],
                [w, [N, K]],
                [x, [M, K]],
              ],
              (pass, tdy, tw, tx) => [
                matmulBackwardInput(pass, tdy, tw, { alpha, version }),
                matmulBackwardWeight(pass, tdy, tx, { alpha, version }),
                matmulBackwardBias(pass, tdy),
              ],
            );
            expectClose(dx, matmulBackwardInputRef(dy, w, M, N, K, alpha), 2e-6 * N * alpha, 'dX');
            expectClose(dw, matmulBackwardWeightRef(dy, x, M, N, K, alpha), 2e-6 * M * alpha, 'dW');
            expectClose(db, matmulBackwardBiasRef(dy, M, N), 2e-6 * M, 'db');
          });
        }
    });

    describe('layernorm backward', () => {
      for (const [rows, D] of [
        [7, 37],
        [1, 300],
        [50, 64],
        [3, 1000],
        [33, 20],
      ])
        for (const version of ['v1', 'v2'] as const) {
          it(`${version}: dX, dγ, dβ: ${rows} rows of ${D}`, async () => {
            const x = rand(rows * D, 4, 3).map((v) => v + 10),
              g = rand(D, 5),
              dy = rand(rows * D, 6);
            const [dx, dgamma, dbeta] = await runOps(
              ctx,
              [
                [x, [rows, D]],
                [g, [D]],
                [dy, [rows, D]],
              ],
              (pass, tx, tg, tdy) => {
                const r = layernormBackward(pass, tx, tg, tdy, 1e-5, { params: true, version });
                return [r.dx, r.dgamma!, r.dbeta!];
              },
            );
            const want = layernormBackwardRef(x, g, dy, D, 1e-5);
            expectClose(dx, want.dx, 1e-5, 'dX');
            expectClose(dgamma, want.dgamma, 2e-6 * rows, 'dγ');
            expectClose(dbeta, want.dbeta, 1e-6 * rows, 'dβ');
          });
        }
    });

    describe('activation backward', () => {
      for (const act of ['quick_gelu', 'gelu'] as const) {
        it(act, async () => {
          const x = rand(70001, 7, 12),
            dy = rand(70001, 8);
          const [dx] = await runOps(
            ctx,
            [
              [x, [x.length]],
              [dy, [x.length]],
            ],
            (pass, tx, tdy) => [activationBackward(pass, tx, tdy, act)],
          );
          expectClose(dx, activationBackwardRef(x, dy, act), 3e-6);
        });
      }
    });

    describe('softmax backward', () => {
      for (const [rows, N] of [
        [5, 3],
        [2, 1000],
        [9, 131],
        [1, 1],
      ]) {
        it(`${rows} rows of ${N}`, async () => {
          const y = softmaxRef(rand(rows * N, 9, 5), N),
            dy = rand(rows * N, 10);
          const [dx] = await runOps(
            ctx,
            [
              [y, [rows, N]],
              [dy, [rows, N]],
            ],
            (pass, ty, tdy) => [softmaxBackward(pass, ty, tdy)],
          );
          expectClose(dx, softmaxBackwardRef(y, dy, N), 1e-6);
        });
      }
    });

    describe('attention backward', () => {
      for (const [B, T, D, H, causal] of [
        [2, 13, 24, 3, false],
        [2, 13, 24, 3, true],
        [1, 77, 64, 4, true],
        [3, 50, 48, 2, false],
        [1, 1, 8, 1, true],
        [1, 17, 64, 4, false],
        [2, 21, 128, 2, true], // hd 64: v2's largest
        [1, 9, 18, 3, true], // hd 6 and hd 80: v2 hands them to v1
        [1, 5, 80, 1, false],
      ] as const)
        for (const version of ['v1', 'v2'] as const) {
          it(`${version}: dQKV, P and dP: B=${B} T=${T} D=${D} heads=${H} causal=${causal}`, async () => {
            const qkv = rand(B * T * 3 * D, 11, 2),
              dy = rand(B * T * D, 12);
            const [dqkv, probs, gradProbs] = await runOps(
              ctx,
              [
                [qkv, [B, T, 3 * D]],
                [dy, [B, T, D]],
              ],
              (pass, tq, tdy) => {
                const r = attentionBackward(pass, tq, tdy, H, { causal, gradProbs: true, version });
                return [r.dqkv, r.probs, r.gradProbs!];
              },
            );
            const want = attentionBackwardRef(qkv, dy, B, T, D, H, causal);
            expectClose(dqkv, want.dqkv, 2e-6 * D, 'dQKV');
            expectClose(probs, want.probs, 1e-6, 'P');
            expectClose(gradProbs, want.gradProbs, (2e-6 * D) / H, 'dP');
          });
        }
      for (const version of ['v1', 'v2'] as const)
        it(`${version}: without dP (the Grad-CAM path)`, async () => {
          const B = 1,
            T = 9,
            D = 12,
            H = 3;
          const qkv = rand(B * T * 3 * D, 13, 2),
            dy = rand(B * T * D, 14);
          const [dqkv] = await runOps(
            ctx,
            [
              [qkv, [B, T, 3 * D]],
              [dy, [B, T, D]],
            ],
            (pass, tq, tdy) => [attentionBackward(pass, tq, tdy, H, { version }).dqkv],
          );
          expectClose(dqkv, attentionBackwardRef(qkv, dy, B, T, D, H, false).dqkv, 2e-6 * D, 'dQKV');
        });
      it('relevance term: mean over heads of relu(dP ⊙ P)', async () => {
        const B = 2,
          H = 3,
          T = 11;
        const probs = rand(B * H * T * T, 15),
          gradProbs = rand(B * H * T * T, 16, 3);
        const [cam] = await runOps(
          ctx,
          [
            [probs, [B, H, T, T]],
            [gradProbs, [B, H, T, T]],
          ],
          (pass, tp, tg) => [attentionRelevance(pass, tp, tg)],
        );
        expectClose(cam, attentionRelevanceRef(probs, gradProbs, B, H, T), 1e-6);
      });
    });

    describe('l2norm backward', () => {
      for (const [rows, D] of [
        [4, 32],
        [3, 513],
        [1, 1],
      ]) {
        it(`${rows} rows of ${D}`, async () => {
          const x = rand(rows * D, 15, 5),
            dy = rand(rows * D, 16);
          const [dx] = await runOps(
            ctx,
            [
              [x, [rows, D]],
              [dy, [rows, D]],
            ],
            (pass, tx, tdy) => [l2normBackward(pass, tx, tdy)],
          );
          const want = l2normBackwardRef(x, dy, D);
          expectClose(dx, want, 1e-6 * Math.max(1, absMax(want)));
        });
      }
    });

    describe('gather rows backward', () => {
      it('scatter one row per sequence into zeros', async () => {
        const B = 4,
          T = 9,
          D = 13;
        const dy = rand(B * D, 17),
          idx = Uint32Array.from([0, 8, 3, 5]);
        const [dx] = await runOps(
          ctx,
          [
            [dy, [B, D]],
            [idx, [B]],
          ],
          (pass, tdy, ti) => [gatherRowsBackward(pass, tdy, ti, T)],
        );
        expectClose(dx, gatherRowsBackwardRef(dy, idx, B, T, D), 0);
      });
    });
  });
