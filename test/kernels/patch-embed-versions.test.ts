/**
 * Every patch-embed version against the CPU reference on each test adapter: small images with
 * CLIP's patch sizes (32, 16, 14), batches that do not fill v2's 4-patch blocks, and shapes the
 * register-blocked versions cannot take (P % 4 != 0, D % 8 != 0: they fall back to v4 or v3); and
 * compact weights (f16, bf16, int8), which only v3's matmul reads: the others fall back to it.
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, runOp, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { Tensor, type GpuContext } from '../../src/kernels/runtime.ts';
import { packMatrix, unpackMatrix, WEIGHT_DTYPE } from '../../src/kernels/matmul/weight-formats.ts';
import {
  patchEmbed,
  PATCH_EMBED,
  PATCH_EMBED_VERSIONS,
  type PatchEmbedVersion,
} from '../../src/kernels/patch-embed/patch-embed.ts';
import { adapterKind, supports } from '../../src/kernels/versions.ts';
import { patchEmbedRef } from '../../src/kernels/patch-embed/reference.ts';

const VERSIONS = Object.keys(PATCH_EMBED_VERSIONS) as PatchEmbedVersion[];

for (const adapter of TEST_ADAPTERS)
  describe(`patch-embed versions on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it("the chosen version runs CLIP's shapes", () => {
      const patchEmbedSupports = (v: PatchEmbedVersion, a: GpuContext['adapter'], S: number, P: number, D: number) =>
        supports(PATCH_EMBED, v, { B: 1, C: 3, S, P, D }, a);
      const v = PATCH_EMBED.choice[adapterKind(ctx.adapter)];
      expect(VERSIONS).toContain(v);
      expect(patchEmbedSupports(v, ctx.adapter, 224, 32, 768)).toBe(true);
      for (const v of ['v1', 'v3'] as const) expect(patchEmbedSupports(v, ctx.adapter, 224, 14, 1024)).toBe(true);
      for (const v of ['v2', 'v5', 'v6'] as const) {
        expect(
          patchEmbedSupports(v, ctx.adapter, 224, 32, 768) && patchEmbedSupports(v, ctx.adapter, 224, 16, 768),
        ).toBe(true);
        expect(patchEmbedSupports(v, ctx.adapter, 224, 14, 1024)).toBe(false);
      }
      expect(patchEmbedSupports('v4', ctx.adapter, 224, 14, 1024)).toBe(ctx.adapter.features.includes('subgroups'));
    });

    // Compact W (packed as the matrix [D, C·P·P]): v3's matmul unpacks it; every other version falls back to v3.
    for (const format of ['f16', 'bf16', 'int8'] as const)
      it(`a ${format} W: every version gives the reference on the unpacked W`, async () => {
        for (const [B, C, S, P, D] of [
          [2, 3, 32, 16, 12],
          [1, 3, 30, 14, 10],
        ]) {
          const G = Math.floor(S / P),
            T = 1 + G * G;
          const pix = rand(B * C * S * S, 1),
            packed = packMatrix(rand(D * C * P * P, 2, 0.1), D, C * P * P, format),
            cls = rand(D, 3),
            pos = rand(T * D, 4);
          const words = ctx.tensor([D, C, P, P], packed.words, WEIGHT_DTYPE[format]);
          const w = packed.scale
            ? new Tensor(words.buffer, words.shape, words.dtype, ctx.tensor([D], packed.scale))
            : words;
          const inputs = [ctx.tensor([B, C, S, S], pix), ctx.tensor([D], cls), ctx.tensor([T, D], pos)];
          const want = patchEmbedRef(pix, unpackMatrix(packed), cls, pos, B, C, S, P, D);
          for (const version of VERSIONS) {
            const pass = ctx.pass();
            const [got] = await pass.run([patchEmbed(pass, inputs[0], w, inputs[1], inputs[2], { version })]);
            expectClose(got, want, 2e-6 * C * P * P, `${version} B=${B} ${S}px patch ${P} D=${D}`);
          }
          [...inputs, words, ...(w.scale ? [w.scale] : [])].forEach((t) => ctx.release(t));
        }
      });

    // [B, C, S, P, D]: S not a multiple of P leaves an unused border, as PyTorch's strided conv does.
    const shapes = [
      [1, 3, 64, 32, 24],
      [3, 3, 48, 16, 20],
      [2, 3, 28, 14, 12],
      [1, 3, 36, 8, 36],
      [5, 2, 20, 4, 8],
      [1, 3, 30, 14, 10],
      [2, 3, 32, 16, 10],
      [2, 3, 32, 16, 12],
    ];
    for (const version of VERSIONS) {
      for (const [B, C, S, P, D] of shapes) {
        it(`${version}: B=${B} C=${C} ${S}px patch ${P} D=${D}`, async () => {
          const G = Math.floor(S / P),
            T = 1 + G * G;
          const pix = rand(B * C * S * S, 1),
            w = rand(D * C * P * P, 2, 0.1),
            cls = rand(D, 3),
            pos = rand(T * D, 4);
          const got = await runOp(
            ctx,
            [
              [pix, [B, C, S, S]],
              [w, [D, C, P, P]],
              [cls, [D]],
              [pos, [T, D]],
            ],
            (pass, tp, tw, tc, tpos) => patchEmbed(pass, tp, tw, tc, tpos, { version }),
          );
          expectClose(got, patchEmbedRef(pix, w, cls, pos, B, C, S, P, D), 2e-6 * C * P * P);
        });
      }
    }
  });
