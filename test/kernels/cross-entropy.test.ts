/**
 * The linear probe's softmax cross-entropy kernel (forward: the mean loss; backward: dlogits) against
 * its float64 reference on both CPU adapters, at sizes that are not multiples of the workgroup, and
 * the reference's gradient against central finite differences of its loss.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { crossEntropy } from '../../src/kernels/cross-entropy/cross-entropy.ts';
import { crossEntropyRef } from '../../src/kernels/cross-entropy/reference.ts';

const labelsFor = (N: number, C: number) => Uint32Array.from({ length: N }, (_, i) => (i * 7 + 3) % C);

it('the reference gradient matches finite differences of the reference loss', () => {
  const N = 5,
    C = 4;
  const logits = Float64Array.from(rand(N * C, 41, 3));
  const labels = labelsFor(N, C);
  const { dlogits } = crossEntropyRef(logits, labels, C);
  const h = 1e-6;
  let worst = 0;
  for (let k = 0; k < N * C; k++) {
    const up = Float64Array.from(logits);
    const down = Float64Array.from(logits);
    up[k] += h;
    down[k] -= h;
    const fd = (crossEntropyRef(up, labels, C).loss - crossEntropyRef(down, labels, C).loss) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - dlogits[k]));
  }
  measured('max |analytic - finite difference|', worst);
  expect(worst).toBeLessThan(1e-8);
});

for (const adapter of TEST_ADAPTERS)
  describe(`cross-entropy kernel on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    // [N, C, logit scale]: one row, a row count above the workgroup (257 rows per thread loop), large logits.
    for (const [N, C, scale] of [
      [1, 2, 1],
      [37, 5, 3],
      [300, 13, 8],
      [7, 3, 80],
    ]) {
      it(`N=${N}, C=${C}, logits within ±${scale}`, async () => {
        const logits = rand(N * C, 43 + N, scale);
        const labels = labelsFor(N, C);
        const x = ctx.tensor([N, C], logits);
        const y = ctx.tensor([N], labels, 'u32');
        const pass = ctx.pass();
        const r = crossEntropy(pass, x, y);
        const [loss, dlogits] = await pass.run([r.loss, r.dlogits]);
        ctx.release(x);
        ctx.release(y);
        const want = crossEntropyRef(logits, labels, C);
        const lossDiff = Math.abs(loss[0] - want.loss);
        measured(`${adapter} loss |diff|`, lossDiff, 'of', want.loss);
        expect(lossDiff, 'loss').toBeLessThanOrEqual(1e-5 * Math.max(1, want.loss));
        expectClose(dlogits, want.dlogits, 1e-6 / N, 'dlogits');
      });
    }
  });
