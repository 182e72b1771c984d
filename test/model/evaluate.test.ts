/**
 * Zero-shot dataset evaluation: the counting (no GPU) with hand-made probabilities, the class-folder
 * walker, and tiny-clip on a folder built from its images whose confusion matrix is the one the
 * golden logits imply.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import {
  EmbeddingCache,
  argmax,
  embedImages,
  evaluateDataset,
  evaluateEmbedded,
  evaluation,
  evaluationCsv,
  evaluationJson,
  ranking,
  wilsonInterval,
} from '../../src/model/bias/index.ts';
import { classFolders } from '../../src/node/image-folder.ts';
import { gpu } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

const q = (...x: number[]) => Float32Array.from(x);

describe('evaluation (counting)', () => {
  const classes = ['cat', 'dog', 'car'];
  const images = [
    { id: 'c1', truth: 0, probs: q(0.7, 0.2, 0.1) }, // right
    { id: 'c2', truth: 0, probs: q(0.2, 0.5, 0.3) }, // -> dog, truth 3rd
    { id: 'd1', truth: 1, probs: q(0.4, 0.4, 0.2) }, // tie -> cat (first), truth 2nd
    { id: 'd2', truth: 1, probs: q(0.1, 0.8, 0.1) }, // right
  ];

  it('accuracy, top-k, per-class accuracy and the confusion matrix (rows = truth, columns = prediction)', () => {
    const e = evaluation(classes, images, { topK: 2 });
    expect(e.n).toBe(4);
    expect(e.accuracy).toBe(0.5);
    expect(e.accuracyCi).toEqual(wilsonInterval(2, 4));
    expect(e.topK).toBe(2);
    expect(e.topKAccuracy).toBe(0.75);
    expect(e.confusion).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(e.perClass.map((c) => [c.name, c.n, c.correct])).toEqual([
      ['cat', 2, 1],
      ['dog', 2, 1],
      ['car', 0, 0],
    ]);
    expect(e.perClass[0].accuracy).toBe(0.5);
    expect(e.perClass[2].accuracy).toBeNaN();
    expect(e.images.map((im) => [im.prediction, im.truthRank])).toEqual([
      [0, 0],
      [1, 2],
      [0, 1],
      [1, 0],
    ]);
    // top-5 with 3 classes is top-3: every image.
    expect(evaluation(classes, images).topK).toBe(3);
    expect(evaluation(classes, images).topKAccuracy).toBe(1);
  });

  it('JSON: classes, accuracy, top5, per_class (null for a class without images), confusion; CSV rows', () => {
    const doc = JSON.parse(JSON.stringify(evaluationJson(evaluation(classes, images))));
    expect(doc).toEqual({
      classes,
      accuracy: 0.5,
      top5: 1,
      per_class: {
        cat: { n: 2, correct: 1, accuracy: 0.5 },
        dog: { n: 2, correct: 1, accuracy: 0.5 },
        car: { n: 0, correct: 0, accuracy: null },
      },
      confusion: [
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ],
    });
    const lines = evaluationCsv(evaluation(classes, images)).split('\r\n');
    expect(lines[0]).toBe('path,truth,prediction,truth_rank,cat,dog,car');
    expect(lines[2]).toMatch(/^c2,cat,dog,3,0\.2\d*,0\.5,0\.3\d*$/);
  });

  it('refuses no classes, no images, a bad class index, a wrong probability count', () => {
    expect(() => evaluation([], images)).toThrow(/at least one class/);
    expect(() => evaluation(classes, [])).toThrow(/No images/);
    expect(() => evaluation(classes, [{ id: 'x', truth: 3, probs: q(1, 0, 0) }])).toThrow(/out of range/);
    expect(() => evaluation(classes, [{ id: 'x', truth: 0, probs: q(1, 0) }])).toThrow(/2 probabilities for 3 classes/);
    expect(() => evaluation(classes, images, { topK: 0 })).toThrow(/topK/);
  });
});

describe('class folders', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-walk-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('sub-folders are classes (empty ones too); stray files are skipped and listed', async () => {
    mkdirSync(join(tmp, 'dog'));
    mkdirSync(join(tmp, 'cat'));
    mkdirSync(join(tmp, 'empty'));
    copyFileSync(TINY_IMAGES[0], join(tmp, 'dog', 'x.JPG.png'));
    copyFileSync(TINY_IMAGES[1], join(tmp, 'cat', 'b.png'));
    writeFileSync(join(tmp, 'cat', 'a.gif'), 'GIF89a');
    writeFileSync(join(tmp, 'README'), 'labels');
    const d = await classFolders(tmp);
    expect(d.classes).toEqual(['cat', 'dog', 'empty']);
    expect(d.items.map((i) => [i.group, i.id])).toEqual([
      ['cat', join(tmp, 'cat', 'b.png')],
      ['dog', join(tmp, 'dog', 'x.JPG.png')],
    ]);
    expect(d.skipped).toEqual([join(tmp, 'README'), join(tmp, 'cat', 'a.gif')]);
  });
});

describe('evaluateDataset on tiny-clip (F32)', () => {
  const g = golden('f32');
  const cols = [0, 1, 2, 3, 6, 7]; // not the empty prompt (4) nor the over-long one (5)
  let model: ClipModel;
  let tmp: string;
  beforeAll(async () => {
    model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu() });
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-'));
  });
  afterAll(() => {
    model.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a folder built from the tiny images reproduces the confusion matrix implied by the goldens', async () => {
    // Each image under the prompt it scores highest on (over these columns), plus image 1 under a
    // prompt it does not score highest on.
    const best = [0, 1, 2, 3].map((i) => cols[argmax(cols.map((c) => g.logits_per_image[i][c]))]);
    const placed: [number, number][] = [0, 1, 2, 3].map((i) => [i, best[i]]);
    const wrong = 2; // "a red circle on a blue background"
    expect(best[1]).not.toBe(wrong);
    placed.push([1, wrong]);
    for (const c of cols) mkdirSync(join(tmp, g.prompts[c]));
    placed.forEach(([i, c], k) => copyFileSync(TINY_IMAGES[i], join(tmp, g.prompts[c], `img${i}-${k}.png`)));

    const data = await classFolders(tmp);
    expect(data.skipped).toEqual([]);
    expect(new Set(data.classes)).toEqual(new Set(cols.map((c) => g.prompts[c])));
    const cache = new EmbeddingCache();
    const e = await evaluateDataset(model, data.items, { classes: data.classes, templates: ['{}'], cache });

    // What the goldens say, in the walker's class order.
    const colOf = data.classes.map((name) => g.prompts.indexOf(name));
    const confusion = data.classes.map(() => new Array(data.classes.length).fill(0));
    let top1 = 0,
      top5 = 0;
    for (const [i, c] of placed) {
      const scores = colOf.map((col) => g.logits_per_image[i][col]);
      const truth = colOf.indexOf(c);
      const pred = argmax(scores);
      confusion[truth][pred]++;
      if (pred === truth) top1++;
      if (ranking(scores).indexOf(truth) < 5) top5++;
    }
    expect(e.classes).toEqual(data.classes);
    expect(e.confusion).toEqual(confusion);
    expect(e.n).toBe(5);
    expect(e.accuracy).toBe(top1 / 5);
    expect(e.accuracy).toBe(0.8); // the misplaced copy of image 1 is the one miss
    expect(e.topK).toBe(5);
    expect(e.topKAccuracy).toBe(top5 / 5);
    const square = data.classes.indexOf('a green square');
    expect(e.perClass[square]).toMatchObject({ n: 3, correct: 3, accuracy: 1 });
    expect(e.perClass[data.classes.indexOf('a photo of a dog.')]).toMatchObject({ n: 0, correct: 0 });

    // Ensembling on (two templates): the same images come from the cache; the counts still add up.
    const encodes = model.gpuStats.submits;
    const ens = await evaluateDataset(model, data.items, {
      classes: data.classes,
      templates: ['{}', 'a picture: {}'],
      cache,
    });
    expect(model.gpuStats.submits - encodes).toBe(2); // text + similarity, no vision pass
    expect(ens.templates).toEqual(['{}', 'a picture: {}']);
    expect(ens.confusion.flat().reduce((a, b) => a + b, 0)).toBe(5);
    // The same from embeddings in hand.
    const embedded = await embedImages(model, data.items, { cache });
    const again = await evaluateEmbedded(model, embedded, { classes: data.classes, templates: ['{}'] });
    expect(again.confusion).toEqual(e.confusion);
    expect(again.topKAccuracy).toBe(e.topKAccuracy);
  });
});
