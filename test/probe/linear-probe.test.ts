/**
 * The linear probe fitted on our kernels (matmul, cross-entropy, matmul backward, AdamW) against the
 * float64 fit of the same algorithm, step for step; k-shot draws; the k-shot curve's structure.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { gpu, rand, expectClose, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { fitLinearProbe, probeLogits } from '../../src/model/probe/fit.ts';
import { fitLinearProbeRef, linearLogitsRef } from '../../src/model/probe/reference.ts';
import { accuracyOf, kShotIndices, probeCurve } from '../../src/model/probe/kshot.ts';
import { PROBE_HYPER, probeInputs } from '../../src/model/probe/hyper.ts';
import { isClipError } from '../../src/errors.ts';

/** Separable-ish data: class c's rows are a class centre plus noise, dim not a multiple of 4. */
function blobs(n: number, C: number, D: number, seed: number, spread = 0.8) {
  const centres = rand(C * D, seed, 1);
  const noise = rand(n * D, seed + 1, spread);
  const labels = Array.from({ length: n }, (_, i) => (i * 5 + seed) % C);
  const features = Float32Array.from(
    { length: n * D },
    (_, k) => centres[labels[Math.floor(k / D)] * D + (k % D)] + noise[k],
  );
  return { features, labels };
}

describe('k-shot draws', () => {
  const labels = [0, 1, 2, 0, 1, 2, 0, 1, 0, 0];
  it('take min(k, available) per class, distinct rows, the same for the same seed', () => {
    const a = kShotIndices(labels, 3, 2, 1);
    expect(a).toEqual(kShotIndices(labels, 3, 2, 1));
    expect(new Set(a).size).toBe(a.length);
    expect(a.map((i) => labels[i]).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    expect(kShotIndices(labels, 3, 16, 5)).toEqual(labels.map((_, i) => i));
    const draws = new Set([1, 2, 3, 4, 5, 6].map((s) => kShotIndices(labels, 3, 1, s).join()));
    expect(draws.size).toBeGreaterThan(1);
  });
  it('accuracy is the argmax agreement', () => {
    expect(accuracyOf([0, 1, 2, 0, 5, 1], [2, 0], 3)).toBe(0.5);
  });
});

for (const adapter of TEST_ADAPTERS)
  describe(`linear probe on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('the GPU fit agrees with the float64 reference fit after 1, 60 and the default steps', async () => {
      const [n, C, D] = [123, 4, 18];
      // Overlapping blobs, more rows than dimensions: not separable, so the optimum is finite.
      const { features, labels } = blobs(n, C, D, 7, 4);
      const data = { features, labels, classes: C, dim: D };
      for (const steps of [1, 60, PROBE_HYPER.steps]) {
        const gpuFit = await fitLinearProbe(ctx, data, { steps });
        const ref = fitLinearProbeRef(data, { steps });
        const scale = Math.max(...ref.weight.map(Math.abs));
        measured(`${adapter} ${steps} steps: W max |diff|`, maxDiff(gpuFit.weight, ref.weight), 'of max |W|', scale);
        // Softmax ignores a constant added to every b, and b is not decayed: its mean drifts with
        // rounding where the loss is flat, so b is compared centred, and the model by its probabilities.
        const [gb, rb] = [centred(gpuFit.bias), centred(ref.bias)];
        measured(`${adapter} ${steps} steps: centred b max |diff|`, maxDiff(gb, rb), 'loss', gpuFit.loss, ref.loss);
        expectClose(gpuFit.weight, ref.weight, 1e-4 * Math.max(1, scale), `W after ${steps}`);
        expectClose(gb, rb, 1e-4 * Math.max(1, scale), `centred b after ${steps}`);
        expect(Math.abs(gpuFit.loss - ref.loss)).toBeLessThan(1e-5 * Math.max(1, ref.loss));
        const logits = await probeLogits(ctx, gpuFit, features);
        const x = probeInputs(features, D, ref.scaling);
        expectClose(logits, linearLogitsRef(x, gpuFit.weight, gpuFit.bias, D), 1e-5 * Math.max(1, scale), 'logits');
        const probs = softmaxRows(logits, C);
        const want = softmaxRows(linearLogitsRef(x, ref.weight, ref.bias, D), C);
        measured(`${adapter} ${steps} steps: probabilities max |diff|`, maxDiff(probs, want));
        expectClose(probs, want, 1e-5, `probabilities after ${steps}`);
      }
    });

    it('the default fit lowers the loss and separates the training blobs', async () => {
      const [n, C, D] = [40, 5, 32];
      const { features, labels } = blobs(n, C, D, 3);
      const fit = await fitLinearProbe(ctx, { features, labels, classes: C, dim: D });
      expect(fit.loss).toBeLessThan(Math.log(C));
      expect(accuracyOf(await probeLogits(ctx, fit, features), labels, C)).toBe(1);
    });

    it('the k-shot curve: a point per k and one for all, each the mean of its draws', async () => {
      const [C, D] = [3, 8];
      const train = blobs(30, C, D, 11);
      const test = blobs(12, C, D, 11);
      const calls: number[] = [];
      const curve = await probeCurve(ctx, train, test, 0.25, {
        classes: C,
        dim: D,
        shots: [1, 4],
        seeds: 2,
        hyper: { steps: 20 },
        onProgress: (done) => calls.push(done),
      });
      expect(curve.kShot.map((p) => p.shots)).toEqual([1, 4, 'all']);
      expect(curve.kShot.map((p) => p.accuracies.length)).toEqual([2, 2, 1]);
      expect(curve.kShot.map((p) => p.trainImages)).toEqual([3, 12, 30]);
      for (const p of curve.kShot)
        expect(p.accuracy).toBeCloseTo(p.accuracies.reduce((a, b) => a + b) / p.accuracies.length, 12);
      expect(curve.probe).toBe(curve.kShot[2].accuracy);
      expect(curve).toMatchObject({ zeroShot: 0.25, seeds: 2, trainImages: 30, testImages: 12 });
      expect(calls).toEqual([1, 2, 3, 4, 5]);
    });

    it('bad input is a ClipError with code input', async () => {
      const bad = [
        { features: new Float32Array(6), labels: [0, 1], classes: 1, dim: 3 },
        { features: new Float32Array(5), labels: [0, 1], classes: 2, dim: 3 },
        { features: new Float32Array(6), labels: [0, 2], classes: 2, dim: 3 },
        { features: new Float32Array(0), labels: [], classes: 2, dim: 3 },
      ];
      for (const data of bad) {
        const e = await fitLinearProbe(ctx, data).catch((x) => x);
        expect(isClipError(e) && e.code).toBe('input');
      }
    });
  });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function centred(b: ArrayLike<number>): Float64Array {
  const mean = Array.from(b).reduce((a, v) => a + v, 0) / b.length;
  return Float64Array.from(b, (v) => v - mean);
}

function softmaxRows(logits: ArrayLike<number>, C: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r < logits.length; r += C) {
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, logits[r + j]);
    let s = 0;
    for (let j = 0; j < C; j++) s += Math.exp(logits[r + j] - m);
    for (let j = 0; j < C; j++) out[r + j] = Math.exp(logits[r + j] - m) / s;
  }
  return out;
}
