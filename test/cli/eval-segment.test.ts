/**
 * `clip-webgpu eval --task segment` on a small world with the tiny model: the document's structure,
 * the mIoU of a method equal to the library's masks scored by hand, and clear errors. (The shipped
 * model's scores are the lead's: the tiny model's weights are random.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { TINY } from '../helpers/fixtures.ts';
import { ClipModel, nodePlatform } from '../../src/node/index.ts';
import { IouCounter } from '../../src/model/segment/index.ts';
import { segmentClasses } from '../../src/model/world/index.ts';
import { gpu } from '../helpers/gpu.ts';

describe('clip-webgpu eval --task segment', () => {
  let tmp: string;
  let world: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-segment-'));
    world = join(tmp, 'world');
    const w = await run(['world', '--out', world, '--n', '6', '--seed', '3', '--objects', '1-2']);
    expect(w.code, w.stderr).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const base = () => ['eval', '--task', 'segment', '--model', TINY, '--data', world, '--adapter', 'gles'];

  it('--json: mIoU and IoU per class for every method; sclip scored by hand from the library masks gives the same numbers', async () => {
    const doc = parseJson(await run([...base(), '--json']));
    expect(doc.task).toBe('segment');
    expect(doc.classes).toEqual(['background', 'circle', 'square', 'triangle', 'cross', 'star']);
    expect(doc.images).toBe(6);
    expect(doc.background).toEqual({ label: 'the background' });
    expect(doc.methods.map((m: { method: string }) => m.method)).toEqual([
      'raw',
      'maskclip',
      'sclip',
      'clearclip',
      'naclip',
      'relevance',
    ]);
    for (const m of doc.methods) {
      expect(m.miou).toBeGreaterThanOrEqual(0);
      expect(m.miou).toBeLessThanOrEqual(1);
      expect(m.iou).toHaveLength(6);
    }
    // The same scores from the library: the masks of model.segment against the masks of truth.json.
    const model = await ClipModel.load(join(TINY, 'model.safetensors'), { gpu: await gpu('gles') });
    try {
      const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8'));
      const classes = segmentClasses('shape');
      const labels = classes.names.slice(1);
      const embeds = await Promise.all(
        labels.map(async (l) => (await model.labelEmbeddings([`a ${l}`], { templates: ['{}'] }))[0]),
      );
      const [bg] = await model.labelEmbeddings(['the background'], { templates: ['{}'] });
      const counter = new IouCounter(classes.names);
      const refinedCounter = new IouCounter(classes.names); // --refine-steps 3: PAMR with 3 steps
      for (const scene of truth.scenes) {
        const image = await nodePlatform.decodeImage(join(world, scene.file));
        const t = new Uint8Array(image.width * image.height);
        for (const o of scene.objects) {
          const m = await nodePlatform.decodeImage(join(world, o.mask));
          for (let i = 0; i < t.length; i++) if (m.data[i * m.channels] >= 128) t[i] = classes.of(o);
        }
        const s = await model.segment(image, labels, {
          method: 'sclip',
          background: 'the background',
          embeddings: [...embeds, bg],
        });
        counter.add(s.mask, t);
        const r = await model.segment(image, labels, {
          method: 'sclip',
          background: 'the background',
          embeddings: [...embeds, bg],
          refine: { iterations: 3 },
        });
        refinedCounter.add(r.mask, t);
      }
      const score = counter.score();
      const sclip = doc.methods.find((m: { method: string }) => m.method === 'sclip');
      expect(sclip.miou).toBeCloseTo(score.miou, 12);
      expect(sclip.iou).toEqual(score.iou);
      const refined = parseJson(await run([...base(), '--methods', 'sclip', '--refine-steps', '3', '--json']));
      expect(refined.methods.map((m: { refine: boolean }) => m.refine)).toEqual([false, true]);
      expect(refined.methods[1].iou).toEqual(refinedCounter.score().iou);
    } finally {
      model.dispose();
    }
  });

  it('text report with --methods, --classes colour and --threshold', async () => {
    const r = await run([
      ...base(),
      '--methods',
      'raw,naclip',
      '--classes',
      'colour',
      '--threshold',
      '0.2',
      '--limit',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 world scenes, 9 classes \(colour \+ background\)/);
    expect(r.stdout).toMatch(/^naclip\s+\S+%\s+[+-]\d/m);
    const refined = await run([...base(), '--methods', 'raw,naclip', '--limit', '2', '--refine']);
    expect(refined.code, refined.stderr).toBe(0);
    expect(refined.stdout).toMatch(/^naclip \+ PAMR\s+\S+%\s+[+-]\d/m);
    expect(refined.stdout).toMatch(/^raw \+ PAMR\s+\S+%/m);
    expect(r.stdout).toMatch(/"orange"/);
  });

  it('bad input: one line naming the problem', async () => {
    expectOneLineError(await run([...base(), '--methods', 'raw,surgery']), ['surgery']);
    expectOneLineError(await run(['eval', '--task', 'segment', '--model', TINY, '--data', tmp]), [
      'truth.json',
      'world',
    ]);
    expectOneLineError(await run(['eval', '--model', TINY, '--data', world, '--methods', 'raw']), ['--task segment']);
    expectOneLineError(await run([...base(), '--threshold', '3']), ['0..1']);
  });
});
