/**
 * `clip-webgpu train` on the tiny fixture (in-process, llvmpipe): it reproduces golden_train.json's
 * losses from the PNGs and prompts (the CLI's own decoding and tokenizing), writes checkpoints that
 * ClipModel.load reads back with the trainer's own embeddings, resumes to the same bytes as a run that
 * never stopped, and names the row and file of bad data.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { gpu } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { goldenTrain } from './golden-train.ts';
import { tempDir } from '../helpers/temp.ts';

const g = goldenTrain();
const ADAPTER = ['--adapter', 'gles'];

function dataset(rows: string[][], header = 'filepath\ttitle'): string {
  const dir = tempDir('clip-train-data-');
  TINY_IMAGES.forEach((p, i) => copyFileSync(p, join(dir, `img${i}.png`)));
  writeFileSync(join(dir, 'captions.tsv'), `${[header, ...rows.map((r) => r.join('\t'))].join('\n')}\n`);
  return join(dir, 'captions.tsv');
}

const goldenRows = () => g.batch.prompts.map((p, i) => [`img${i}.png`, p]);
const common = (data: string) => [
  'train',
  '--model',
  TINY,
  '--data',
  data,
  '--batch-size',
  '4',
  '--lr-scheduler',
  'const',
  '--lr',
  String(g.optimizer.lr),
  '--wd',
  String(g.optimizer.weight_decay),
  '--no-shuffle',
  '--json',
  ...ADAPTER,
];

describe('clip-webgpu train', () => {
  let data: string;
  beforeAll(() => {
    data = dataset(goldenRows());
  });

  it('reproduces the golden losses and writes a checkpoint ClipModel.load reads back', async () => {
    const out = tempDir('clip-train-out-');
    const r = parseJson(await run([...common(data), '--steps', '2', '--out', out]));
    expect(r.steps.map((s: { step: number }) => s.step)).toEqual([1, 2]);
    expect(Math.abs(r.steps[0].loss - g.loss[0]) / g.loss[0]).toBeLessThan(1e-5);
    expect(Math.abs(r.steps[1].loss - g.loss[1]) / g.loss[1]).toBeLessThan(1e-5);
    expect(r.out).toBe(join(out, 'step-2'));
    expect(readdirSync(out)).toEqual(['step-2']); // no temporary folder left behind
    expect(readdirSync(r.out).sort()).toEqual([
      'config.json',
      'merges.txt',
      'model.safetensors',
      'optimizer.safetensors',
      'trainer.json',
      'vocab.json',
    ]);

    // The checkpoint's embeddings are those of the same two steps taken through the library.
    const ctx = await gpu('gles');
    const saved = await ClipModel.load(r.out, { gpu: ctx, precompile: false });
    const trained = await ClipModel.load(TINY, { gpu: ctx, precompile: false });
    try {
      const t = trained.trainer({ lr: g.optimizer.lr, weightDecay: g.optimizer.weight_decay });
      const pixels = (await trained.prepareImages(TINY_IMAGES)).map((p) => p.pixels);
      const batch = {
        pixels: Float32Array.from(pixels.flatMap((p) => Array.from(p))),
        ids: trained.tokenize(g.batch.prompts),
      };
      await t.trainStep(batch);
      await t.trainStep(batch);
      t.dispose();
      expect(saved.logitScale.raw).toBe(trained.logitScale.raw);
      const [a, b] = [await saved.encodePixels(pixels), await trained.encodePixels(pixels)];
      a.forEach((e, i) => expect(Array.from(e)).toEqual(Array.from(b[i])));
      const logitScale = g.after_2_steps.logit_scale.data[0];
      expect(Math.abs(saved.logitScale.raw - logitScale)).toBeLessThan(5e-5);
    } finally {
      saved.dispose();
      trained.dispose();
    }
  });

  it('--resume continues to the same parameters as a run that never stopped', async () => {
    const rows = [
      ...goldenRows(),
      ...goldenRows()
        .reverse()
        .map(([f], i) => [f, `caption number ${i}`]),
    ];
    const d = dataset(rows);
    const args = (out: string) => [
      'train',
      '--model',
      TINY,
      '--data',
      d,
      '--batch-size',
      '2',
      '--steps',
      '5',
      '--seed',
      '7',
      '--warmup',
      '2',
      '--grad-clip-norm',
      '1',
      '--out',
      out,
      '--json',
      ...ADAPTER,
    ];
    const straight = tempDir('clip-train-a-');
    const a = parseJson(await run(args(straight)));
    const split = tempDir('clip-train-b-');
    const b1 = parseJson(await run([...args(split), '--save-frequency', '2']));
    expect(readdirSync(split).sort()).toEqual(['step-2', 'step-4', 'step-5']);
    const b2 = parseJson(
      await run([...args(split).slice(0, 1), '--resume', join(split, 'step-2'), ...args(split).slice(3)]),
    );
    expect(b2.steps.map((s: { step: number }) => s.step)).toEqual([3, 4, 5]);
    expect(b2.steps).toEqual(a.steps.slice(2));
    expect(b1.steps).toEqual(a.steps);
    const bytes = (dir: string) => readFileSync(join(dir, 'step-5', 'model.safetensors'));
    expect(bytes(split).equals(bytes(straight))).toBe(true);
  });

  it('names the row and file of bad data', async () => {
    const long = Array(80).fill('word').join(' ');
    const cases: [string, string[][], (string | RegExp)[]][] = [
      [
        'missing image',
        [...goldenRows().slice(0, 3), ['nope.png', 'a caption']],
        ['row 5', 'nope.png', 'does not exist'],
      ],
      ['empty caption', [...goldenRows().slice(0, 3), ['img3.png', ' ']], ['row 5', 'empty caption']],
      ['caption over 77 tokens', [...goldenRows().slice(0, 3), ['img3.png', long]], ['row 5', '77']],
    ];
    for (const [, rows, names] of cases)
      expectOneLineError(await run(common(dataset(rows)).concat('--steps', '1')), names);
    expectOneLineError(await run(common(dataset(goldenRows(), 'path\ttitle')).concat('--steps', '1')), [
      'no column "filepath"',
      '--csv-img-key',
      '"path"',
    ]);
    const notImage = dataset(goldenRows());
    writeFileSync(resolve(notImage, '..', 'img2.png'), 'not a png');
    expectOneLineError(await run(common(notImage).concat('--steps', '1')), ['row 4']);
  });
});
