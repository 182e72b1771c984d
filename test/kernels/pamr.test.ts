/**
 * PAMR (src/kernels/pamr): the float64 reference against PyTorch (test/fixtures/pamr-golden.json,
 * scripts/torch-pamr.py), and the WGSL kernels (affinity weights, refinement steps) against the
 * reference on both CPU adapters, with dilations beyond the image's edges, a flat image (σ = 0) and
 * sizes that are not multiples of the workgroup.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gpu, rand, TEST_ADAPTERS, versionsOn } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { PAMR_STEP, pamr, pamrAffinity, pamrOptions } from '../../src/kernels/pamr/pamr.ts';
import { pamrAffinityReference, pamrReference } from '../../src/kernels/pamr/reference.ts';
import { ClipError } from '../../src/errors.ts';

interface GoldenCase {
  K: number;
  C: number;
  H: number;
  W: number;
  iterations: number;
  dilations: number[];
  image: number[];
  mask: number[];
  out: number[];
}
const GOLDEN: { torch: string; cases: GoldenCase[] } = JSON.parse(
  readFileSync(resolve(__dirname, '../fixtures/pamr-golden.json'), 'utf8'),
);

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

it(`the reference equals PyTorch ${GOLDEN.torch}'s PAMR (float64)`, () => {
  for (const c of GOLDEN.cases) {
    const out = pamrReference(c.image, c.K, c.mask, c.C, c.H, c.W, c);
    const d = maxDiff(out, c.out);
    measured(`PAMR reference vs PyTorch, ${c.C}x${c.H}x${c.W}, dilations [${c.dilations}], ${c.iterations} steps`, d);
    expect(d).toBeLessThan(1e-12);
  }
});

it('options are checked: one specific error each', () => {
  expect(pamrOptions()).toEqual({ iterations: 10, dilations: [1, 2, 4, 8, 12, 24] });
  for (const bad of [
    { iterations: -1 },
    { iterations: 1.5 },
    { dilations: [] },
    { dilations: [0] },
    { dilations: Array(17).fill(1) },
  ])
    expect(() => pamrOptions(bad)).toThrow(ClipError);
});

for (const adapter of TEST_ADAPTERS)
  describe(`PAMR kernels on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    for (const stepVersion of versionsOn(PAMR_STEP, adapter))
      it(`the golden cases: affinity weights and the refined masks (step ${stepVersion}) against the reference`, async () => {
        for (const c of GOLDEN.cases) {
          const pass = ctx.pass();
          const image = pass.input([c.K, c.H, c.W], Float32Array.from(c.image));
          const mask = pass.input([c.C, c.H, c.W], Float32Array.from(c.mask));
          const w = pamrAffinity(pass, image, c.dilations);
          const out = pamr(pass, image, mask, { ...c, stepVersion });
          const [wGpu, outGpu] = await pass.run([w, out]);
          const wRef = pamrAffinityReference(c.image, c.K, c.H, c.W, c.dilations);
          const dw = maxDiff(wGpu, wRef);
          const dOut = maxDiff(outGpu, c.out);
          const scale = Math.max(...c.out.map(Math.abs));
          const what = `PAMR ${adapter} step ${stepVersion} ${c.C}x${c.H}x${c.W} [${c.dilations}] x${c.iterations}`;
          measured(`${what}: weights`, dw);
          measured(`${what}: mask vs PyTorch`, dOut);
          expect(dw).toBeLessThan(1e-5);
          expect(dOut).toBeLessThan(1e-5 * scale);
        }
      });

    it('a flat image: every neighbour weighs the same; 0 steps give the mask back', async () => {
      const [K, C, H, W] = [3, 2, 9, 300];
      const flat = new Float32Array(K * H * W).fill(0.7);
      const m = rand(C * H * W, 5, 1);
      const pass = ctx.pass();
      const image = pass.input([K, H, W], flat);
      const mask = pass.input([C, H, W], m);
      const w = pamrAffinity(pass, image, [1, 3]);
      const out = pamr(pass, image, mask, { iterations: 3, dilations: [1, 3] });
      const same = pamr(pass, image, mask, { iterations: 0, dilations: [1] });
      const [wGpu, outGpu, sameGpu] = await pass.run([w, out, same]);
      expect(Math.max(...Array.from(wGpu, (v) => Math.abs(v - 1 / 16)))).toBeLessThan(1e-7);
      expect(maxDiff(outGpu, pamrReference(flat, K, m, C, H, W, { iterations: 3, dilations: [1, 3] }))).toBeLessThan(
        1e-5,
      );
      expect(Array.from(sameGpu)).toEqual(Array.from(m));
    });
  });
