/**
 * The trainer's peak GPU memory (the runtime's high-water mark of live buffer bytes): above the weights,
 * and lower with micro-batches (--accum-freq: one micro-batch's activations at a time). Each run gets a
 * context of its own, so no pool of an earlier run serves it. scripts/train-memory.sh reports B/32.
 */
import { describe, it, expect } from 'vitest';
import { ClipModel } from '../../src/node/index.ts';
import { requestNodeContext, type AdapterChoice } from '../../src/node/gpu.ts';
import { TINY } from '../helpers/fixtures.ts';
import { rand } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';

const B = 16;

async function peakOfOneStep(
  adapter: AdapterChoice,
  accumFreq: number,
): Promise<{ peak: number; weights: number; global: number }> {
  const ctx = await requestNodeContext({ adapter, announce: false });
  const model = await ClipModel.load(TINY, { gpu: ctx, precompile: false });
  try {
    const weights = ctx.stats.liveBytes;
    const S = model.config.vision.imageSize;
    const batch = {
      pixels: rand(B * 3 * S * S, 7),
      ids: model.tokenize(Array.from({ length: B }, (_, i) => `a photo of shape number ${i}`)),
    };
    const t = model.trainer({ accumFreq });
    try {
      await t.trainStep(batch, 1e-4);
      return { peak: t.stats.peakGpuBytes, weights, global: ctx.stats.peakLiveBytes };
    } finally {
      t.dispose();
    }
  } finally {
    model.dispose();
    ctx.destroy();
    ctx.device.destroy();
  }
}

// llvmpipe only: the mark is the runtime's bookkeeping of the buffer sizes it asks for, the same bytes on
// every adapter, and two fresh contexts (pipelines compiled twice) take minutes on SwiftShader.
describe.each(['gles'] as const)('peak GPU memory of training on %s', (adapter) => {
  it('counts weights, gradients, moments and activations; --accum-freq 4 needs less than 1', async () => {
    const one = await peakOfOneStep(adapter, 1);
    const four = await peakOfOneStep(adapter, 4);
    measured(
      `${adapter}, tiny batch ${B}: accum 1 peak ${one.peak} B, accum 4 peak ${four.peak} B, weights ${one.weights} B`,
    );
    // Gradients and two AdamW moments are three more copies of the parameters.
    expect(one.peak).toBeGreaterThan(3 * one.weights);
    expect(four.peak).toBeGreaterThan(3 * four.weights);
    expect(four.peak).toBeLessThan(one.peak);
    expect(one.global).toBeGreaterThanOrEqual(one.peak); // the context's own mark includes the trainer's
  }, 120_000);
});
