/**
 * Compact weights (f16, bf16, int8 with per-row scales) in every matmul version (on SwiftShader, the
 * versions `versionsOn` names: helpers/gpu.ts): the GPU result against
 * the CPU reference (unpack the packed W, then the f32 reference), on odd shapes with every epilogue;
 * and the packing itself (rounding, scales, the error guard).
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS, versionsOn } from '../helpers/gpu.ts';
import { Tensor, type GpuContext } from '../../src/kernels/runtime.ts';
import { matmul } from '../../src/kernels/index.ts';
import { matmulRef } from '../../src/kernels/matmul/reference.ts';
import { activationRef } from '../../src/kernels/activation/reference.ts';
import { MATMUL } from '../../src/kernels/matmul/matmul.ts';
import {
  packMatrix,
  packingError,
  unpackMatrix,
  WEIGHT_DTYPE,
  type PackedMatrix,
  type WeightFormat,
} from '../../src/kernels/matmul/weight-formats.ts';
import type { Activation } from '../../src/kernels/activation/activation.ts';

const FORMATS: WeightFormat[] = ['f16', 'bf16', 'int8'];

/** [M, N, K, bias, alpha, act, residual] */
type Case = [number, number, number, boolean, number, Activation | null, boolean];
const CASES: Case[] = [
  [67, 45, 36, true, 1, null, false],
  [13, 300, 52, false, 0.5, 'quick_gelu', false],
  [5, 70, 132, true, 1, 'gelu', true],
  [9, 17, 7, true, 1, null, true], // K % 4 != 0: vec4 versions fall back; packed rows straddle words
];
/**
 * SwiftShader compiles each epilogue's pipeline for about a second (llvmpipe: tens of ms), so there the
 * same WGSL runs two cases: every epilogue at once (bias, GELU, residual) and the K % 4 != 0 fallback.
 */
const CASES_ON: Record<string, Case[]> = { swiftshader: [CASES[2], CASES[3]] };

function upload(ctx: GpuContext, p: PackedMatrix): Tensor {
  const t = ctx.tensor([p.rows, p.cols], p.words, WEIGHT_DTYPE[p.format]);
  return p.scale ? new Tensor(t.buffer, t.shape, t.dtype, ctx.tensor([p.rows], p.scale)) : t;
}

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    for (const format of FORMATS)
      for (const version of versionsOn(MATMUL, adapter)) {
        it(`${version} with ${format} weights equals the reference on the unpacked W`, async () => {
          for (const c of CASES_ON[adapter] ?? CASES) {
            const [M, N, K, bias, alpha, act, residual] = c;
            const x = rand(M * K, 1),
              b = rand(N, 3),
              r = rand(M * N, 4, 3);
            const packed = packMatrix(rand(N * K, 2), N, K, format);
            const [tx, tb, tr] = [ctx.tensor([M, K], x), ctx.tensor([N], b), ctx.tensor([M, N], r)];
            const tw = upload(ctx, packed);
            const pass = ctx.pass();
            const [got] = await pass.run([
              matmul(pass, tx, tw, bias ? tb : null, {
                alpha,
                version,
                act: act ?? undefined,
                residual: residual ? tr : undefined,
              }),
            ]);
            [tx, tb, tr, tw].forEach((t) => ctx.release(t));
            let want = matmulRef(x, unpackMatrix(packed), bias ? b : null, M, N, K, alpha);
            if (act) want = activationRef(want, act);
            if (residual) want = want.map((v, i) => r[i] + v);
            // As the F32 versions' tolerance: int8's values are q·s with |q| <= 127 and s = max|w|/127, so |q·s| <= 1 too.
            expectClose(got, want, 2e-6 * K, `[${M}x${K}]·[${N}x${K}]ᵀ`);
          }
        });
      }
  });

describe('packing', () => {
  it('f16 and bf16 round to nearest even and unpack exactly', () => {
    const w = new Float32Array([1, -2, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 1 + 2 ** -8 + 2 ** -9]);
    expect([...unpackMatrix(packMatrix(w, 2, 3, 'f16'))]).toEqual([
      1,
      -2,
      1,
      1 + 2 ** -9,
      65504,
      1 + 2 ** -8 + 2 ** -9,
    ]);
    expect([...unpackMatrix(packMatrix(w, 2, 3, 'bf16'))]).toEqual([1, -2, 1, 1, 65536, 1 + 2 ** -7]);
  });

  it('int8 is symmetric per row: the largest |w| of a row maps to ±127', () => {
    const w = new Float32Array([0.5, -1, 0.25, 0, 0, 0, 3, 1.5, -3]);
    const p = packMatrix(w, 3, 3, 'int8');
    expect([...p.scale!]).toEqual([Math.fround(1 / 127), 0, Math.fround(3 / 127)]);
    expect([...new Int8Array(p.words.buffer, 0, 9)]).toEqual([64, -127, 32, 0, 0, 0, 127, 64, -127]);
    expect(packingError(w, p).relRms).toBeLessThan(0.01);
  });

  it('reports an f16 overflow as not finite', () => {
    const w = new Float32Array([1, 70000]);
    expect(packingError(w, packMatrix(w, 1, 2, 'f16')).finite).toBe(false);
    expect(packingError(w, packMatrix(w, 1, 2, 'bf16')).finite).toBe(true);
  });
});
