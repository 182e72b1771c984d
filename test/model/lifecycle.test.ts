/**
 * Runtime behaviour the issue asks for: pipelines compiled once, one submission per forward pass,
 * no GPU buffer growth over 100 calls, every buffer released on dispose, device loss as a clear error.
 */
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel, ClipError, requestNodeContext } from '../../src/node/index.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';

describe('model lifecycle', () => {
  it('100 calls create no buffers and compile no pipelines after the first; dispose frees everything', async () => {
    const gpu = await requestNodeContext({ announce: false });
    const before = { ...gpu.stats };
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu });
    const [pixels] = (await model.prepareImages([TINY_IMAGES[0]])).map((p) => p.pixels);
    const ids = model.tokenize(['a photo of a dog.']);
    const loaded = { ...gpu.stats };
    expect(loaded.pipelinesCompiled - before.pipelinesCompiled).toBeGreaterThan(5); // compiled while loading
    await model.encodePixels([pixels]);
    expect(gpu.stats.buffersCreated).toBe(loaded.buffersCreated); // pooled while loading too
    await model.encodeIds(ids);
    expect(gpu.stats.pipelinesCompiled).toBe(loaded.pipelinesCompiled); // no compile cliff on the first call
    const warm = { ...gpu.stats };
    for (let i = 0; i < 100; i++) {
      await model.encodePixels([pixels]);
      await model.encodeIds(ids);
    }
    const after = { ...gpu.stats };
    expect(after.buffersCreated - warm.buffersCreated).toBe(0);
    expect(after.liveBytes).toBe(warm.liveBytes);
    expect(after.pipelinesCompiled).toBe(warm.pipelinesCompiled);
    expect(after.submits - warm.submits).toBe(200); // one submission per forward pass
    model.dispose();
    gpu.destroy();
    expect(gpu.stats.liveBuffers).toBe(before.liveBuffers);
    expect(gpu.stats.liveBytes).toBe(0);
  });

  it('text runs only up to the longest prompt: same embeddings as all 77 positions, and shorter batches reuse the pool', async () => {
    const gpu = await requestNodeContext({ announce: false });
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu });
    const prompts = ['a dog', 'a photo of a small brown dog sitting on the grass in the park.', 'cat'];
    const full = await model.inspectText(prompts); // traced: all 77 positions, as HF runs them
    const short = await model.encodeText(prompts);
    const P = short[0].length;
    prompts.forEach((_, i) => {
      const ref = full.textEmbeds.subarray(i * P, (i + 1) * P);
      for (let k = 0; k < P; k++) expect(Math.abs(short[i][k] - ref[k])).toBeLessThan(1e-6);
    });
    await model.encodeText(['word '.repeat(70), 'a photo of a dog.']); // the longest batch first
    const longest = { ...gpu.stats };
    const lengths = async () => {
      for (let n = 1; n < 70; n += 3) await model.encodeText(['word '.repeat(n), 'a photo of a dog.']);
    };
    await lengths();
    // Activations reuse the longest batch's buffers; only each new shape's few-byte params buffers are added.
    expect(gpu.stats.liveBytes - longest.liveBytes).toBeLessThan(64 * 1024);
    const warm = { ...gpu.stats };
    await lengths();
    expect(gpu.stats.buffersCreated - warm.buffersCreated).toBe(0);
    model.dispose();
    gpu.destroy();
  });

  it('a lost device becomes a ClipError that says what happened and what to do', async () => {
    const gpu = await requestNodeContext({ announce: false });
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu });
    gpu.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const err = await model.encodeText(['a dog']).catch((e) => e);
    expect(err).toBeInstanceOf(ClipError);
    expect(err.code).toBe('gpu');
    expect(err.message).toMatch(/GPU device was lost.*Load the model again/);
  });

  it('a disposed model says so', async () => {
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'));
    model.dispose();
    const err = await model.encodeText(['a dog']).catch((e) => e);
    expect(err).toBeInstanceOf(ClipError);
    expect(err.message).toMatch(/disposed/);
  });

  it('bad API input gets specific messages', async () => {
    const gpu = await requestNodeContext({ announce: false });
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu });
    await expect(model.classify(TINY_IMAGES[0], [])).rejects.toThrow(/No labels given/);
    await expect(model.classify(TINY_IMAGES[0], ['dog'], { templates: ['a photo'] })).rejects.toThrow(/has no \{\}/);
    await expect(model.classify(TINY_IMAGES[0], ['dog', ' '])).rejects.toThrow(/Label 2 is empty/);
    await expect(model.encodeText(['dog '.repeat(100)])).rejects.toThrow(/tokens long.*limit of 77/);
    await expect(model.encodeImage([resolve(TINY, 'config.json')])).rejects.toThrow(
      /config\.json is not a PNG or JPEG image/,
    );
    await expect(model.encodeImage(['/nonexistent/cat.png'])).rejects.toThrow(/cat\.png/);
    model.dispose();
  });

  it('classify ensembles templates and ranks labels', async () => {
    const model = await ClipModel.load(resolve(TINY, 'model.safetensors'));
    const r = await model.classify(TINY_IMAGES[3], ['red circle', 'green square', 'dog'], {
      templates: ['a photo of a {}.', 'a drawing of a {}.'],
    });
    expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.ranked.map((x) => x.prob)).toEqual([...r.ranked.map((x) => x.prob)].sort((a, b) => b - a));
    model.dispose();
  });
});
