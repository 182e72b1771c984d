/**
 * `clip-webgpu eval` on world folders: --label on the single-object scenes, --probe (the linear
 * probe's k-shot table beside zero-shot), --shifts (the clean world and each shift regenerated in
 * memory), with the tiny fixture model (numbers meaningless: structure, and agreement with the
 * float64 probe fit, with the shifted world written to disk, and with zero-shot on the same images).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, expectOneLineError, parseJson } from '../helpers/cli.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { gpu } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import { writeWorld } from '../../src/node/world-writer.ts';
import { readWorldFolder, worldFolderItems } from '../../src/node/world-folder.ts';
import { ClipModel } from '../../src/node/index.ts';
import { embedImages, type EmbeddedImage } from '../../src/model/bias/images.ts';
import { SHAPES } from '../../src/model/world/index.ts';
import { fitLinearProbeRef, linearLogitsRef } from '../../src/model/probe/reference.ts';
import { accuracyOf } from '../../src/model/probe/kshot.ts';
import { probeInputs } from '../../src/model/probe/hyper.ts';

describe('clip-webgpu eval on a world', () => {
  let tmp: string, test: string, train: string, sketch: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-world-'));
    [test, train, sketch] = ['test', 'train', 'sketch'].map((d) => join(tmp, d));
    await writeWorld(test, { n: 24, seed: 3, objects: [1, 2] });
    await writeWorld(train, { n: 30, seed: 4, objects: 1 });
    await writeWorld(sketch, { n: 24, seed: 3, objects: [1, 2], shift: 'sketch' });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--label --probe --shifts --json: zero-shot, the k-shot table and a bar per shift', async () => {
    const args = ['eval', '--model', TINY, '--data', test, '--label', 'shape', '--probe', train];
    const doc = parseJson(await run([...args, '--shots', '1,2', '--seeds', '2', '--shifts', 'sketch,blur', '--json']));
    const truth = JSON.parse(readFileSync(join(test, 'truth.json'), 'utf8'));
    const single = truth.scenes.filter((s: { objects: unknown[] }) => s.objects.length === 1).length;
    expect(doc.label).toBe('shape');
    expect(doc.classes).toEqual([...SHAPES]);
    expect(doc.templates).toEqual(['a {}']);
    expect(Object.values(doc.per_class as Record<string, { n: number }>).reduce((a, c) => a + c.n, 0)).toBe(single);
    const p = doc.probe;
    expect(p.zero_shot).toBe(doc.accuracy);
    expect(p).toMatchObject({ test_images: single, train_images: 30, seeds: 2 });
    expect(p.k_shot.map((k: { shots: unknown }) => k.shots)).toEqual([1, 2, 'all']);
    expect(p.k_shot.map((k: { accuracies: unknown[] }) => k.accuracies.length)).toEqual([2, 2, 1]);
    const trainTruth = JSON.parse(readFileSync(join(train, 'truth.json'), 'utf8'));
    const trainShapes = new Set(trainTruth.scenes.map((s: { objects: { shape: string }[] }) => s.objects[0].shape));
    expect(p.k_shot[0].train_images).toBe(trainShapes.size); // one image of each class present
    expect(p.k_shot[2].accuracy).toBe(p.probe);
    expect(p.optimizer).toMatchObject({ name: 'adamw', full_batch: true });
    expect(doc.shifts.map((s: { shift: string }) => s.shift)).toEqual(['none', 'sketch', 'blur']);
    expect(doc.shifts[0]).toMatchObject({ n: single, accuracy: doc.accuracy });
    for (const s of doc.shifts) expect(s.accuracy_ci[0]).toBeLessThanOrEqual(s.accuracy);

    // The sketch bar = eval of the sketch world written to disk (scene for scene the same objects).
    const onDisk = parseJson(await run(['eval', '--model', TINY, '--data', sketch, '--label', 'shape', '--json']));
    expect(doc.shifts[1].accuracy).toBe(onDisk.accuracy);
    expect(doc.shifts[1].n).toBe(single);

    // The probe on every training image = the float64 fit of the same algorithm on the same embeddings.
    const model = await ClipModel.load(TINY, { gpu: await gpu(), precompile: false });
    const rows = async (dir: string) => {
      const embedded: EmbeddedImage[] = await embedImages(model, worldFolderItems(await readWorldFolder(dir), 'shape'));
      const D = embedded[0].embedding.length;
      const features = new Float32Array(embedded.length * D);
      embedded.forEach((e, i) => features.set(e.embedding, i * D));
      return { features, labels: embedded.map((e) => SHAPES.indexOf(e.group as never)), D };
    };
    const [tr, te] = [await rows(train), await rows(test)];
    const ref = fitLinearProbeRef({ features: tr.features, labels: tr.labels, classes: SHAPES.length, dim: tr.D });
    const refAccuracy = accuracyOf(
      linearLogitsRef(probeInputs(te.features, te.D, ref.scaling), ref.weight, ref.bias, te.D),
      te.labels,
      SHAPES.length,
    );
    measured('probe (all) accuracy: GPU', p.probe, 'float64 reference', refAccuracy);
    expect(p.probe).toBe(refAccuracy);
  });

  it('--label colour: the text report names the figures', async () => {
    const r = await run([
      'eval',
      '--model',
      TINY,
      '--data',
      test,
      '--label',
      'colour',
      '--probe',
      train,
      '--shots',
      '1',
      '--seeds',
      '1',
      '--shifts',
      'noise',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/template "a \{\} shape"/);
    expect(r.stdout).toMatch(/\nLinear probe .* vs zero-shot, \d+ test images, 30 training images, 1 draws per k\n/);
    expect(r.stdout).toMatch(/\n {10}1 +\d+ +\d+\.\d\d%/);
    expect(r.stdout).toMatch(/\nclean +\d+ +\d+\.\d\d%/);
    expect(r.stdout).toMatch(/\nnoise +\d+ +\d+\.\d\d%/);
  });

  it('bad combinations are one-line usage errors', async () => {
    const base = ['eval', '--model', TINY];
    expectOneLineError(await run([...base, '--data', test]), [test, 'world folder', '--label shape'], 2);
    expectOneLineError(await run([...base, '--data', test, '--label', 'size']), ['--label', 'shape'], 2);
    expectOneLineError(
      await run([...base, '--data', test, '--label', 'shape', '--shifts', 'fog']),
      ['--shifts', 'fog'],
      2,
    );
    expectOneLineError(
      await run([...base, '--data', test, '--label', 'shape', '--shots', '2']),
      ['--shots needs --probe'],
      2,
    );
    expectOneLineError(
      await run([...base, '--data', test, '--label', 'shape', '--probe', train, '--shots', '1,0']),
      ['--shots', '1,0'],
      2,
    );
    const folders = join(tmp, 'folders');
    mkdirSync(join(folders, 'a'), { recursive: true });
    copyFileSync(TINY_IMAGES[0], join(folders, 'a', 'x.png'));
    expectOneLineError(await run([...base, '--data', folders, '--label', 'shape']), ['--label', 'world folder'], 2);
    expectOneLineError(await run([...base, '--data', folders, '--shifts', 'all']), ['--shifts', 'world folder'], 2);
    expectOneLineError(await run([...base, '--data', folders, '--probe', test]), [test, '--label'], 2);
  });
});
