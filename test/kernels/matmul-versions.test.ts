/**
 * Every matmul version (on SwiftShader, the versions `versionsOn` names: helpers/gpu.ts) with every epilogue (bias or not, alpha, fused activation, fused residual) on
 * shapes that are not multiples of any tile (and K % 4 != 0, where vec4 versions fall back), against
 * the CPU reference; and the fused epilogues against the separate activation / add kernels.
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, runOp, TEST_ADAPTERS, versionsOn } from '../helpers/gpu.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { activation, add, matmul } from '../../src/kernels/index.ts';
import { matmulRef } from '../../src/kernels/matmul/reference.ts';
import { activationRef } from '../../src/kernels/activation/reference.ts';
import { MATMUL, MATMUL_VERSIONS, type MatmulVersion } from '../../src/kernels/matmul/matmul.ts';
import { adapterKind } from '../../src/kernels/versions.ts';
import type { Activation } from '../../src/kernels/activation/activation.ts';

const VERSIONS = Object.keys(MATMUL_VERSIONS) as MatmulVersion[];

/** [M, N, K, bias, alpha, act, residual] */
type Case = [number, number, number, boolean, number, Activation | null, boolean];
const CASES: Case[] = [
  [67, 45, 36, true, 1, null, false],
  [13, 300, 52, false, 0.5, null, false],
  [50, 97, 20, true, 1, 'quick_gelu', false],
  [77, 130, 64, true, 1, 'gelu', false],
  [5, 70, 132, true, 1, null, true],
  [51, 33, 40, false, 2.5, 'quick_gelu', true],
  [1, 260, 128, false, 1, null, false],
  [9, 17, 7, true, 1, 'gelu', true], // K % 4 != 0: vec4 versions fall back
  [130, 1, 3, true, 1, null, true],
];
/**
 * SwiftShader compiles each epilogue's pipeline for about a second: there the same WGSL runs five cases
 * that between them take every epilogue (no bias and alpha, gelu, quick_gelu + residual), K % 4 != 0 and N = 1.
 */
const CASES_ON: Record<string, Case[]> = { swiftshader: [CASES[1], CASES[3], CASES[5], CASES[7], CASES[8]] };

function reference(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array | null,
  r: Float32Array | null,
  [M, N, K, , alpha, act]: Case,
): Float32Array {
  let y = matmulRef(x, w, b, M, N, K, alpha);
  if (act) y = activationRef(y, act);
  if (r) y = y.map((v, i) => r[i] + v);
  return y;
}

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('chooses a known version for this adapter', () => {
      expect(VERSIONS).toContain(MATMUL.choice[adapterKind(ctx.adapter)]);
    });

    for (const version of versionsOn(MATMUL, adapter)) {
      for (const c of CASES_ON[adapter] ?? CASES) {
        const [M, N, K, bias, alpha, act, residual] = c;
        it(`${version} [${M}x${K}]·[${N}x${K}]ᵀ bias=${bias} alpha=${alpha} act=${act} residual=${residual}`, async () => {
          const x = rand(M * K, 1),
            w = rand(N * K, 2),
            b = rand(N, 3),
            r = rand(M * N, 4, 3);
          const got = await runOp(
            ctx,
            [
              [x, [M, K]],
              [w, [N, K]],
              [b, [N]],
              [r, [M, N]],
            ],
            (pass, tx, tw, tb, tr) =>
              matmul(pass, tx, tw, bias ? tb : null, {
                alpha,
                version,
                act: act ?? undefined,
                residual: residual ? tr : undefined,
              }),
          );
          // The activations' slopes are at most ~1.1, so the matmul tolerance carries through.
          expectClose(got, reference(x, w, bias ? b : null, residual ? r : null, c), 2e-6 * K);
        });
      }

      // The model relies on this: fused epilogues give the same numbers as matmul + activation / add.
      it(`${version}: fused act and residual equal the separate kernels bit for bit`, async () => {
        const [M, N, K] = [50, 96, 64];
        const x = rand(M * K, 5),
          w = rand(N * K, 6),
          b = rand(N, 7),
          r = rand(M * N, 8, 3);
        for (const act of ['quick_gelu', 'gelu'] as const) {
          const fused = await runOp(
            ctx,
            [
              [x, [M, K]],
              [w, [N, K]],
              [b, [N]],
            ],
            (pass, tx, tw, tb) => matmul(pass, tx, tw, tb, { version, act }),
          );
          const separate = await runOp(
            ctx,
            [
              [x, [M, K]],
              [w, [N, K]],
              [b, [N]],
            ],
            (pass, tx, tw, tb) => activation(pass, matmul(pass, tx, tw, tb, { version }), act),
          );
          expectClose(fused, separate, 0, `${act} fused vs separate`);
        }
        const fused = await runOp(
          ctx,
          [
            [x, [M, K]],
            [w, [N, K]],
            [b, [N]],
            [r, [M, N]],
          ],
          (pass, tx, tw, tb, tr) => matmul(pass, tx, tw, tb, { version, residual: tr }),
        );
        const separate = await runOp(
          ctx,
          [
            [x, [M, K]],
            [w, [N, K]],
            [b, [N]],
            [r, [M, N]],
          ],
          (pass, tx, tw, tb, tr) => add(pass, tr, matmul(pass, tx, tw, tb, { version })),
        );
        expectClose(fused, separate, 0, 'residual fused vs separate');
      });
    }

    // The register-blocked versions differ in block shape and FMA order across a block, not in the order
    // of each output's sum (blocks of 64 terms of K, x y z w in turn): a switch among them moves no result.
    it('v3, v4, v6 and v7 give bit-identical outputs', async () => {
      const [M, N, K] = [50, 200, 300];
      const x = rand(M * K, 9),
        w = rand(N * K, 10),
        b = rand(N, 11);
      const out = async (version: MatmulVersion) =>
        runOp(
          ctx,
          [
            [x, [M, K]],
            [w, [N, K]],
            [b, [N]],
          ],
          (pass, tx, tw, tb) => matmul(pass, tx, tw, tb, { version, act: 'quick_gelu' }),
        );
      const v3 = await out('v3');
      for (const v of ['v4', 'v6', 'v7'] as const) expectClose(await out(v), v3, 0, `${v} vs v3`);
    });
  });
