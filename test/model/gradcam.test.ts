/**
 * Grad-CAM against PyTorch autograd (pytorch-grad-cam's definition, ../shared/README.md): A, G and
 * the channel weights for (image 0, prompt 0), score and maps for both pairs, for the last layer
 * and for layer 0 (the backward crosses the whole tower), on both CPU adapters. gradcam++ and
 * relevance have no golden: they are checked against their formulas on the golden A/G and against
 * a float64 CPU oracle of the whole explanation built from the kernels' oracles, also on a
 * ViT-B/32-shaped model (7x7 grid, non-square image).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { mat3 } from 'wgpu-matrix';
import { ClipModel, isClipError, modelToImage } from '../../src/node/index.ts';
import type { RawImage } from '../../src/model/preprocess/preprocess.ts';
import { channelWeights, normalizeCam, weightedActivations } from '../../src/model/explain/gradcam.ts';
import { blendHeatmap, camExtent, cellAt, colourOf } from '../../src/model/explain/overlay.ts';
import { explainRef, legradRef, surgeryRef } from '../../src/model/explain/reference.ts';
import { expectClose, flat, gpu, maxAbsDiff, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';
import { cpuVision, narrowB32 } from '../helpers/models.ts';
import { measured } from '../helpers/measurements.ts';
import { upsampleBilinear } from '../../src/model/detect/index.ts';
import { pamrReference } from '../../src/kernels/pamr/reference.ts';

interface Pair {
  image: number;
  prompt: number;
  score: number;
  cam: number[][];
  cam_norm: number[][];
  A?: number[][];
  G?: number[][];
  weights?: number[];
}
const TARGETS = { last_layer: -1, first_layer: 0 } as const;

for (const adapter of TEST_ADAPTERS) {
  describe(`Grad-CAM on tiny-clip f32, ${adapter}`, () => {
    const g = golden('f32');
    const gc = g.gradcam as Record<keyof typeof TARGETS, { target: string; pairs: Pair[] }>;
    let model: ClipModel;
    beforeAll(async () => {
      model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu(adapter) });
    });
    afterAll(() => model.dispose());

    for (const [name, layer] of Object.entries(TARGETS) as [keyof typeof TARGETS, number][]) {
      it(`${name} (${gc[name].target}): A, G, weights (atol 1e-4), score (2e-3), cam and cam_norm (1e-4) for both pairs`, async () => {
        for (const pair of gc[name].pairs) {
          const r = await model.gradcam(TINY_IMAGES[pair.image], g.prompts[pair.prompt], {
            layer,
            truncate: true,
            tensors: true,
          });
          const what = `${name} (img ${pair.image}, prompt ${pair.prompt})`;
          expect(r.grid).toEqual([4, 4]);
          expect(r.layer).toBe(layer < 0 ? 1 : layer);
          expect(Math.abs(r.score - pair.score), `${what} score ${r.score} vs ${pair.score}`).toBeLessThanOrEqual(2e-3);
          if (pair.A) {
            expect(r.tensors!.shape).toEqual([17, 64]);
            expectClose(r.tensors!.activations, flat(pair.A), 1e-4, `${what} A`);
            expectClose(r.tensors!.gradients, flat(pair.G), 1e-4, `${what} G`);
            expectClose(r.tensors!.weights!, pair.weights!, 1e-4, `${what} weights`);
            measured(
              `${adapter} ${what}: max |diff| A ${maxAbsDiff(r.tensors!.activations, flat(pair.A)).toExponential(1)}, ` +
                `G ${maxAbsDiff(r.tensors!.gradients, flat(pair.G)).toExponential(1)}, weights ${maxAbsDiff(r.tensors!.weights!, pair.weights!).toExponential(1)}`,
            );
          }
          expectClose(r.cam, flat(pair.cam), 1e-4, `${what} cam`);
          expectClose(r.camNorm, flat(pair.cam_norm), 1e-4, `${what} cam_norm`);
          measured(
            `${adapter} ${what}: max |diff| score ${Math.abs(r.score - pair.score).toExponential(1)}, ` +
              `cam ${maxAbsDiff(r.cam, flat(pair.cam)).toExponential(1)}, cam_norm ${maxAbsDiff(r.camNorm, flat(pair.cam_norm)).toExponential(1)}`,
          );
        }
      });
    }

    it("gradcam++: pytorch-grad-cam's formula, on our A and G and on the golden ones", async () => {
      // By hand: 2 patches, 1 channel, Σ_p A = 3, G = (1, −1): α = 1 / (2 + 3 + 1e-6) for the first, relu(−1) = 0.
      expect(channelWeights([9, 1, 2], [9, 1, -1], 3, 1, 'gradcam++')[0]).toBeCloseTo(1 / (5 + 1e-6), 15);
      expect(channelWeights([9, 1, 2], [9, 0, 0], 3, 1, 'gradcam++')[0]).toBe(0); // α = 0 where G = 0
      const pair = gc.last_layer.pairs[0];
      const r = await model.gradcam(TINY_IMAGES[0], g.prompts[0], {
        method: 'gradcam++',
        truncate: true,
        tensors: true,
      });
      const { activations: A, gradients: G } = r.tensors!;
      const w = channelWeights(A, G, 17, 64, 'gradcam++');
      expectClose(r.tensors!.weights!, w, 1e-6 * Math.max(1, ...Array.from(w, Math.abs)), 'gradcam++ weights');
      expectClose(r.cam, weightedActivations(A, w, 17, 64), 1e-6 * Math.max(1, ...r.cam), 'gradcam++ cam');
      expectClose(r.camNorm, normalizeCam(r.cam), 0, 'gradcam++ cam_norm');
      expect(Math.max(...r.camNorm)).toBeCloseTo(1, 5);
      // From PyTorch's A and G: G² / (2G² + ΣA·G³) is ill-conditioned where 2 + ΣA·G ≈ 0, so 1e-6
      // differences in G move some weights by ~1e-4 relative: compare the normalized map.
      const golden = normalizeCam(
        weightedActivations(flat(pair.A), channelWeights(flat(pair.A), flat(pair.G), 17, 64, 'gradcam++'), 17, 64),
      );
      expectClose(r.camNorm, golden, 1e-3, 'gradcam++ cam_norm from the golden A, G');
      measured(`${adapter} gradcam++ cam_norm vs golden A/G: ${maxAbsDiff(r.camNorm, golden).toExponential(1)}`);
    });

    it('relevance and G against the float64 CPU oracle of the whole explanation, from both start layers', async () => {
      const w = await cpuVision(model);
      const [prepared] = await model.prepareImages([TINY_IMAGES[1]]);
      const [text] = await model.encodeText([g.prompts[2]]);
      for (const layer of [1, 0]) {
        const want = explainRef(w, model.config.vision, prepared.pixels, text, model.logitScale.exp, layer);
        const r = await model.gradcam(TINY_IMAGES[1], text, { method: 'relevance', layer, tensors: true });
        expect(r.tensors!.weights).toBeNull();
        expect(Math.abs(r.score - want.score)).toBeLessThan(2e-3);
        expectClose(r.tensors!.gradients, want.G, 1e-4, `G layer ${layer}`);
        const scale = Math.max(...Array.from(want.relevance, Math.abs));
        expect(scale).toBeGreaterThan(0);
        expectClose(r.cam, want.relevance, 1e-4 * Math.max(1, scale), `relevance layer ${layer}`);
        expectClose(r.camNorm, normalizeCam(want.relevance), 1e-4, `relevance cam_norm layer ${layer}`);
      }
    });

    it('LeGrad and CLIP Surgery against their float64 CPU oracles, from every start layer and by default', async () => {
      const w = await cpuVision(model);
      const [prepared] = await model.prepareImages([TINY_IMAGES[1]]);
      const [text, empty] = await model.encodeText([g.prompts[2], '']);
      const plain = await model.gradcam(TINY_IMAGES[1], text);
      for (const layer of [undefined, 1, 0]) {
        const start = layer ?? 0; // defaults −2 and −6 (clamped) are layer 0 of 2
        const legrad = await model.gradcam(TINY_IMAGES[1], text, { method: 'legrad', layer });
        const want = legradRef(w, model.config.vision, prepared.pixels, text, start);
        const scale = Math.max(...Array.from(want, Math.abs));
        expect(scale).toBeGreaterThan(0);
        expect(legrad.layer).toBe(start);
        expect(legrad.score).toBeCloseTo(plain.score, 4);
        expectClose(legrad.cam, want, 1e-4 * scale, `legrad from layer ${start}`);
        expectClose(legrad.camNorm, normalizeCam(want), 1e-3, `legrad cam_norm from layer ${start}`);
        const surgery = await model.gradcam(TINY_IMAGES[1], text, { method: 'surgery', layer });
        const wantS = surgeryRef(w, model.config.vision, prepared.pixels, text, empty, start);
        expect(surgery.layer).toBe(start);
        expect(surgery.score).toBeCloseTo(plain.score, 4);
        expect(surgery.tensors).toBeUndefined();
        expectClose(surgery.cam, wantS, 1e-5, `surgery from layer ${start}`);
        expectClose(surgery.camNorm, normalizeCam(wantS), 1e-3, `surgery cam_norm from layer ${start}`);
        measured(
          `${adapter} legrad/surgery from layer ${start}: max |diff| ${(maxAbsDiff(legrad.cam, want) / scale).toExponential(1)} of the map's scale / ${maxAbsDiff(surgery.cam, wantS).toExponential(1)}`,
        );
      }
    });

    it('refine: the map upsampled to the input, refined by its pixels with PAMR (float64 reference), pooled per cell', async () => {
      const [prepared] = await model.prepareImages([TINY_IMAGES[1]]);
      const plain = await model.gradcam(TINY_IMAGES[1], 'a photo of a dog.', { method: 'relevance' });
      expect(plain.refined).toBeUndefined();
      const r = await model.gradcam(TINY_IMAGES[1], 'a photo of a dog.', {
        method: 'relevance',
        refine: { iterations: 5 },
      });
      expect(r.cam).toEqual(plain.cam);
      expect(r.refined!.options).toEqual({ iterations: 5, dilations: [1, 2, 4, 8, 12, 24] });
      expect(r.refined!.size).toBe(64);
      const want = pamrReference(prepared.pixels, 3, upsampleBilinear(r.cam, 4, 4, 64, 64), 1, 64, 64, {
        iterations: 5,
      });
      const scale = Math.max(...Array.from(want, Math.abs));
      measured(
        `${adapter} gradcam refine: max |diff| ${(maxAbsDiff(r.refined!.map, want) / scale).toExponential(1)} of the map's scale`,
      );
      expect(maxAbsDiff(r.refined!.map, want)).toBeLessThan(1e-5 * scale);
      // Cell (row 1, col 2): the mean of its 16 x 16 pixels.
      let sum = 0;
      for (let y = 16; y < 32; y++) for (let x = 32; x < 48; x++) sum += r.refined!.map[y * 64 + x];
      expect(r.refined!.cells[1 * 4 + 2]).toBeCloseTo(sum / 256, 5);
    });

    it('transform maps the grid onto the image; bad layer and method are input errors', async () => {
      const r = await model.gradcam(TINY_IMAGES[2], 'a photo of a dog.', { layer: -2 });
      expect(r.layer).toBe(0);
      expect(r.image).toEqual({ width: 64, height: 64 });
      const corner = mat3.multiply(r.transform, mat3.translation([4, 4]));
      expect([corner[8], corner[9]]).toEqual([64, 64]); // grid (4, 4) -> pixel (64, 64)
      for (const bad of [{ layer: 2 }, { layer: -3 }, { layer: 0.5 }, { method: 'lime' as never }]) {
        const e = await model.gradcam(TINY_IMAGES[0], 'x', bad).then(
          () => null,
          (err: unknown) => err,
        );
        expect(isClipError(e), JSON.stringify(bad)).toBe(true);
      }
      const e = await model.gradcam(TINY_IMAGES[0], new Float32Array(5)).then(
        () => null,
        (err: unknown) => err,
      );
      expect(isClipError(e)).toBe(true);
    });
  });
}

describe('Grad-CAM on a ViT-B/32-shaped model (224 px, patch 32, small widths, 2 layers)', () => {
  let model: ClipModel;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ model, cleanup } = await narrowB32(2, 7));
  });
  afterAll(() => cleanup?.());

  it('7x7 maps of all five methods, for the last layer and layer 0, against the float64 CPU oracle', async () => {
    const image = noise(448, 300);
    const w = await cpuVision(model);
    const [prepared] = await model.prepareImages([image]);
    const [text] = await model.encodeText(['a photo of a dog.']);
    for (const layer of [1, 0]) {
      const want = explainRef(w, model.config.vision, prepared.pixels, text, model.logitScale.exp, layer);
      for (const method of ['gradcam', 'gradcam++', 'relevance'] as const) {
        const r = await model.gradcam(image, text, { layer, method, tensors: true });
        const what = `${method} layer ${layer}`;
        expect(r.grid).toEqual([7, 7]);
        expect(r.cam.length).toBe(49);
        expect(Math.abs(r.score - want.score)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.score)));
        const gScale = Math.max(...Array.from(want.G, Math.abs));
        expectClose(r.tensors!.activations, want.A, 1e-4, `${what} A`);
        expectClose(r.tensors!.gradients, want.G, 1e-4 * gScale, `${what} G`);
        if (method === 'relevance') {
          expectClose(
            r.cam,
            want.relevance,
            1e-4 * Math.max(1, ...Array.from(want.relevance, Math.abs)),
            `${what} map`,
          );
        } else {
          const wts = channelWeights(want.A, want.G, 50, 64, method);
          expectClose(r.tensors!.weights!, wts, 1e-4 * Math.max(...Array.from(wts, Math.abs)), `${what} weights`);
          const cam = weightedActivations(want.A, wts, 50, 64);
          expectClose(r.cam, cam, 1e-3 * Math.max(1e-6, ...cam), `${what} cam`);
        }
      }
      const legrad = await model.gradcam(image, text, { layer, method: 'legrad' });
      const wantL = legradRef(w, model.config.vision, prepared.pixels, text, layer);
      expectClose(legrad.cam, wantL, 1e-4 * Math.max(...Array.from(wantL, Math.abs)), `legrad layer ${layer}`);
      const surgery = await model.gradcam(image, text, { layer, method: 'surgery' });
      const [empty] = await model.encodeText(['']);
      const wantS = surgeryRef(w, model.config.vision, prepared.pixels, text, empty, layer);
      expect(surgery.grid).toEqual([7, 7]);
      expectClose(surgery.cam, wantS, 1e-5, `surgery layer ${layer}`);
    }
  });

  it('the grid covers the centre crop of a non-square image (transform)', async () => {
    // 448x300: resized to 334x224, centre crop left = 55 (resized px).
    const r = await model.gradcam(noise(448, 300), 'a dog');
    const sx = 448 / 334;
    const [x0, y0] = modelToImage(r.transform, 0, 0);
    const [x1, y1] = modelToImage(r.transform, 7, 7);
    expect(x0).toBeCloseTo(55 * sx, 3);
    expect(y0).toBeCloseTo(0, 3);
    expect(x1).toBeCloseTo(55 * sx + 224 * sx, 3);
    expect(y1).toBeCloseTo(300, 3);
  });
});

describe('Grad-CAM overlay (pure)', () => {
  // 448x300 image, 7x7 grid on the centre crop: x from 55·448/334 = 73.77 for 224·448/334 = 300.5 px.
  const sx = 448 / 334;
  const cam = {
    grid: [7, 7] as [number, number],
    transform: mat3.multiply(
      mat3.multiply(mat3.scaling([sx, 300 / 224]), mat3.translation([55, 0])),
      mat3.scaling([32, 32]),
    ),
    camNorm: Float32Array.from({ length: 49 }, (_, i) => i / 48),
  };

  it('places the grid on the centre crop and finds the cell under a pixel', () => {
    expect(camExtent(cam)).toEqual({ left: 74, top: 0, width: 300, height: 300 });
    expect(cellAt(cam, 73, 10)).toBeNull();
    expect(cellAt(cam, 80, 1)).toEqual({ cell: 0, row: 0, col: 0 });
    expect(cellAt(cam, 373, 299)).toEqual({ cell: 48, row: 6, col: 6 });
    expect(cellAt(cam, 375, 10)).toBeNull();
  });

  it('blends only inside the crop, with the opacity asked for', () => {
    const rgba = new Uint8Array(448 * 300 * 4).fill(100);
    blendHeatmap(rgba, 448, 300, cam, { opacity: 1, colourMap: 'gray' });
    expect(Array.from(rgba.subarray(0, 4))).toEqual([100, 100, 100, 100]); // left of the crop
    expect(Array.from(rgba.subarray(74 * 4, 74 * 4 + 3))).toEqual([0, 0, 0]); // cell 0: value 0
    const last = (299 * 448 + 373) * 4;
    expect(Array.from(rgba.subarray(last, last + 3))).toEqual([255, 255, 255]); // cell 48: value 1
    const half = new Uint8Array(448 * 300 * 4).fill(100);
    blendHeatmap(half, 448, 300, cam, { opacity: 0.5, colourMap: 'jet' });
    expect(Array.from(half.subarray(74 * 4, 74 * 4 + 3))).toEqual([50, 50, 114]); // ½·100 + ½·jet(0) = (0, 0, 128)
  });

  it('colour maps: jet as OpenCV, gray, viridis and turbo fits at their ends', () => {
    expect(colourOf('jet', 0)).toEqual([0, 0, 128]);
    expect(colourOf('jet', 0.5)).toEqual([128, 255, 128]);
    expect(colourOf('jet', 2)).toEqual([128, 0, 0]);
    expect(colourOf('gray', 0.5)).toEqual([128, 128, 128]);
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 4);
    expect(near(colourOf('viridis', 0), [68, 1, 84]), String(colourOf('viridis', 0))).toBe(true);
    expect(near(colourOf('viridis', 1), [253, 231, 37]), String(colourOf('viridis', 1))).toBe(true);
    expect(colourOf('turbo', 1)[0]).toBeGreaterThan(100);
    expect(colourOf('turbo', 0.5)[1]).toBeGreaterThan(200);
  });
});

/** Seeded RGB noise. */
function noise(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, channels: 3, data };
}
