/**
 * Locked towers (open_clip's --lock-text / --lock-image; LiT): the locked tower's every weight stays
 * bit for bit while the other tower and the logit scale learn; in the library and from the CLI.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gpu } from '../helpers/gpu.ts';
import { TINY } from '../helpers/fixtures.ts';
import { expectOneLineError, run } from '../helpers/cli.ts';
import { SafetensorsFile } from '../../src/model/safetensors/reader.ts';
import { FileSource } from '../../src/node/file-source.ts';
import { loadClipWeights, releaseClipWeights } from '../../src/model/weights.ts';
import { towerOf, Trainer, type Tower } from '../../src/model/train/trainer.ts';
import { goldenTrain, tinyConfig, tinyPixels } from './golden-train.ts';
import { tempDir } from '../helpers/temp.ts';

const g = goldenTrain();
const cfg = tinyConfig();
const batch = { pixels: tinyPixels(), ids: g.batch.input_ids };

describe('towerOf', () => {
  it('names the tower of every HF tensor, and none for the logit scale', () => {
    expect(towerOf('vision_model.encoder.layers.0.self_attn.qkv.weight')).toBe('image');
    expect(towerOf('visual_projection.weight')).toBe('image');
    expect(towerOf('text_model.embeddings.token_embedding.weight')).toBe('text');
    expect(towerOf('text_projection.weight')).toBe('text');
    expect(towerOf('logit_scale')).toBeNull();
  });
});

describe('a trainer with a locked tower (gles)', () => {
  for (const lock of ['text', 'image'] as Tower[])
    it(`--lock-${lock}: two steps leave the ${lock} tower as it was; the other tower and the logit scale move`, async () => {
      const ctx = await gpu('gles');
      const file = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
      const t = new Trainer(ctx, cfg, await loadClipWeights(ctx, file, cfg), { lr: 1e-3, lock: [lock] });
      try {
        const before = new Map<string, Float32Array>();
        for (const p of t.params.list) before.set(p.name, await ctx.read(p.param));
        await t.trainStep(batch);
        const second = await t.trainStep(batch);
        expect(second.gradNorm).toBeGreaterThan(0);
        for (const p of t.params.list) {
          const now = await ctx.read(p.param);
          const same = now.every((v, i) => v === before.get(p.name)![i]);
          const tower = towerOf(p.name);
          // Every tensor of the free tower that gets a gradient moves (the k biases get none: softmax ignores them).
          if (tower === lock) expect(same, p.name).toBe(true);
          else if (!p.name.endsWith('qkv.bias')) expect(same, p.name).toBe(false);
        }
      } finally {
        t.dispose();
        releaseClipWeights(ctx, t.weights);
      }
    });

  it('refuses to lock both towers', async () => {
    const ctx = await gpu('gles');
    const file = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
    const weights = await loadClipWeights(ctx, file, cfg);
    try {
      expect(() => new Trainer(ctx, cfg, weights, { lock: ['text', 'image'] })).toThrow(/Both towers are locked/);
    } finally {
      releaseClipWeights(ctx, weights);
    }
  });
});

describe('clip-webgpu train --lock-text', () => {
  it('writes a checkpoint whose text tower is the start, and says so in trainer.json', async () => {
    const out = tempDir('clip-lock-');
    const data = tempDir('clip-lock-data-');
    const { writeWorld } = await import('../../src/node/world-writer.ts');
    await writeWorld(data, { n: 4, seed: 5, objects: [1, 1] });
    const r = await run([
      'train',
      '--model',
      TINY,
      '--data',
      join(data, 'captions.csv'),
      '--batch-size',
      '4',
      '--steps',
      '1',
      '--lock-text',
      '--out',
      out,
      '--json',
      '--adapter',
      'gles',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const start = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
    const end = await SafetensorsFile.open(new FileSource(join(out, 'step-1', 'model.safetensors')));
    for (const name of ['text_model.encoder.layers.0.mlp.fc1.weight', 'text_projection.weight'])
      expect(await end.readF32(name)).toEqual(await start.readF32(name));
    expect(await end.readF32('visual_projection.weight')).not.toEqual(await start.readF32('visual_projection.weight'));
    expect(JSON.parse(readFileSync(join(out, 'step-1', 'trainer.json'), 'utf8')).lock).toEqual(['text']);
  });

  it('refuses --lock-text with --lock-image in one line, before reading the data', async () => {
    const r = await run([
      'train',
      '--model',
      TINY,
      '--data',
      'nowhere.csv',
      '--lock-text',
      '--lock-image',
      '--adapter',
      'gles',
    ]);
    expectOneLineError(r, ['--lock-text and --lock-image together'], 2);
  });
});
