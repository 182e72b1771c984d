/**
 * Faults become ClipErrors a user can act on (device lost mid-run, no adapter, a batch too large),
 * interleaved calls on one model give the results of the same calls run one by one, and an
 * AbortSignal stops a probe, an evaluation or a benchmark with ClipError('aborted'), leaving the
 * model usable (issue 14, item 4).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolve } from 'node:path';
import { BiasProbe, ClipError, ClipModel, evaluateDataset, requestNodeContext } from '../../src/node/index.ts';
import { requestBrowserContext } from '../../src/kernels/device.ts';
import { fileImageItem } from '../../src/node/image-folder.ts';
import { runKernelBench } from '../../src/bench/run.ts';
import { TINY_SHAPES } from '../../src/bench/shapes.ts';
import { measureE2e } from '../../src/bench/e2e.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { gpu } from '../helpers/gpu.ts';

const WEIGHTS = resolve(TINY, 'model.safetensors');
const items = () => TINY_IMAGES.map((p, i) => fileImageItem(p, i % 2 ? 'odd' : 'even'));

/** Resolves to what `p` rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<ClipError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').toBeInstanceOf(ClipError);
  return e as ClipError;
}

describe('GPU faults', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a device destroyed while a pass is in flight rejects that call with a device-lost ClipError', async () => {
    const ctx = await requestNodeContext({ announce: false });
    const model = await ClipModel.load(WEIGHTS, { gpu: ctx });
    const running = [model.encodeImage([TINY_IMAGES[0]]), model.classify(TINY_IMAGES[1], ['a dog', 'a cat'])];
    await new Promise((r) => setTimeout(r, 1)); // the image pass is submitted and mapping
    ctx.device.destroy();
    // Handlers go on both calls at once: either may reject first, and a rejection with no handler yet
    // is an unhandled one (it failed a CI run when classify lost the race).
    for (const e of await Promise.all(running.map(rejection))) {
      expect(e.code).toBe('gpu');
      expect(e.message).toMatch(/GPU device was lost.*Load the model again/);
    }
    // Every later call says the same, instead of returning garbage.
    expect((await rejection(model.detect(TINY_IMAGES[0], ['a dog']))).code).toBe('gpu');
    model.dispose();
    ctx.destroy();
  });

  it('no WebGPU at all, and WebGPU without an adapter, say what to do', async () => {
    vi.stubGlobal('navigator', {});
    let e = await rejection(requestBrowserContext());
    expect(e.code).toBe('gpu');
    expect(e.message).toMatch(/WebGPU is not available in this browser\. Use a recent Chrome/);
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => null } });
    e = await rejection(requestBrowserContext());
    expect(e.code).toBe('gpu');
    expect(e.message).toMatch(/no adapter is available.*chrome:\/\/gpu/);
    e = await rejection(requestNodeContext({ announce: false, adapter: 'nonsense' as 'auto' }));
    expect(e.message).toMatch(/Unknown adapter "nonsense": use auto, system, swiftshader or gles/);
  });

  it('a batch larger than the adapter can bind is a ClipError naming batchSize, and the model keeps working', async () => {
    const model = await ClipModel.load(WEIGHTS, { gpu: await gpu() });
    const [pixels] = (await model.prepareImages([TINY_IMAGES[0]])).map((p) => p.pixels);
    const before = await model.encodePixels([pixels]);
    const limit = model.gpu.limits.maxStorageBufferBindingSize;
    const n = Math.ceil(limit / pixels.byteLength) + 1; // the input alone exceeds one binding
    const e = await rejection(model.encodePixels(Array(n).fill(pixels), { batchSize: n }));
    expect(e.code).toBe('gpu');
    expect(e.message).toMatch(
      /needs \d+ MiB in one buffer; this adapter binds at most \d+ MiB: use smaller batches \(the batchSize option\)/,
    );
    expect(await model.encodePixels([pixels])).toEqual(before);
    model.dispose();
  });
});

describe('interleaved calls', () => {
  it('twenty classify/detect/gradcam calls at once return what each returns alone', async () => {
    const model = await ClipModel.load(WEIGHTS, { gpu: await gpu() });
    const calls = Array.from({ length: 20 }, (_, i) => {
      const image = TINY_IMAGES[i % 4];
      switch (i % 3) {
        case 0:
          return () =>
            model.classify(image, ['a red circle', 'a green square', `thing ${i}`]).then((r) => [r.probs, r.logits]);
        case 1:
          return () => model.detect(image, ['a red circle', 'a dog']).then((d) => [...d.patchSimilarity]);
        default:
          return () => model.gradcam(image, `a photo number ${i}`).then((c) => [c.cam]);
      }
    });
    const alone: Float32Array[][] = [];
    for (const call of calls) alone.push(await call());
    const together = await Promise.all(calls.map((call) => call()));
    expect(together.length).toBe(20);
    together.forEach((arrays, i) => expect(arrays, `call ${i}`).toEqual(alone[i]));
    model.dispose();
  });
});

describe('AbortSignal', () => {
  it('cancels a bias probe while it encodes and while it scores; the model stays usable', async () => {
    const model = await ClipModel.load(WEIGHTS, { gpu: await gpu() });
    const abort = new AbortController();
    const e = await rejection(
      BiasProbe.create(model, items(), {
        batchSize: 1,
        signal: abort.signal,
        onProgress: (p) => p.done === 1 && abort.abort(),
      }),
    );
    expect(e.code).toBe('aborted');
    expect(e.message).toBe('The image encoding was cancelled.');
    const probe = await BiasProbe.create(model, items(), { batchSize: 1 });
    const cancelled = AbortSignal.abort();
    expect((await rejection(probe.score(['a dog', 'a cat'], { signal: cancelled }))).message).toBe(
      'The bias probe was cancelled.',
    );
    const report = await probe.score(['a dog', 'a cat']);
    expect(report.groups.length).toBe(2);
    model.dispose();
  });

  it('cancels a dataset evaluation; the model stays usable', async () => {
    const model = await ClipModel.load(WEIGHTS, { gpu: await gpu() });
    const abort = new AbortController();
    const e = await rejection(
      evaluateDataset(model, items(), {
        batchSize: 2,
        signal: abort.signal,
        onProgress: (p) => p.done === 2 && abort.abort(),
      }),
    );
    expect(e.code).toBe('aborted');
    expect(e.message).toBe('The image encoding was cancelled.');
    const result = await evaluateDataset(model, items());
    expect(result.n).toBe(4);
    model.dispose();
  });

  it('cancels a benchmark run (kernel cases and end-to-end encodes); the model stays usable', async () => {
    const model = await ClipModel.load(WEIGHTS, { gpu: await gpu() });
    const abort = new AbortController();
    const seen: string[] = [];
    const e = await rejection(
      runKernelBench(model.gpu, TINY_SHAPES, {
        environment: { runtime: 'test', date: '', cores: null },
        peakSize: 'tiny',
        signal: abort.signal,
        onStatus: (m, i) => {
          seen.push(m);
          if (i === 1) abort.abort();
        },
      }),
    );
    expect(e.code).toBe('aborted');
    expect(e.message).toBe('The benchmark was cancelled.');
    expect(seen.filter((m) => m.startsWith('kernel ')).length).toBe(2); // stopped before the third case
    const e2e = new AbortController();
    let steps = 0;
    const e2 = await rejection(
      measureE2e(model, { samples: 1, signal: e2e.signal, onStep: () => ++steps === 2 && e2e.abort() }),
    );
    expect(e2.code).toBe('aborted');
    expect(steps).toBe(2);
    expect((await model.classify(TINY_IMAGES[0], ['a dog', 'a cat'])).probs.length).toBe(2);
    model.dispose();
  });
});
