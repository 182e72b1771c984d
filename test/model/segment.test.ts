/**
 * Training-free segmentation (src/model/segment/): every method's logits against the CPU oracle
 * written from the papers' definitions (segment/reference.ts), the raw baseline against the
 * PyTorch patch-similarity golden, NACLIP's window against its construction, masks, sliding
 * windows and bad input, on tiny-clip (F32).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel, isClipError } from '../../src/node/index.ts';
import { nodePlatform } from '../../src/node/platform.ts';
import {
  BACKGROUND,
  IouCounter,
  RELEVANCE_BACKGROUND,
  RELEVANCE_REFINE,
  SEGMENT_METHODS,
  neighbourhoodBias,
  slideWindows,
  stitchWindows,
  weightRelevance,
  windowPixels,
} from '../../src/model/segment/index.ts';
import { naclipAdditionRef, segmentRef } from '../../src/model/segment/reference.ts';
import { rgbPlanes } from '../../src/model/detect/index.ts';
import { pamrReference } from '../../src/kernels/pamr/reference.ts';
import type { CpuVision } from '../../src/model/explain/reference.ts';
import { expectClose, flat, gpu, maxAbsDiff } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden, json } from '../helpers/fixtures.ts';
import { cpuVision } from '../helpers/models.ts';
import { measured } from '../helpers/measurements.ts';

const AS_GIVEN = { templates: ['{}'], truncate: true }; // each label is the whole prompt

describe('segment on tiny-clip (F32)', () => {
  const g = golden('f32');
  const pixels = (i: number) =>
    flat(json<{ pixel_values: unknown[] }>(resolve(TINY, 'pixel_values.json')).pixel_values[i]);
  const kept = [0, 1, 2, 3, 5, 6, 7]; // the golden's prompts but the empty one (a label must say something)
  const labels = [0, 1, 2, 3, 6].map((i) => g.prompts[i]);
  let model: ClipModel;
  let vision: CpuVision;
  let texts: Float32Array[];
  beforeAll(async () => {
    model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu() });
    vision = await cpuVision(model);
    texts = await model.labelEmbeddings(labels, AS_GIVEN);
  });
  afterAll(() => model.dispose());

  it('raw: the patch tokens are the patch_similarity_image0 golden (atol 2e-5), [labels][rows][cols]', async () => {
    const prompts = kept.map((i) => g.prompts[i]);
    const s = await model.segment(TINY_IMAGES[0], prompts, { ...AS_GIVEN, method: 'raw' });
    expect(s.grid).toEqual([4, 4]);
    expect(s.labels).toEqual(prompts);
    const want = Float32Array.from(
      { length: kept.length * 16 },
      (_, i) => g.patch_similarity_image0[i % 16][kept[Math.floor(i / 16)]],
    );
    measured(`raw vs patch_similarity_image0: max |diff| = ${maxAbsDiff(s.logits, want).toExponential(2)}`);
    expectClose(s.logits, want, 2e-5, 'raw logits');
  });

  it("the oracle's last-block input is the golden hidden_states[L-1] (atol 1e-4)", () => {
    const L = model.config.vision.numLayers;
    const { lastInput } = segmentRef(vision, model.config.vision, pixels(0), texts, 'raw');
    expectClose(lastInput!, flat(g.vision_image0.hidden_states[L - 1]), 1e-4, 'hidden_states[L-1]');
  });

  for (const method of SEGMENT_METHODS)
    it(`${method}: logits equal the CPU oracle from the paper's definition (atol 1e-5), images 0-2`, async () => {
      let worst = 0;
      for (const i of [0, 1, 2]) {
        const s = await model.segment(TINY_IMAGES[i], labels, { ...AS_GIVEN, method });
        expect(s.method).toBe(method);
        const { logits } = segmentRef(vision, model.config.vision, pixels(i), texts, method, model.logitScale.exp);
        worst = Math.max(worst, maxAbsDiff(s.logits, logits));
        expectClose(s.logits, logits, 1e-5, `${method} image ${i}`);
      }
      measured(`${method} vs CPU oracle: max |diff| = ${worst.toExponential(2)}`);
    });

  it('the methods give different maps; maskclip is detect --mode values', async () => {
    const maps = new Map<string, Float32Array>();
    for (const method of SEGMENT_METHODS)
      maps.set(method, (await model.segment(TINY_IMAGES[1], labels, { ...AS_GIVEN, method })).logits);
    for (const a of SEGMENT_METHODS)
      for (const b of SEGMENT_METHODS) if (a < b) expect(maxAbsDiff(maps.get(a)!, maps.get(b)!)).toBeGreaterThan(1e-3);
    const d = await model.detect(
      TINY_IMAGES[1],
      labels.map((label, i) => ({ label, embedding: texts[i] })),
      { mode: 'values' },
    );
    const values = Float32Array.from(
      { length: labels.length * 16 },
      (_, i) => d.patchSimilarity[i % 16][Math.floor(i / 16)],
    );
    expectClose(maps.get('maskclip')!, values, 1e-6, 'maskclip = values');
  });

  it("NACLIP's neighbourhood bias is its gaussian_window + get_attention_addition", () => {
    for (const [gh, gw] of [
      [4, 4],
      [3, 5],
      [14, 14],
    ]) {
      expectClose(neighbourhoodBias(gh, gw, 5), naclipAdditionRef(gh, gw, 5), 1e-7, `${gh}x${gw}`);
    }
    const b = neighbourhoodBias(4, 4, 5); // T = 17
    expect(b[0]).toBe(0); // CLS row and column
    expect(b[3]).toBe(0);
    expect(b[17 * 5]).toBe(0);
    expect(b[1 * 17 + 1]).toBe(1); // a patch and itself
    expect(b[1 * 17 + 2]).toBeCloseTo(Math.exp(-1 / 50), 7); // its right neighbour
    expect(b[1 * 17 + 6]).toBeCloseTo(Math.exp(-2 / 50), 7); // diagonal
  });

  it('mask: argmax of the upsampled logits; a background label or a threshold makes background', async () => {
    const s = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'sclip' });
    expect(s.image).toEqual({ width: 64, height: 64 });
    expect(s.mask.length).toBe(64 * 64);
    const up = s.upsample();
    expect(up.length).toBe(labels.length * 64 * 64);
    for (let p = 0; p < 64 * 64; p++) {
      let best = 0;
      for (let l = 1; l < labels.length; l++) if (up[l * 4096 + p] > up[best * 4096 + p]) best = l;
      expect(s.mask[p]).toBe(best);
    }
    expect(new Set(s.mask).size).toBeGreaterThan(1);
    expect(s.upsample({ width: 4, height: 4 })).toEqual(s.logits); // the grid itself
    // Thresholds: 0 keeps every label, 1 makes all background (the best probability is < 1 with 2+ labels).
    const none = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'sclip', background: 0 });
    expect(none.mask).toEqual(s.mask);
    expect(none.background).toEqual({ threshold: 0 });
    const all = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'sclip', background: 1 });
    expect(all.mask.every((v) => v === BACKGROUND)).toBe(true);
    // A background label: its own map, and its pixels become BACKGROUND; the others keep their index.
    const bg = labels[0];
    const withBg = await model.segment(TINY_IMAGES[2], labels.slice(1), {
      ...AS_GIVEN,
      method: 'sclip',
      background: bg,
    });
    expect(withBg.labels).toEqual(labels.slice(1));
    expect(withBg.logits).toEqual(s.logits.slice(16));
    expect((withBg.background as { logits: Float32Array }).logits).toEqual(s.logits.slice(0, 16));
    expect(Array.from(withBg.mask)).toEqual(Array.from(s.mask, (v) => (v === 0 ? BACKGROUND : v - 1)));
  });

  it("relevance: each label's map is gradcam's relevance over its maximum times the label's probability; a share of the best is background", async () => {
    const s = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'relevance' });
    const explained = [];
    for (const text of texts) explained.push(await model.gradcam(TINY_IMAGES[2], text, { method: 'relevance' }));
    expectClose(
      s.logits,
      weightRelevance(
        explained.map((e) => e.cam),
        explained.map((e) => e.score),
      ),
      1e-6,
      'maps',
    );
    expect(s.relevanceShare).toBe(RELEVANCE_BACKGROUND);
    expect(s.background).toBeUndefined();
    const up = s.upsample();
    let top = 0;
    const best = Float32Array.from({ length: 64 * 64 }, (_, p) => {
      let b = -Infinity;
      for (let l = 0; l < labels.length; l++) b = Math.max(b, up[l * 4096 + p]);
      top = Math.max(top, b);
      return b;
    });
    for (let p = 0; p < 64 * 64; p++) expect(s.mask[p] === BACKGROUND).toBe(best[p] < RELEVANCE_BACKGROUND * top);
    expect(new Set(s.mask).size).toBeGreaterThan(1);
    // Share 0: every pixel gets a label; 1: only the best pixel keeps one. One label is enough.
    const none = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'relevance', background: 0 });
    expect(none.mask.includes(BACKGROUND)).toBe(false);
    expect(none.relevanceShare).toBe(0);
    const all = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'relevance', background: 1 });
    expect(all.mask.filter((v) => v !== BACKGROUND).length).toBeGreaterThan(0);
    expect(all.mask.filter((v) => v !== BACKGROUND).length).toBeLessThan(64);
    const one = await model.segment(TINY_IMAGES[2], [labels[0]], { ...AS_GIVEN, method: 'relevance', background: 0.3 });
    expect(one.logits.length).toBe(16);
    expect(Math.max(...one.logits)).toBeCloseTo(1, 6); // its own maximum, probability 1
    // A background label competes like the labels; the share still applies.
    const withBg = await model.segment(TINY_IMAGES[2], labels.slice(1), {
      ...AS_GIVEN,
      method: 'relevance',
      background: labels[0],
    });
    expect(withBg.relevanceShare).toBe(RELEVANCE_BACKGROUND);
    // Fit to the image: RELEVANCE_REFINE's steps, at the model's pixel density (a 128 px image refined at 64 px).
    const big = {
      width: 128,
      height: 128,
      channels: 4 as const,
      data: new Uint8Array(128 * 128 * 4).map((_, i) => (i * 37) % 251),
    };
    const fit = await model.segment(big, labels, { ...AS_GIVEN, method: 'relevance', refine: true });
    expect(fit.refined!.options.iterations).toBe(RELEVANCE_REFINE.iterations);
    expect(fit.refined!.size).toEqual([64, 64]);
    expect(fit.mask.length).toBe(128 * 128);
    expect(Array.from(withBg.mask)).toEqual(Array.from(s.mask, (v) => (v <= 0 ? BACKGROUND : v - 1)));
  });

  it('weightRelevance: maps over their maximum times the softmax of the scores; an empty map stays zero', () => {
    const w = weightRelevance(
      [
        [1, 2, 4],
        [0, 0, 0],
        [3, 0, 1],
      ],
      [2, 1, 2],
    );
    const z = 2 * Math.exp(2) + Math.exp(1);
    const p = [Math.exp(2) / z, Math.exp(1) / z, Math.exp(2) / z];
    expectClose(w, [p[0] / 4, p[0] / 2, p[0], 0, 0, 0, p[2], 0, p[2] / 3], 1e-7, 'weighted');
  });

  it("refine: the upsampled maps refined by the image's pixels with PAMR (the float64 reference) choose each pixel's label", async () => {
    const s = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'sclip' });
    const r = await model.segment(TINY_IMAGES[2], labels, { ...AS_GIVEN, method: 'sclip', refine: { iterations: 4 } });
    expect(r.logits).toEqual(s.logits);
    expect({ ...r.refined, maps: undefined }).toEqual({
      options: { iterations: 4, dilations: [1, 2, 4, 8, 12, 24] },
      size: [64, 64],
      maps: undefined,
    });
    expect(r.refined!.maps.length).toBe(labels.length * 64 * 64);
    const raw = await nodePlatform.decodeImage(TINY_IMAGES[2]);
    const want = pamrReference(rgbPlanes(raw), 3, s.upsample(), labels.length, 64, 64, { iterations: 4 });
    let disagree = 0;
    for (let p = 0; p < 64 * 64; p++) {
      let best = 0;
      for (let l = 1; l < labels.length; l++) if (want[l * 4096 + p] > want[best * 4096 + p]) best = l;
      // float32 against float64: only a near-tie may differ
      if (r.mask[p] !== best) {
        disagree++;
        expect(Math.abs(want[r.mask[p] * 4096 + p] - want[best * 4096 + p])).toBeLessThan(1e-5);
      }
    }
    measured(`segment refine: ${disagree} of 4096 pixels differ from the float64 PAMR's argmax (near-ties)`);
    expect(r.mask).not.toEqual(s.mask); // refinement moves the labels' borders
    await expect(model.segment(TINY_IMAGES[2], labels, { refine: { iterations: -1 } })).rejects.toThrow(
      /PAMR iterations/,
    );
  });

  it('sliding windows: one window of the whole image is the plain run; overlapping windows average the oracle maps', async () => {
    const plain = await model.segment(TINY_IMAGES[3], labels, { ...AS_GIVEN, method: 'naclip' });
    const one = await model.segment(TINY_IMAGES[3], labels, { ...AS_GIVEN, method: 'naclip', slide: { window: 64 } });
    expect(one.windows).toEqual([{ x: 0, y: 0, w: 64, h: 64 }]);
    expectClose(one.logits, plain.logits, 0, 'one window');
    // 40 px windows every 12 px on 64 px: starts 0, 12, 24 (clamped from 36): 3 x 3 windows, 11 passes' worth in 2.
    const before = model.gpuStats.submits;
    const s = await model.segment(TINY_IMAGES[3], labels, {
      ...AS_GIVEN,
      method: 'naclip',
      slide: { window: 40, stride: 12 },
    });
    expect(model.gpuStats.submits - before).toBe(3); // the labels' text pass, then 8 + 1 windows
    expect(s.windows.length).toBe(9);
    expect(s.windows.map((w) => w.x).slice(0, 3)).toEqual([0, 12, 24]);
    expect(s.grid).toEqual([6, 6]); // cells of 40 / 4 = 10 px over 64 px
    const raw = await nodePlatform.decodeImage(TINY_IMAGES[3]);
    const refMaps = s.windows.map((win) =>
      Float32Array.from(segmentRef(vision, model.config.vision, windowPixels(raw, win, 64), texts, 'naclip').logits),
    );
    const want = stitchWindows(s.windows, refMaps, labels.length, 4, 64, 64, s.grid);
    measured(`naclip sliding windows vs CPU oracle: max |diff| = ${maxAbsDiff(s.logits, want).toExponential(2)}`);
    expectClose(s.logits, want, 1e-5, 'slide');
  });

  it('stitching: aligned windows give each cell the mean of the windows holding it', () => {
    // 8 x 4 px image, windows of 4 px (2 x 2 grid: 2 px cells) every 2 px: x starts 0, 2, 4.
    const windows = slideWindows(8, 4, { window: 4, stride: 2 });
    expect(windows).toEqual([
      { x: 0, y: 0, w: 4, h: 4 },
      { x: 2, y: 0, w: 4, h: 4 },
      { x: 4, y: 0, w: 4, h: 4 },
    ]);
    const maps = windows.map((_, i) => Float32Array.from([1, 2, 3, 4].map((v) => v + 10 * i))); // one label
    const out = stitchWindows(windows, maps, 1, 2, 8, 4, [2, 4]);
    // Columns: cell 0 in window 0 only; cell 1 in windows 0 (col 1), 1 (col 0); cell 2 in 1 (col 1), 2 (col 0); cell 3 in 2.
    expect(Array.from(out)).toEqual([1, (2 + 11) / 2, (12 + 21) / 2, 22, 3, (4 + 13) / 2, (14 + 23) / 2, 24]);
  });

  it('bad input is refused with a ClipError naming the problem', async () => {
    const img = TINY_IMAGES[0];
    const refused = async (p: Promise<unknown>, re: RegExp) => {
      const e = await p.then(
        () => null,
        (x: unknown) => x,
      );
      expect(isClipError(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
    };
    await refused(model.segment(img, []), /No labels/);
    await refused(model.segment(img, ['a'], { method: 'surgery' as never }), /Unknown segmentation method "surgery"/);
    await refused(model.segment(img, ['a'], { background: 0.5 }), /at least two labels/);
    await refused(model.segment(img, ['a', 'b'], { background: 1.5 }), /probability in \[0, 1\]/);
    await refused(
      model.segment(img, ['a'], { method: 'relevance', background: -0.1 }),
      /share is a number in \[0, 1\]/,
    );
    await refused(model.segment(img, ['a'], { background: ' ' }), /background label is empty/);
    await refused(model.segment(img, ['a'], { slide: { window: 0 } }), /positive whole number/);
    await refused(model.segment(img, ['a'], { slide: { window: 32, stride: 40 } }), /1\.\.32/);
    await refused(model.segment(new Uint8Array([1, 2, 3]), ['a']), /image/i);
  });
});

describe('IoU scoring', () => {
  it('sums intersections and unions over images, mIoU over the classes present', () => {
    const c = new IouCounter(['background', 'a', 'b', 'c']);
    // mask: label index or -1; truth: class id (0 background, k = label k - 1).
    c.add([-1, 0, 0, 1], [0, 1, 1, 1]); // bg: 1/1, a: 2/3, b: 0/1
    c.add([0, -1], [1, 0]); // bg: +1/+1, a: +1/+1
    const s = c.score();
    expect(s.iou).toEqual([2 / 2, 3 / 4, 0, null]); // c never occurs: not in the mean
    expect(s.miou).toBeCloseTo((1 + 0.75 + 0) / 3, 12);
    expect(s.pixelAccuracy).toBeCloseTo(5 / 6, 12);
    expect([s.images, s.pixels]).toEqual([2, 6]);
  });
});
