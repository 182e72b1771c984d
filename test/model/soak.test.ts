/**
 * Soak (issue 14, item 5): 200 consecutive runs of each task on the tiny model create no GPU buffer
 * after the first run, hold the same GPU bytes, and keep the JS heap bounded.
 *
 * The heap bound: the results of a run are a few KiB and dropped at once; a leak of 40 KiB per run
 * (e.g. one kept 64×64 RGBA image, or a cached pass) would add 8 MiB over 200 runs, twice the bound.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BiasProbe, ClipModel, embedImages } from '../../src/node/index.ts';
import { fileImageItem } from '../../src/node/image-folder.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { gpu } from '../helpers/gpu.ts';

const RUNS = 200;
const HEAP_BOUND = 4 * 2 ** 20;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
function heapUsed(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

describe('soak: 200 runs of each task', async () => {
  const model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu() });
  const embedded = await embedImages(
    model,
    TINY_IMAGES.map((p, i) => fileImageItem(p, i % 2 ? 'odd' : 'even')),
  );
  const labels = ['a red circle', 'a green square', 'a dog'];

  // Runs cycle through 7 inputs (images, prompts of a few lengths), as a user's edits do; the first
  // run of each (warm-up) may add uniforms for its shapes, no later run may add anything.
  const tasks: [string, (i: number) => Promise<unknown>][] = [
    ['embed image', (i) => model.encodeImage([TINY_IMAGES[i % 4]])],
    ['embed text', (i) => model.encodeText([`a photo of${' thing'.repeat(i % 7)}`, 'a dog'])],
    ['classify', (i) => model.classify(TINY_IMAGES[i % 4], [...labels, `thing ${i % 7}`])],
    ['detect', (i) => model.detect(TINY_IMAGES[i % 4], ['a red circle', `thing ${i % 7}`])],
    ['gradcam', (i) => model.gradcam(TINY_IMAGES[i % 4], `a photo of thing ${i % 7}`)],
    // A fresh probe over the embedded images: each re-score runs the text tower and the similarity.
    [
      'bias re-score',
      (i) => BiasProbe.fromEmbedded(model, ['even', 'odd'], embedded).score([...labels, `label ${i % 7}`]),
    ],
  ];

  for (const [name, run] of tasks) {
    it(`${name}: no GPU buffer after the first run, same GPU bytes, bounded heap`, async () => {
      for (let i = 0; i < 7; i++) await run(i); // the first run of every variant (pool, pipelines, uniforms)
      const gpuBefore = model.gpuStats;
      const heapBefore = heapUsed();
      for (let i = 0; i < RUNS; i++) await run(i);
      const gpuAfter = model.gpuStats;
      const heapGrowth = heapUsed() - heapBefore;
      expect(gpuAfter.buffersCreated - gpuBefore.buffersCreated, `${name}: buffers created`).toBe(0);
      expect(gpuAfter.liveBytes, `${name}: live GPU bytes`).toBe(gpuBefore.liveBytes);
      expect(gpuAfter.pipelinesCompiled, `${name}: pipelines`).toBe(gpuBefore.pipelinesCompiled);
      expect(heapGrowth, `${name}: heap growth ${(heapGrowth / 2 ** 20).toFixed(2)} MiB`).toBeLessThan(HEAP_BOUND);
    }, 120_000);
  }
});
