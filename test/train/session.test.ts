/**
 * The training run of the playground's Train tab, in Node: a copy of the tiny model trains on a
 * generated world; stopped after one step and resumed, it reaches the same parameters bit for bit as
 * a run that never stopped; its in-memory checkpoint loads back with the trainer's own embeddings;
 * the tokenizer files it writes tokenize as the originals; zero-shot accuracy on held-out scenes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ClipModel } from '../../src/node/index.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { ClipError } from '../../src/errors.ts';
import { ClipTokenizer } from '../../src/model/tokenizer/bpe.ts';
import { checkpointFiles } from '../../src/model/train/checkpoint.ts';
import { TrainingSession, type SessionStep, type TrainingPairs } from '../../src/model/train/session.ts';
import { randomClipModel, trainableCopy } from '../../src/model/train/start.ts';
import { heldOutScenes, zeroShotAccuracy } from '../../src/model/train/zero-shot.ts';
import { clipPreset } from '../../src/model/config.ts';
import { generateWorld } from '../../src/model/world/scene.ts';
import { TINY, golden } from '../helpers/fixtures.ts';
import { gpu, maxAbsDiff, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';

const OPTIONS = { batchSize: 4, steps: 2, lr: 1e-3, warmup: 1, seed: 5 };

async function worldPairs(model: ClipModel, n: number): Promise<TrainingPairs> {
  const S = model.config.vision.imageSize;
  const scenes = generateWorld({ n, seed: 3, size: S });
  const prepared = await model.prepareImages(
    scenes.map((s) => ({ width: S, height: S, channels: 4 as const, data: s.pixels })),
  );
  return {
    count: n,
    caption: (i) => scenes[i].caption,
    load: async (i) => ({ pixels: prepared[i].pixels, ids: model.tokenize(scenes[i].caption)[0] }),
  };
}

async function params(m: ClipModel): Promise<Float32Array[]> {
  return Promise.all(m.weightNames().map((n) => m.readWeight(n)));
}

describe.each(TEST_ADAPTERS)('training session (%s)', (adapter) => {
  let ctx: GpuContext;
  let tiny: ClipModel;
  beforeAll(async () => {
    ctx = await gpu(adapter);
    tiny = await ClipModel.load(TINY, { gpu: ctx, precompile: false });
  });
  afterAll(() => tiny?.dispose());

  it('trains a copy (the source unchanged); stop + resume = a run that never stopped; the checkpoint loads back', async () => {
    const before = await params(tiny);
    const straight = await trainableCopy(tiny, 'straight', { gpu: ctx });
    const resumed = await trainableCopy(tiny, 'resumed', { gpu: ctx });
    (await params(straight)).forEach((p, i) => expect(maxAbsDiff(p, before[i])).toBe(0));
    const data = await worldPairs(tiny, 8);

    const a = new TrainingSession(straight, data, OPTIONS);
    const stepsA: SessionStep[] = [];
    await a.run({ onStep: (s) => void stepsA.push(s) });
    expect(stepsA.map((s) => s.step)).toEqual([1, 2]);
    expect(a.finished).toBe(true);

    const b = new TrainingSession(resumed, data, OPTIONS);
    const stop = new AbortController();
    const stepsB: SessionStep[] = [];
    const stopped = await b
      .run({
        signal: stop.signal,
        onStep: (s) => {
          stepsB.push(s);
          stop.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ClipError);
    expect((stopped as ClipError).code).toBe('aborted');
    expect(b.step).toBe(1);
    await b.run({ onStep: (s) => void stepsB.push(s) });

    expect(stepsB.map((s) => s.loss)).toEqual(stepsA.map((s) => s.loss));
    expect(stepsB.map((s) => s.pairs)).toEqual(stepsA.map((s) => s.pairs));
    const pa = await params(straight),
      pb = await params(resumed);
    pa.forEach((p, i) => expect(maxAbsDiff(p, pb[i])).toBe(0));
    // The source model did not move.
    (await params(tiny)).forEach((p, i) => expect(maxAbsDiff(p, before[i])).toBe(0));

    // The batch's cosines: B×B, in [-1, 1], logits / exp(scale).
    const s0 = stepsA[0];
    expect(s0.cosines).toHaveLength(16);
    expect(Math.max(...s0.cosines.map(Math.abs))).toBeLessThanOrEqual(1 + 1e-5);
    expect(s0.imagesPerSecond).toBeGreaterThan(0);

    // The in-memory checkpoint is a Hugging Face folder ClipModel.load reads with the trainer's embeddings.
    const files = await checkpointFiles(a.trainer, straight.tokenizer, { steps: 2 });
    expect(files.map((f) => f.name)).toEqual([
      'config.json',
      'model.safetensors',
      'vocab.json',
      'merges.txt',
      'optimizer.safetensors',
      'trainer.json',
    ]);
    const text = (n: string) => new TextDecoder().decode(files.find((f) => f.name === n)!.bytes);
    const back = await ClipModel.load(
      {
        name: 'checkpoint',
        config: JSON.parse(text('config.json')),
        weights: files.find((f) => f.name === 'model.safetensors')!.bytes,
        tokenizer: { vocabJson: text('vocab.json'), mergesTxt: text('merges.txt') },
      },
      { gpu: ctx, precompile: false },
    );
    const prompts = ['a red circle', 'two blue squares'];
    const [want, got] = [await straight.encodeText(prompts), await back.encodeText(prompts)];
    const dText = Math.max(...want.map((w, i) => maxAbsDiff(w, got[i])));
    const img = (await data.load(0)).pixels;
    const dImage = maxAbsDiff((await straight.encodePixels([img]))[0], (await back.encodePixels([img]))[0]);
    measured(`${adapter}: checkpoint vs trainer embeddings, text ${dText}, image ${dImage}`);
    expect(dText).toBe(0);
    expect(dImage).toBe(0);
    expect(JSON.parse(text('trainer.json'))).toEqual({ step: 2, steps: 2 });

    a.dispose();
    b.dispose();
    for (const m of [straight, resumed, back]) m.dispose();
  });

  it('starts from CLIP init of a config, and scores held-out scenes zero-shot', async () => {
    const model = await randomClipModel(clipPreset('tiny'), tiny.tokenizer, 'scratch', 0, { gpu: ctx });
    // The config's logit_scale_init_value (HF's 2.6592 = ln(1/0.07) to 4 digits), as HF's CLIPModel starts.
    expect(model.logitScale.raw).toBeCloseTo(clipPreset('tiny').logitScaleInit, 6);
    const scenes = await heldOutScenes(model, 10, 99);
    expect(scenes).toHaveLength(10);
    const acc = await zeroShotAccuracy(model, scenes);
    expect(acc.n).toBe(10);
    for (const x of [acc.shape, acc.colour]) expect(x >= 0 && x <= 1 && Number.isInteger(x * 10)).toBe(true);
    model.dispose();
  });
});

describe('tokenizer files written from memory', () => {
  it('tokenize every golden prompt as the original files', () => {
    const original = ClipTokenizer.fromVocabMerges(
      readFileSync(`${TINY}/vocab.json`, 'utf8'),
      readFileSync(`${TINY}/merges.txt`, 'utf8'),
    );
    const { vocabJson, mergesTxt } = original.toVocabMerges();
    const copy = ClipTokenizer.fromVocabMerges(vocabJson, mergesTxt);
    const prompts = golden('f32').prompts;
    expect(copy.tokenize(prompts, 77, { truncate: true }).ids).toEqual(
      original.tokenize(prompts, 77, { truncate: true }).ids,
    );
    expect(mergesTxt.split('\n').slice(1, 4)).toEqual(
      readFileSync(`${TINY}/merges.txt`, 'utf8').split('\n').slice(1, 4),
    );
  });
});
