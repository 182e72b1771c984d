/**
 * Tests for meaning: the shipped model (weights/shapes-clip) on held-out world scenes it never saw
 * (seeds disjoint from its training world, see weights/shapes-clip/README.md). Zero-shot accuracy with
 * the prompts `a {shape}` / `a {colour} shape` (no ensembling; the ensemble is measured beside
 * it), the pointing game and patch detection on two-object scenes. Thresholds: ./thresholds.ts
 * (issue 13's acceptance values).
 * CLIP_WEBGPU_MEANING_MODEL=DIR scores another checkpoint (how a candidate is compared).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import {
  detectionScore,
  ENSEMBLE_TEMPLATES,
  generateWorld,
  pointingGame,
  segmentationScore,
  zeroShotScore,
} from '../../src/model/world/index.ts';
import { gpu } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import { MEANING } from './thresholds.ts';

const MODEL = process.env.CLIP_WEBGPU_MEANING_MODEL ?? resolve(__dirname, '../../weights/shapes-clip');
/** Held-out seeds: the shipped model was trained on seeds 1, 3 and 11 (its validation: 999, 2026301-2026302). */
const SINGLE = generateWorld({ n: 400, seed: 2_026_001, objects: 1 });
const PAIRS = generateWorld({ n: 120, seed: 2_026_002, objects: 2 });
/** The model card's segmentation scenes: 1-3 objects (`clip-webgpu world --n 100 --seed 2026004`). */
const SEGMENT = generateWorld({ n: 100, seed: 2_026_004 });

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

describe('the shipped model knows the world (held-out scenes)', () => {
  let model: ClipModel;
  beforeAll(async () => {
    model = await ClipModel.load(MODEL, { gpu: await gpu() });
  }, 120_000);
  afterAll(() => model?.dispose());

  it(`zero-shot colour and shape >= 95% on ${SINGLE.length} single-object scenes (one prompt; the ensemble measured)`, async () => {
    for (const attribute of ['colour', 'shape'] as const) {
      const single = await zeroShotScore(model, SINGLE, attribute);
      const ensemble = await zeroShotScore(model, SINGLE, attribute, ENSEMBLE_TEMPLATES[attribute]);
      measured(
        `${attribute}: "${single.templates[0]}" ${pct(single.accuracy)}, ensemble of ${ensemble.templates.length} ${pct(ensemble.accuracy)};`,
        `per class ${single.classes.map((c, i) => `${c} ${pct(single.perClass[i])}`).join(', ')}`,
      );
      expect(single.accuracy).toBeGreaterThanOrEqual(MEANING.zeroShot[attribute]);
    }
  }, 300_000);

  it('pointing game on two-object scenes >= 80% (relevance refined by PAMR; unrefined and Grad-CAM measured)', async () => {
    for (const method of ['gradcam', MEANING.pointingMethod] as const) {
      const g = await pointingGame(model, PAIRS, method);
      measured(`pointing game (${g.method}, unrefined): ${g.hits}/${g.trials} = ${pct(g.accuracy)}`);
    }
    const s = await pointingGame(model, PAIRS, MEANING.pointingMethod, { refine: MEANING.pointingRefine });
    measured(`pointing game (${s.method} + PAMR): ${s.hits}/${s.trials} = ${pct(s.accuracy)}`);
    expect(s.accuracy).toBeGreaterThanOrEqual(MEANING.pointingGame);
  }, 600_000);

  it('patch detection: a box with IoU >= 0.5 to the named object in >= 70% (relevance refined by PAMR)', async () => {
    const s = await detectionScore(model, PAIRS, MEANING.detectMode, { refine: MEANING.detectRefine });
    measured(
      `detection (${s.mode}${s.refine ? ' + PAMR' : ''}): ${s.hits}/${s.trials} = ${pct(s.accuracy)} with IoU >= 0.5, mean IoU ${s.meanIoU.toFixed(3)}`,
    );
    expect(s.accuracy).toBeGreaterThanOrEqual(MEANING.detection);
  }, 600_000);

  it('segmentation over the colours: relevance refined by PAMR, mIoU >= 35% and above NACLIP refined the same way', async () => {
    const [relevance, naclip] = [
      await segmentationScore(model, SEGMENT, 'colour', 'relevance', { refine: MEANING.segmentRefine }),
      await segmentationScore(model, SEGMENT, 'colour', 'naclip', { refine: MEANING.segmentRefine }),
    ];
    for (const [name, s] of [
      ['relevance', relevance],
      ['naclip', naclip],
    ] as const)
      measured(
        `segmentation (${name} + PAMR, colour + background, ${s.images} scenes): mIoU ${pct(s.miou)}, background IoU ${pct(s.iou[0] ?? 0)}, pixel accuracy ${pct(s.pixelAccuracy)}`,
      );
    expect(relevance.miou).toBeGreaterThanOrEqual(MEANING.segmentation);
    expect(relevance.miou).toBeGreaterThan(2 * naclip.miou);
  }, 600_000);
});
