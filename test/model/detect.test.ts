/**
 * Zero-shot patch detection (src/model/detect/): the patch-similarity golden, MaskCLIP's value path
 * against a CPU reference, the segmentation and explanation maps as their own APIs make them, the 7x7 grid of a ViT-B/32-shaped model, crop mode on a synthetic image.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import type { RawImage } from '../../src/model/preprocess/preprocess.ts';
import { layernormRef } from '../../src/kernels/layernorm/reference.ts';
import { matmulRef } from '../../src/kernels/matmul/reference.ts';
import { l2normRef } from '../../src/kernels/l2norm/reference.ts';
import {
  cropWindows,
  DEFAULT_REFINED_RELATIVE_THRESHOLD,
  DEFAULT_RELATIVE_THRESHOLD,
  detectionBoxes,
  resizePlanes,
  upsampleBilinear,
} from '../../src/model/detect/index.ts';
import { pamrReference } from '../../src/kernels/pamr/reference.ts';
import { GRADCAM_METHODS } from '../../src/model/explain/index.ts';
import { encoderLayerRef } from '../../src/model/encoder-reference.ts';
import { expectClose, flat, gpu, maxAbsDiff } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';
import { cpuLayer, narrowB32 } from '../helpers/models.ts';
import { measured } from '../helpers/measurements.ts';

describe('detect on tiny-clip (F32)', () => {
  const g = golden('f32');
  let model: ClipModel;
  let queries: { label: string; embedding: Float32Array }[];
  beforeAll(async () => {
    model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu() });
    const embeds = await model.encodeText(g.prompts, { truncate: true });
    queries = g.prompts.map((label, i) => ({ label, embedding: embeds[i] }));
  });
  afterAll(() => model.dispose());

  it('patches: patch_similarity_image0 (atol 2e-5), grid [4, 4], one GPU pass', async () => {
    const before = model.gpuStats.submits;
    const d = await model.detect(TINY_IMAGES[0], queries);
    expect(model.gpuStats.submits - before).toBe(1);
    expect(d.mode).toBe('patches');
    expect(d.grid).toEqual([4, 4]);
    expect(d.queries).toEqual(g.prompts);
    expect(d.patchSimilarity.length).toBe(16);
    const got = flat(d.patchSimilarity.map((r) => Array.from(r)));
    const want = flat(g.patch_similarity_image0);
    measured(`patch_similarity_image0: max |diff| = ${maxAbsDiff(got, want).toExponential(2)}`);
    expectClose(got, want, 2e-5, 'patch_similarity');
    // The image is at model size: boxes are in its 64x64 pixels, one or more per query.
    expect(d.image).toEqual({ width: 64, height: 64 });
    for (let q = 0; q < 8; q++) expect(d.boxes.some((b) => b.queryIndex === q)).toBe(true);
    for (const b of d.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(64);
      expect(b.y + b.h).toBeLessThanOrEqual(64);
      expect(b.score).toBeGreaterThanOrEqual(d.thresholds[b.queryIndex]);
    }
  });

  it('patches: the best box of a query holds its best patch, scored by the patch value at grid resolution', async () => {
    const d = await model.detect(TINY_IMAGES[0], queries.slice(0, 3), { mapSize: 4 });
    for (let q = 0; q < 3; q++) {
      const col = g.patch_similarity_image0.map((r) => r[q]);
      const best = col.indexOf(Math.max(...col));
      const top = d.boxes.find((b) => b.queryIndex === q)!;
      expect(top.score).toBeCloseTo(col[best], 4);
      const [px, py] = [(best % 4) * 16, Math.floor(best / 4) * 16];
      expect(px >= top.x && px + 16 <= top.x + top.w && py >= top.y && py + 16 <= top.y + top.h).toBe(true);
    }
  });

  it('values: MaskCLIP value path equals a CPU reference from the golden hidden_states[L-1]', async () => {
    const d = await model.detect(TINY_IMAGES[0], queries, { mode: 'values' });
    expect(d.grid).toEqual([4, 4]);
    const c = model.config.vision;
    const D = c.hiddenSize,
      T = 17,
      P = model.config.projectionDim;
    const L = c.numLayers;
    const w = async (n: string) => model.readWeight(n);
    const layer = await cpuLayer(model, `vision_model.encoder.layers.${L - 1}`);
    // x = hidden_states[L-1]: the last layer's input; the layer's CPU oracle with the value path.
    const x = Float64Array.from(flat(g.vision_image0.hidden_states[L - 1]));
    const { y: x2 } = encoderLayerRef(x, layer, {
      B: 1,
      T,
      heads: c.numHeads,
      eps: c.layerNormEps,
      act: c.hiddenAct,
      causal: false,
      attention: 'values',
    });
    const post = layernormRef(
      x2,
      await w('vision_model.post_layernorm.weight'),
      await w('vision_model.post_layernorm.bias'),
      D,
      c.layerNormEps,
    );
    const unit = l2normRef(matmulRef(post, await w('visual_projection.weight'), null, T, P, D), P);
    const text = l2normRef(flat(queries.map((q) => Array.from(q.embedding))), P);
    const sim = matmulRef(unit, text, null, T, 8, P).slice(8); // drop the CLS row
    const got = flat(d.patchSimilarity.map((r) => Array.from(r)));
    measured(`values vs CPU reference: max |diff| = ${maxAbsDiff(got, sim).toExponential(2)}`);
    expectClose(got, sim, 2e-5, 'values');
    // and it is a different map from patches mode
    expect(maxAbsDiff(got, flat(g.patch_similarity_image0))).toBeGreaterThan(0.05);
  });

  it("sclip, clearclip, naclip: the segmentation methods' cosine maps (segment logits), default threshold 0.5", async () => {
    for (const method of ['sclip', 'clearclip', 'naclip'] as const) {
      const d = await model.detect(TINY_IMAGES[0], queries, { mode: method });
      // segment's logits: [labels][rows][cols]; detect's map: [cell][query]. Same encoder pass, same head.
      const seg = await model.segment(
        TINY_IMAGES[0],
        queries.map((q) => q.label),
        { method, embeddings: queries.map((q) => q.embedding) },
      );
      const cells = d.grid[0] * d.grid[1];
      const asSegment = Float32Array.from({ length: queries.length * cells }, (_, i) => {
        return d.patchSimilarity[i % cells][Math.floor(i / cells)];
      });
      measured(`${method} detect vs segment: max |diff| = ${maxAbsDiff(asSegment, seg.logits).toExponential(2)}`);
      expectClose(asSegment, seg.logits, 1e-6, method);
      const col = d.patchSimilarity.map((r) => r[0]);
      const [lo, hi] = [Math.min(...col), Math.max(...col)];
      expect(d.thresholds[0]).toBeCloseTo(lo + 0.5 * (hi - lo), 6);
    }
  });

  it("explanation modes: each query's map is model.gradcam's, with the method's default threshold", async () => {
    for (const method of GRADCAM_METHODS) {
      const d = await model.detect(TINY_IMAGES[1], queries.slice(0, 2), { mode: method });
      expect(d.mode).toBe(method);
      expect(d.grid).toEqual([4, 4]);
      for (const [qi, q] of queries.slice(0, 2).entries()) {
        const cam = await model.gradcam(TINY_IMAGES[1], q.embedding, { method });
        expect(Array.from(d.patchSimilarity, (r) => r[qi])).toEqual(Array.from(cam.cam));
        const [lo, hi] = [Math.min(...cam.cam), Math.max(...cam.cam)];
        expect(d.thresholds[qi]).toBeCloseTo(lo + DEFAULT_RELATIVE_THRESHOLD[method] * (hi - lo), 6);
      }
      // Threshold at the minimum: one region, the whole grid, i.e. the whole image (224 x 224 fixture).
      const all = await model.detect(TINY_IMAGES[1], queries.slice(0, 1), { mode: method, relativeThreshold: 0 });
      expect(all.boxes.map(({ x, y, w, h }) => [x, y, w, h])).toEqual([[0, 0, all.image.width, all.image.height]]);
    }
  });

  it('refine: each map upsampled to mapSize and refined by the model view with PAMR (the float64 reference), boxes found on it', async () => {
    const [prepared] = await model.prepareImages([TINY_IMAGES[1]]);
    for (const mode of ['patches', 'relevance'] as const) {
      const plain = await model.detect(TINY_IMAGES[1], queries.slice(0, 2), { mode });
      const d = await model.detect(TINY_IMAGES[1], queries.slice(0, 2), { mode, refine: true, mapSize: 40 });
      expect(d.refined?.options).toEqual({ iterations: 10, dilations: [1, 2, 4, 8, 12, 24] });
      expect(d.patchSimilarity).toEqual(plain.patchSimilarity);
      const view = resizePlanes(prepared.pixels, 3, 64, 64, 40, 40);
      for (let qi = 0; qi < 2; qi++) {
        const up = upsampleBilinear(
          Float32Array.from(d.patchSimilarity, (r) => r[qi]),
          4,
          4,
          40,
          40,
        );
        const want = pamrReference(view, 3, up, 1, 40, 40);
        const diff = maxAbsDiff(Array.from(d.refined!.maps[qi]), Array.from(want));
        measured(`detect ${mode} refine: refined map vs float64 PAMR, max |diff| = ${diff.toExponential(2)}`);
        expect(diff).toBeLessThan(1e-5 * Math.max(...Array.from(want, Math.abs)));
        const [lo, hi] = [Math.min(...want), Math.max(...want)];
        expect(d.thresholds[qi]).toBeCloseTo(lo + DEFAULT_REFINED_RELATIVE_THRESHOLD[mode] * (hi - lo), 4);
      }
      // The boxes again from the refined maps (a slider's path), and into the image through the transform.
      expect(detectionBoxes(d, { relativeThreshold: DEFAULT_REFINED_RELATIVE_THRESHOLD[mode] }).boxes).toEqual(d.boxes);
      for (const b of d.boxes) expect(b.x + b.w).toBeLessThanOrEqual(d.image.width);
    }
    await expect(model.detect(TINY_IMAGES[1], ['dog'], { mode: 'crops', refine: true })).rejects.toThrow(
      /refine applies to the map modes/,
    );
    await expect(model.detect(TINY_IMAGES[1], ['dog'], { refine: { dilations: [0] } })).rejects.toThrow(
      /PAMR dilations/,
    );
  });

  it('string queries go through the templates; crops need a background; bad input is refused', async () => {
    const d = await model.detect(TINY_IMAGES[1], ['dog', 'cat'], { templates: ['a photo of a {}.'] });
    const [dog, cat] = await model.labelEmbeddings(['dog', 'cat']);
    const e = await model.detect(TINY_IMAGES[1], [
      { label: 'dog', embedding: dog },
      { label: 'cat', embedding: cat },
    ]);
    expectClose(
      flat(d.patchSimilarity.map((r) => Array.from(r))),
      flat(e.patchSimilarity.map((r) => Array.from(r))),
      1e-6,
      'same map',
    );
    await expect(model.detect(TINY_IMAGES[0], [])).rejects.toThrow(/No queries/);
    await expect(model.detect(TINY_IMAGES[0], ['dog'], { mode: 'boxes' as never })).rejects.toThrow(
      /Unknown detection mode/,
    );
    await expect(model.detect(TINY_IMAGES[0], [{ label: 'x', embedding: new Float32Array(3) }])).rejects.toThrow(
      /32 values/,
    );
    await expect(model.detect(TINY_IMAGES[0], ['dog'], { mode: 'crops', cropGrid: 100 })).rejects.toThrow(
      /at least 100 x 100/,
    );
  });

  describe('crops', () => {
    // 128x128 noise with a red 32x32 square at cell (row 1, col 2) of a 4x4 grid: x 64..95, y 32..63.
    const image = syntheticImage(128, 128, { x: 64, y: 32, size: 32 });

    it('the red square is found where the map is highest; the crops are encoded in one pass', async () => {
      // The weights are random, so no word "means" red. 'shooting' is the word of the tokenizer's
      // vocabulary (first 6000 lowercase words, template "a photo of a {}.") whose crop map best
      // separates the square's cell from the others on this fixture (0.94 there, < 0.07 elsewhere).
      const before = model.gpuStats.submits;
      const d = await model.detect(image, ['shooting'], { mode: 'crops', cropGrid: 4, mapSize: 4 });
      expect(model.gpuStats.submits - before).toBe(2); // one text pass (query + background), one for all 16 crops
      expect(d.grid).toEqual([4, 4]);
      expect(d.image).toEqual({ width: 128, height: 128 });
      const col = d.patchSimilarity.map((r) => r[0]);
      measured('crop map:', col.map((v) => v.toFixed(3)).join(' '));
      expect(col.indexOf(Math.max(...col))).toBe(1 * 4 + 2);
      // Threshold 0.5 (crops default) on the cell grid: exactly the square's cell, in image pixels.
      expect(d.thresholds).toEqual([0.5]);
      expect(d.boxes.length).toBe(1);
      expect(d.boxes[0]).toMatchObject({ query: 'shooting', queryIndex: 0, x: 64, y: 32, w: 32, h: 32 });
      expect(d.boxes[0].score).toBeCloseTo(Math.max(...col), 6);
      // Upsampled to the default 64 x 64 map: the box hugs the cell (bilinear edges move it a little).
      const up = await model.detect(image, ['shooting'], { mode: 'crops', cropGrid: 4 });
      expect(up.boxes.length).toBe(1);
      const b = up.boxes[0];
      expect(Math.abs(b.x - 64)).toBeLessThanOrEqual(8);
      expect(Math.abs(b.y - 32)).toBeLessThanOrEqual(8);
      expect(Math.abs(b.w - 32)).toBeLessThanOrEqual(16);
      expect(Math.abs(b.h - 32)).toBeLessThanOrEqual(16);
    });

    it('with overlapping 2x2-cell windows: 25 crops, still one pass, the peak stays on the square', async () => {
      expect(cropWindows(128, 128, 4, true).length).toBe(16 + 9);
      const before = model.gpuStats.submits;
      const d = await model.detect(image, ['shooting'], {
        mode: 'crops',
        cropGrid: 4,
        overlap: true,
        mapSize: 4,
        threshold: 0.4,
      });
      expect(model.gpuStats.submits - before).toBe(2);
      const col = d.patchSimilarity.map((r) => r[0]);
      measured('crop map (overlap):', col.map((v) => v.toFixed(3)).join(' '));
      expect(col.indexOf(Math.max(...col))).toBe(1 * 4 + 2);
      // The 2x2 windows that hold the square see it at a quarter of their area: the cell's mean falls
      // (0.46 here) but stays the peak, and its neighbours rise (< 0.3).
      expect(d.boxes.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual([{ x: 64, y: 32, w: 32, h: 32 }]);
    });
  });
});

describe('detect on a ViT-B/32-shaped model (224 px, patch 32, small widths)', () => {
  let model: ClipModel;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ model, cleanup } = await narrowB32(1, 5));
  });
  afterAll(() => cleanup?.());

  it('grid [7, 7] in both dense modes (values with a 1-layer tower starts at hidden_states[0])', async () => {
    const image = syntheticImage(224, 224, { x: 96, y: 96, size: 32 });
    for (const mode of ['patches', 'values'] as const) {
      const d = await model.detect(image, ['dog', 'cat'], { mode });
      expect(d.grid).toEqual([7, 7]);
      expect(d.patchSimilarity.length).toBe(49);
      for (const row of d.patchSimilarity) {
        expect(row.length).toBe(2);
        for (const v of row) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-5);
      }
    }
  });

  it('boxes land in the original image through the preprocessing transform (non-square image)', async () => {
    // 448x300: resized to 334x224, centre crop left = 55 (resized px): the grid covers x 73.8..373.8 of the image.
    const image = syntheticImage(448, 300, { x: 200, y: 100, size: 60 });
    const d = await model.detect(image, ['dog'], { relativeThreshold: 0 });
    expect(d.image).toEqual({ width: 448, height: 300 });
    // Threshold at the minimum: one region, the whole grid, i.e. the centre crop in image pixels.
    expect(d.boxes.length).toBe(1);
    const b = d.boxes[0];
    const sx = 448 / 334,
      left = 55 * sx;
    expect(b.x).toBeCloseTo(left, 3);
    expect(b.w).toBeCloseTo(224 * sx, 3);
    expect(b.y).toBeCloseTo(0, 3);
    expect(b.h).toBeCloseTo(300, 3);
  });
});

/** Seeded RGB noise with a pure red square. */
function syntheticImage(width: number, height: number, square: { x: number; y: number; size: number }): RawImage {
  const data = new Uint8Array(width * height * 3);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  for (let y = square.y; y < square.y + square.size; y++) {
    for (let x = square.x; x < square.x + square.size; x++) data.set([255, 0, 0], (y * width + x) * 3);
  }
  return { width, height, data, channels: 3 };
}
