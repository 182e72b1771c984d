/**
 * `clip-webgpu train`'s start from a config (CLIP's init, the same tensors as random-model --init clip),
 * --val-data (a world folder or class folders), the progress output (a bar at a terminal, plain lines
 * otherwise, nothing with --json) and peak_gpu_bytes. Tiny fixture on llvmpipe; the accuracies of a few
 * steps mean nothing: only their presence and range are checked.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { writeWorld } from '../../src/node/world-writer.ts';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { measured } from '../helpers/measurements.ts';
import { tempDir } from '../helpers/temp.ts';

const ADAPTER = ['--adapter', 'gles'];
const tmp = tempDir;

let world: string, valWorld: string, classes: string;
beforeAll(async () => {
  world = tmp('clip-train-world-');
  await writeWorld(world, { n: 8, seed: 11, objects: [1, 2] });
  valWorld = tmp('clip-train-val-');
  await writeWorld(valWorld, { n: 10, seed: 12, objects: [1, 2] });
  classes = tmp('clip-train-classes-');
  for (const [c, images] of [
    ['cat', TINY_IMAGES.slice(0, 2)],
    ['dog', TINY_IMAGES.slice(2)],
  ] as const) {
    mkdirSync(join(classes, c));
    images.forEach((p, i) => copyFileSync(p, join(classes, c, `${i}.png`)));
  }
});

const base = () => [
  'train',
  '--data',
  join(world, 'captions.csv'),
  '--batch-size',
  '4',
  '--steps',
  '2',
  '--lr',
  '1e-3',
  '--json',
  ...ADAPTER,
];

describe('clip-webgpu train --config', () => {
  it("starts from CLIP's init of the config: the same run as random-model --init clip, then --model", async () => {
    const config = join(TINY, 'config.json');
    const viaConfig = parseJson(await run([...base(), '--config', config, '--seed', '3']));
    const dir = tmp('clip-train-random-');
    expect((await run(['random-model', '--config', config, '--init', 'clip', '--seed', '3', '--out', dir])).code).toBe(
      0,
    );
    const viaModel = parseJson(await run([...base(), '--model', dir, '--seed', '3']));
    expect(viaConfig.steps.map((s: { loss: number }) => s.loss)).toEqual(
      viaModel.steps.map((s: { loss: number }) => s.loss),
    );
    expect(viaConfig.peak_gpu_bytes).toBeGreaterThan(0);
    measured(`peak_gpu_bytes ${viaConfig.peak_gpu_bytes} (tiny, batch 4)`);
    // Another seed is another init.
    const other = parseJson(await run([...base(), '--config', config, '--seed', '4']));
    expect(other.steps[0].loss).not.toBe(viaConfig.steps[0].loss);
  });

  it('writes the init into the checkpoint and refuses two starts or a missing tokenizer', async () => {
    const out = tmp('clip-train-out-');
    const r = parseJson(await run([...base(), '--config', join(TINY, 'config.json'), '--out', out]));
    const meta = JSON.parse(readFileSync(join(r.out, 'trainer.json'), 'utf8'));
    expect(meta.init).toEqual({ config: join(TINY, 'config.json'), seed: 0, init: 'clip' });
    expectOneLineError(await run([...base(), '--config', join(TINY, 'config.json'), '--model', TINY]), [
      '--model and --config',
    ]);
    expectOneLineError(await run([...base()]), ['--model DIR, --config FILE or --resume DIR']);
    expectOneLineError(await run([...base(), '--config', join(TINY, 'config.json'), '--tokenizer', world]), [
      'vocab.json',
    ]);
    expectOneLineError(await run([...base(), '--config', join(world, 'nope.json')]), ['nope.json', 'does not exist']);
  });
});

describe('clip-webgpu train --val-data', () => {
  it('scores shape and colour, pointing and detection on a world folder every --val-frequency steps and after the last', async () => {
    const out = tmp('clip-train-val-world-out-');
    const r = parseJson(
      await run([
        ...base(),
        '--model',
        TINY,
        '--steps',
        '3',
        '--val-data',
        valWorld,
        '--val-frequency',
        '2',
        '--out',
        out,
      ]),
    );
    expect(r.steps.map((s: { val?: unknown }) => s.val !== undefined)).toEqual([false, true, true]);
    for (const s of r.steps.filter((x: { val?: unknown }) => x.val)) {
      expect(Object.keys(s.val)).toEqual(['shape', 'colour', 'pointing', 'detection']);
      for (const acc of Object.values(s.val) as number[]) {
        expect(acc).toBeGreaterThanOrEqual(0);
        expect(acc).toBeLessThanOrEqual(1);
      }
    }
    // Scored with the trained weights, as eval scores the saved checkpoint (the same maps and boxes).
    const last = r.steps.at(-1).val;
    const detect = parseJson(
      await run([
        'eval',
        '--task',
        'detect',
        '--model',
        r.out,
        '--data',
        valWorld,
        '--methods',
        'legrad',
        '--json',
        ...ADAPTER,
      ]),
    );
    expect(detect.methods[0].accuracy).toBe(last.detection);
    const explain = parseJson(
      await run([
        'eval',
        '--task',
        'explain',
        '--model',
        r.out,
        '--data',
        valWorld,
        '--methods',
        'relevance',
        '--steps',
        '1',
        '--json',
        ...ADAPTER,
      ]),
    );
    expect(explain.methods[0].pointing).toBe(last.pointing);
  });

  it('scores a folder of class sub-folders like eval; bad validation data is one line', async () => {
    const out = tmp('clip-train-val-out-');
    const r = parseJson(await run([...base(), '--model', TINY, '--val-data', classes, '--out', out]));
    expect(r.steps[0].val).toBeUndefined();
    expect(Object.keys(r.steps[1].val)).toEqual(['accuracy']);
    expect([0, 0.25, 0.5, 0.75, 1]).toContain(r.steps[1].val.accuracy); // 4 images
    // Scored with the trained weights: eval of the saved checkpoint agrees.
    const e = parseJson(await run(['eval', '--model', r.out, '--data', classes, '--json', ...ADAPTER]));
    expect(e.accuracy).toBe(r.steps[1].val.accuracy);
    const empty = tmp('clip-train-empty-');
    expectOneLineError(await run([...base(), '--model', TINY, '--val-data', empty]), [empty, 'class sub-folders']);
    expectOneLineError(await run([...base(), '--model', TINY, '--val-frequency', '1']), ['--val-data']);
    const pairs = tmp('clip-train-pairs-');
    await writeWorld(pairs, { n: 4, seed: 1, objects: 2 });
    const p = parseJson(await run([...base(), '--model', TINY, '--val-data', pairs]));
    expect(Object.keys(p.steps[1].val)).toEqual(['pointing', 'detection']);
    const triples = tmp('clip-train-triples-');
    await writeWorld(triples, { n: 2, seed: 1, objects: 3 });
    expectOneLineError(await run([...base(), '--model', TINY, '--val-data', triples]), [
      'no single-object scenes and no two-object scenes',
    ]);
    const broken = tmp('clip-train-broken-');
    writeFileSync(resolve(broken, 'truth.json'), '{"format": "something else"}');
    expectOneLineError(await run([...base(), '--model', TINY, '--val-data', broken]), ['truth.json', 'world']);
  });
});

describe('clip-webgpu train progress', () => {
  async function withStreams(args: string[], tty: boolean) {
    let stdout = '',
      stderr = '';
    const code = await main(args, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: tty, columns: 160 },
    });
    return { code, stdout, stderr };
  }
  const plain = () => base().filter((a) => a !== '--json');

  it('a bar rewritten in place at a terminal, plain lines otherwise, nothing with --json', async () => {
    const bar = await withStreams([...plain(), '--model', TINY, '--val-data', valWorld], true);
    expect(bar.code).toBe(0);
    expect(bar.stderr).toMatch(/\rstep 1\/2 \[#*\.*\] loss \d+\.\d{4} {2}lr 1\.00e-3 {2}\d+\.\d images\/s {2}ETA /);
    expect(bar.stderr).toMatch(/\rstep 2\/2 \[#+\] loss/);
    expect(bar.stderr).toContain('\r\x1b[Kval step 2: shape ');
    expect(bar.stderr).toMatch(
      /val step 2: shape \d+\.\d% {2}colour \d+\.\d% {2}pointing \d+\.\d% {2}detection \d+\.\d%\n/,
    );
    expect(bar.stderr).toMatch(/trained to step 2 in [\d.]+ s; peak GPU memory [\d.]+ MB\n/);

    const lines = await withStreams([...plain(), '--model', TINY], false);
    expect(lines.stderr).not.toContain('\r');
    expect(lines.stderr).toMatch(/^step 1\/2 {2}loss [\d.]+ {2}lr 1\.00e-3 {2}[\d.]+ images\/s {2}ETA .*logit_scale/m);
    expect(lines.stderr).toMatch(/^step 2\/2 {2}loss/m);

    const quiet = await withStreams([...base(), '--model', TINY], false);
    expect(quiet.stderr).toBe('');
    expect(parseJson(quiet).steps).toHaveLength(2);
    const verbose = await withStreams([...base(), '--model', TINY, '--verbose'], false);
    expect(verbose.stderr).toMatch(/^step 2\/2 {2}loss/m);
  });
});
