/**
 * The training kernels against their CPU oracles (float64), on odd sizes, on both CPU adapters:
 * contrastive loss forward + backward, token / position / patch-embed backward (accumulated into
 * gradients that already hold values), accumulate, global grad norm + clip factor, AdamW.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { GpuContext, Tensor } from '../../src/kernels/runtime.ts';
import { contrastiveLoss } from '../../src/kernels/contrastive-loss/contrastive-loss.ts';
import { contrastiveLossRef } from '../../src/kernels/contrastive-loss/reference.ts';
import { embeddingBackward, tokenSegments } from '../../src/kernels/embedding/embedding-backward.ts';
import { embeddingBackwardRef } from '../../src/kernels/embedding/reference.ts';
import { patchEmbedBackward } from '../../src/kernels/patch-embed/patch-embed-backward.ts';
import { patchEmbedBackwardRef } from '../../src/kernels/patch-embed/reference.ts';
import { accumulate } from '../../src/kernels/accumulate/accumulate.ts';
import { accumulateRef } from '../../src/kernels/accumulate/reference.ts';
import { gradNorm } from '../../src/kernels/grad-norm/grad-norm.ts';
import { clipCoefficientRef, globalGradNormRef } from '../../src/kernels/grad-norm/reference.ts';
import { adamw, adamwHyper } from '../../src/kernels/adamw/adamw.ts';
import { adamwRef } from '../../src/kernels/adamw/reference.ts';

const plus = (a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from(a, (v, i) => v + b[i]);

for (const adapter of TEST_ADAPTERS)
  describe(`training kernels on ${adapter}`, () => {
    let ctx: GpuContext;
    const owned: Tensor[] = [];
    const up = (shape: number[], data: Float32Array | Uint32Array) => {
      const t = ctx.tensor(shape, data, data instanceof Uint32Array ? 'u32' : 'f32');
      owned.push(t);
      return t;
    };
    beforeAll(async () => {
      ctx = await gpu(adapter);
      return () => owned.forEach((t) => ctx.release(t));
    });

    for (const [B, s] of [
      [1, 0.3],
      [5, 4.6052],
      [33, 2.0],
      [300, 4.6052],
    ] as const) {
      it(`contrastive loss, B=${B}, s=${s}`, async () => {
        const S = rand(B * B, 31, 1);
        const pass = ctx.pass();
        const r = contrastiveLoss(pass, up([B, B], S), up([1], Float32Array.of(s)));
        const [out, logits, dS] = await pass.run([r.lossAndDScale, r.logits, r.dS]);
        const want = contrastiveLossRef(S, B, s);
        expect(Math.abs(out[0] - want.loss), 'loss').toBeLessThanOrEqual(1e-5 * Math.max(want.loss, 1e-2));
        expectClose(logits, want.logits, 1e-6 * Math.exp(s), 'logits');
        expectClose(dS, want.dS, 1e-6 * Math.exp(s), 'dS');
        expect(Math.abs(out[1] - want.dScale), 'dScale').toBeLessThan(1e-5 * Math.max(1, Math.abs(want.dScale)));
      });
    }

    it('token and position embedding backward: repeated ids summed, accumulated', async () => {
      const B = 3,
        T = 11,
        D = 37,
        V = 50,
        maxT = 13;
      const ids = Array.from({ length: B * T }, (_, i) => [7, 3, 49, 3, 0, 7, 7][i % 7] + (i % 5 === 0 ? 1 : 0));
      const dy = rand(B * T * D, 32),
        table0 = rand(V * D, 33),
        pos0 = rand(maxT * D, 34);
      const table = up([V, D], table0),
        pos = up([maxT, D], pos0);
      const pass = ctx.pass();
      embeddingBackward(pass, up([B, T, D], dy), up([tokenSegments(ids).length], tokenSegments(ids)), table, pos);
      await pass.run();
      const want = embeddingBackwardRef(ids, dy, B, T, D);
      const wantTable = Float64Array.from(table0);
      for (const [id, row] of want.rows) accumulateRef(wantTable, row, D, id * D);
      const wantPos = Float64Array.from(pos0);
      accumulateRef(wantPos, want.dpos);
      expectClose(await ctx.read(table), wantTable, 2e-6 * B * T, 'table');
      expectClose(await ctx.read(pos), wantPos, 2e-6 * B, 'pos');
    });

    // [B, C, S, P, D]: v2 takes P, S and D multiples of 4 (36 px leave a 4-pixel margin unused); v1 the rest.
    for (const [B, C, S, P, D] of [
      [3, 3, 20, 6, 7],
      [3, 3, 32, 8, 12],
      [2, 3, 36, 8, 20],
      [2, 3, 16, 4, 40],
    ])
      for (const version of ['v1', 'v2'] as const)
        it(`${version}: patch-embed backward, ${S} px, patch ${P}, width ${D}: conv weights, class and positions, accumulated`, async () => {
          const G = Math.floor(S / P),
            T = 1 + G * G;
          const px = rand(B * C * S * S, 35, 2),
            dy = rand(B * T * D, 36);
          const w0 = rand(D * C * P * P, 37),
            cls0 = rand(D, 38),
            pos0 = rand(T * D, 39);
          const w = up([D, C, P, P], w0),
            cls = up([D], cls0),
            pos = up([T, D], pos0);
          const pass = ctx.pass();
          patchEmbedBackward(pass, up([B, C, S, S], px), up([B, T, D], dy), w, cls, pos, version);
          await pass.run();
          const want = patchEmbedBackwardRef(px, dy, B, C, S, P, D);
          expectClose(await ctx.read(w), plus(w0, want.dw), 1e-5 * B * G * G, 'dW');
          expectClose(await ctx.read(cls), plus(cls0, want.dcls), 2e-6 * B, 'dcls');
          expectClose(await ctx.read(pos), plus(pos0, want.dpos), 2e-6 * B, 'dpos');
        });

    it('accumulate with offsets', async () => {
      const src = rand(300, 40),
        dst0 = rand(1000, 41);
      const dst = up([1000], dst0);
      const pass = ctx.pass();
      accumulate(pass, dst, up([300], src), { n: 257, dstOffset: 700, srcOffset: 33 });
      await pass.run();
      const want = Float64Array.from(dst0);
      accumulateRef(want, src, 257, 700, 33);
      expectClose(await ctx.read(dst), want, 1e-7, 'dst');
    });

    for (const maxNorm of [undefined, 1.5, 1e6]) {
      it(`global grad norm and clip factor (max ${maxNorm})`, async () => {
        const grads = [rand(1, 42), rand(7000, 43, 0.1), rand(257, 44, 3), rand(65, 45)];
        const pass = ctx.pass();
        const [out] = await pass.run([
          gradNorm(
            pass,
            grads.map((g) => up([g.length], g)),
            maxNorm,
          ),
        ]);
        const norm = globalGradNormRef(grads);
        expect(Math.abs(out[0] - norm) / norm).toBeLessThan(1e-6);
        expect(Math.abs(out[1] - (maxNorm === undefined ? 1 : clipCoefficientRef(norm, maxNorm)))).toBeLessThan(1e-6);
      });
    }

    for (const [decay, clampMax, step] of [
      [true, undefined, 1],
      [false, 0.05, 3],
      [true, undefined, 1000],
    ] as const) {
      it(`AdamW step ${step}, decay ${decay}, clamp ${clampMax}, clip factor 0.7`, async () => {
        const n = 1029;
        const p0 = rand(n, 46),
          g = rand(n, 47, 0.01),
          m0 = rand(n, 48, 0.01),
          v0 = rand(n, 49, 1e-4).map(Math.abs);
        const h = { lr: 5e-4, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.2, step };
        const t = { param: up([n], p0), grad: up([n], g), m: up([n], m0), v: up([n], v0) };
        const pass = ctx.pass();
        adamw(pass, t, up([7], adamwHyper(h)), up([2], Float32Array.of(123, 0.7)), { decay, clampMax });
        await pass.run();
        const p = Float64Array.from(p0),
          m = Float64Array.from(m0),
          v = Float64Array.from(v0);
        adamwRef(p, g, m, v, { ...h, weightDecay: decay ? h.weightDecay : 0, gradScale: 0.7, clampMax });
        expectClose(await ctx.read(t.param), p, 2e-7, 'param');
        expectClose(await ctx.read(t.m), m, 1e-8, 'm'); // 1e-6 of its scale
        expectClose(await ctx.read(t.v), v, 1e-10, 'v');
        expect(Math.max(...(await ctx.read(t.grad)).map(Math.abs))).toBe(0);
      });
    }
  });
