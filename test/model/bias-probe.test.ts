/**
 * Bias probes on tiny-clip: the golden acceptance (per-image probabilities = softmax of the golden
 * logits over the chosen prompts, counts/rates/intervals from them), the folder walker, and a probe of
 * 200 generated images re-scored with new labels and templates without encoding any image again.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { ClipModel } from '../../src/node/index.ts';
import {
  BiasProbe,
  EmbeddingCache,
  argmax,
  biasReportJson,
  embedImages,
  runBiasProbe,
  wilsonInterval,
  type ImageItem,
} from '../../src/model/bias/index.ts';
import { fileImageItem, imageFolder } from '../../src/node/image-folder.ts';
import { expectClose, gpu, rand } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';
import { measured } from '../helpers/measurements.ts';

/** Softmax in float64. */
function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** A 64x64 RGBA PNG of seeded noise (64 = tiny-clip's input size: no resize). */
function noisePng(seed: number): Buffer {
  const png = new PNG({ width: 64, height: 64 });
  const r = rand(64 * 64 * 4, seed);
  for (let i = 0; i < r.length; i++) png.data[i] = i % 4 === 3 ? 255 : Math.floor((r[i] + 1) * 127.5);
  return PNG.sync.write(png);
}

describe('bias probe on tiny-clip (F32)', () => {
  const g = golden('f32');
  // The golden prompts but the empty one (4) and the one over 77 tokens (5): with template "{}" each
  // label's embedding is its prompt's, so the probe's logits are the golden logits of these columns.
  const cols = [0, 1, 2, 3, 6, 7];
  const labels = cols.map((c) => g.prompts[c]);
  let model: ClipModel;
  let tmp: string;
  beforeAll(async () => {
    model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu() });
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-bias-'));
  });
  afterAll(() => {
    model.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('per-image probabilities = softmax of the golden logits over the labels (atol 1e-4); counts, rates, intervals follow', async () => {
    const groups = { first: [0, 1], second: [2, 3] };
    const items = Object.entries(groups).flatMap(([name, idx]) => idx.map((i) => fileImageItem(TINY_IMAGES[i], name)));
    const r = await runBiasProbe(model, items, labels, { templates: ['{}'] });
    expect(r.labels).toEqual(labels);
    expect(r.templates).toEqual(['{}']);
    expect(r.images.map((im) => [im.id, im.group])).toEqual([
      [TINY_IMAGES[0], 'first'],
      [TINY_IMAGES[1], 'first'],
      [TINY_IMAGES[2], 'second'],
      [TINY_IMAGES[3], 'second'],
    ]);
    const want = [0, 1, 2, 3].map((i) => softmax(cols.map((c) => g.logits_per_image[i][c])));
    let worst = 0;
    r.images.forEach((im, i) => {
      expectClose(im.probs, want[i], 1e-4, `probs of image ${i}`);
      expectClose(
        im.logits,
        cols.map((c) => g.logits_per_image[i][c]),
        2e-3,
        `logits of image ${i}`,
      );
      worst = Math.max(worst, ...want[i].map((w, j) => Math.abs(w - im.probs[j])));
      expect(im.top).toBe(argmax(want[i]));
    });
    measured(`bias probe vs golden softmax: max |diff| = ${worst.toExponential(2)}`);
    // Counts, rates and Wilson intervals from the golden argmax, exactly.
    for (const [gi, [name, idx]] of Object.entries(groups).entries()) {
      const x = r.groups[gi];
      expect(x.name).toBe(name);
      expect(x.n).toBe(2);
      const counts = labels.map((_, j) => idx.filter((i) => argmax(want[i]) === j).length);
      expect(x.counts).toEqual(counts);
      expect(x.rates).toEqual(counts.map((k) => k / 2));
      expect(x.ci).toEqual(counts.map((k) => wilsonInterval(k, 2)));
      expectClose(
        x.meanProbs,
        labels.map((_, j) => (want[idx[0]][j] + want[idx[1]][j]) / 2),
        1e-4,
        `mean probs of ${name}`,
      );
    }
    // Golden argmax over these columns: images 0, 2, 3 -> "a green square", image 1 -> the emoji prompt.
    expect(r.images.map((im) => im.top)).toEqual([3, 5, 3, 3]);
    expect(r.groups[0].counts).toEqual([0, 0, 0, 1, 0, 1]);
    expect(r.groups[1].counts).toEqual([0, 0, 0, 2, 0, 0]);
    expect(r.disparity[3].maxMinRatio).toBe(2);
    expect(r.disparity[3].maxSkew).toBeCloseTo(Math.log(1 / 0.75), 12);
    expect(r.disparity[5].maxMinRatio).toBe(Infinity);
    expect(biasReportJson(r).disparity).toMatchObject({
      [labels[5]]: { max_min_ratio: null, max_skew: expect.closeTo(Math.log(2), 12) },
    });
  });

  it('group folders: .png/.PNG/.jpeg images in name order, other files skipped and listed', async () => {
    const dir = join(tmp, 'group');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    copyFileSync(TINY_IMAGES[1], join(dir, 'b.PNG'));
    copyFileSync(TINY_IMAGES[0], join(dir, 'a.png'));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    writeFileSync(join(dir, '.DS_Store'), '');
    const { items, skipped } = await imageFolder(dir, 'g');
    expect(items.map((i) => i.id)).toEqual([join(dir, 'a.png'), join(dir, 'b.PNG')]);
    expect(items.every((i) => i.group === 'g')).toBe(true);
    expect(skipped).toEqual([join(dir, 'nested'), join(dir, 'notes.txt')]);
    expect(new Uint8Array(await items[1].bytes())).toEqual(new Uint8Array(readFileSync(TINY_IMAGES[1])));
    await expect(imageFolder(join(tmp, 'missing'), 'g')).rejects.toThrow(/Folder not found: .*missing/);
    await expect(imageFolder(TINY_IMAGES[0], 'g')).rejects.toThrow(/is a file, not a folder/);
  });

  it('200 generated images: encoded in batches (one batch of pixels at a time), then re-scored without re-encoding', async () => {
    const dir = join(tmp, 'many');
    mkdirSync(dir);
    const paths = Array.from({ length: 200 }, (_, i) => {
      const p = join(dir, `img${String(i).padStart(3, '0')}.png`);
      writeFileSync(p, noisePng(1000 + i));
      return p;
    });
    let reads = 0;
    const items: ImageItem[] = paths.map((p, i) => {
      const item = fileImageItem(p, i % 2 ? 'odd' : 'even');
      return {
        ...item,
        bytes: () => {
          reads++;
          return item.bytes();
        },
      };
    });
    const prepare = vi.spyOn(model, 'prepareImages');
    const encode = vi.spyOn(model, 'encodePixels');
    const inFlight: number[] = []; // decoded but not yet encoded, at each encode
    let encoded = 0;
    encode.mockImplementation(async function (this: ClipModel, pixels, options) {
      inFlight.push(prepare.mock.calls.length - encoded);
      encoded += pixels.length;
      return ClipModel.prototype.encodePixels.call(model, pixels, options);
    });
    const progress: number[] = [];
    try {
      const t0 = performance.now();
      const probe = await BiasProbe.create(model, items, { batchSize: 16, onProgress: (p) => progress.push(p.done) });
      const tEncode = performance.now() - t0;
      expect(encode).toHaveBeenCalledTimes(Math.ceil(200 / 16));
      expect(encoded).toBe(200);
      expect(prepare).toHaveBeenCalledTimes(200);
      expect(Math.max(...inFlight)).toBeLessThanOrEqual(16);
      expect(reads).toBe(200);
      expect(progress[0]).toBe(0);
      expect(progress.at(-1)).toBe(200);
      expect(progress.every((d, i) => i === 0 || d > progress[i - 1])).toBe(true);
      expect(probe.groups).toEqual(['even', 'odd']);
      expect(new Set(probe.images.map((i) => i.hash)).size).toBe(200);

      const a = await probe.score(['red', 'green', 'blue']);
      const before = {
        encode: encode.mock.calls.length,
        prepare: prepare.mock.calls.length,
        reads,
        stats: model.gpuStats,
      };
      const t1 = performance.now();
      const b = await probe.rescore(['noise', 'a cat', 'a dog', 'static'], {
        templates: ['a photo of {}.', 'a picture of {}.'],
      });
      const tRescore = performance.now() - t1;
      expect(encode.mock.calls.length).toBe(before.encode);
      expect(prepare.mock.calls.length).toBe(before.prepare);
      expect(reads).toBe(before.reads);
      // One text pass and one similarity pass: nothing on the vision side.
      expect(model.gpuStats.submits - before.stats.submits).toBe(2);
      measured(`200 images: encode ${tEncode.toFixed(0)} ms, rescore ${tRescore.toFixed(0)} ms`);
      expect(a.images).toHaveLength(200);
      expect(b.labels).toEqual(['noise', 'a cat', 'a dog', 'static']);
      expect(b.groups.map((x) => x.n)).toEqual([100, 100]);
      expect(b.groups.map((x) => x.counts.reduce((s, k) => s + k, 0))).toEqual([100, 100]);
      // The cached embeddings score as a fresh encode does.
      const fresh = await model.encodeImage(paths.slice(0, 2));
      const textB = await model.labelEmbeddings(b.labels, { templates: b.templates });
      const { probs } = await model.similarity(fresh, textB);
      expectClose(b.images[0].probs, probs[0], 1e-6, 'rescored image 0');
      expectClose(b.images[1].probs, probs[1], 1e-6, 'rescored image 1');
      // The same label set again: no text pass either.
      const s0 = model.gpuStats.submits;
      await probe.score(['red', 'green', 'blue']);
      expect(model.gpuStats.submits - s0).toBe(1);
    } finally {
      encode.mockRestore();
      prepare.mockRestore();
    }
  });

  it('a shared cache: a second probe over the same bytes encodes nothing; identical files are encoded once', async () => {
    const cache = new EmbeddingCache();
    const bytes = readFileSync(TINY_IMAGES[2]);
    const twin = (id: string, group: string): ImageItem => ({ id, group, bytes: async () => new Uint8Array(bytes) });
    const encode = vi.spyOn(model, 'encodePixels');
    try {
      let firstProgress = {};
      const first = await embedImages(model, [twin('x', 'a'), twin('y', 'b'), fileImageItem(TINY_IMAGES[3], 'b')], {
        cache,
        onProgress: (p) => (firstProgress = p),
      });
      expect(encode).toHaveBeenCalledTimes(1);
      expect(firstProgress).toEqual({ done: 3, total: 3, cached: 1 }); // the twin counts as known: 2 encoded
      expect(encode.mock.calls[0][0]).toHaveLength(2); // img2 once, img3
      expect(first[0].hash).toBe(first[1].hash);
      expect(cache.size(model)).toBe(2);
      const progress: { done: number; cached: number }[] = [];
      const probe = await BiasProbe.create(model, [twin('z', 'c'), fileImageItem(TINY_IMAGES[3], 'd')], {
        cache,
        onProgress: (p) => progress.push(p),
      });
      expect(encode).toHaveBeenCalledTimes(1);
      expect(progress.at(-1)).toEqual({ done: 2, total: 2, cached: 2 });
      expectClose(first[0].embedding, golden('f32').image_embeds[2], 1e-4, 'image_embeds[2]');
      expect(probe.images.map((i) => i.group)).toEqual(['c', 'd']);
      // A probe over the embeddings in hand scores as one that encoded them.
      const direct = await BiasProbe.fromEmbedded(model, ['b', 'a'], first).score(['dog', 'circle']);
      const viaItems = await runBiasProbe(
        model,
        [twin('x', 'a'), twin('y', 'b'), fileImageItem(TINY_IMAGES[3], 'b')],
        ['dog', 'circle'],
        { cache, groups: ['b', 'a'] },
      );
      expect(encode).toHaveBeenCalledTimes(1);
      expect(direct.groups.map((x) => [x.name, x.n, x.counts])).toEqual(
        viaItems.groups.map((x) => [x.name, x.n, x.counts]),
      );
      direct.images.forEach((im, i) => expect(Array.from(im.probs)).toEqual(Array.from(viaItems.images[i].probs)));
      expect(() => BiasProbe.fromEmbedded(model, ['a'], first)).toThrow(/group "b" is not one of a/);
      expect(() => BiasProbe.fromEmbedded(model, ['a', 'b', 'c'], first)).toThrow(/Group "c" has no images/);
    } finally {
      encode.mockRestore();
    }
  });

  it('bad inputs: an undecodable .png names its file; an empty or unknown group; an aborted probe', async () => {
    const bad = join(tmp, 'bad.png');
    writeFileSync(bad, 'hello, this is not a picture\n');
    const err = await runBiasProbe(model, [fileImageItem(TINY_IMAGES[0], 'a'), fileImageItem(bad, 'a')], ['dog']).catch(
      (e) => e,
    );
    expect(err.name).toBe('ClipError');
    expect(err.code).toBe('image');
    expect(err.message).toContain(bad);
    await expect(BiasProbe.create(model, [fileImageItem(TINY_IMAGES[0], 'a')], { groups: ['a', 'b'] })).rejects.toThrow(
      /Group "b" has no images/,
    );
    await expect(BiasProbe.create(model, [fileImageItem(TINY_IMAGES[0], 'a')], { groups: ['b'] })).rejects.toThrow(
      /group "a" is not one of b/,
    );
    await expect(BiasProbe.create(model, [])).rejects.toThrow(/No images given/);
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      BiasProbe.create(model, [fileImageItem(TINY_IMAGES[0], 'a')], { signal: ctl.signal }),
    ).rejects.toMatchObject({
      name: 'ClipError',
      code: 'aborted',
      message: 'The image encoding was cancelled.',
    });
    await expect(runBiasProbe(model, [fileImageItem(TINY_IMAGES[0], 'a')], ['x', 'x'])).rejects.toThrow(/given twice/);
  });
});
