/**
 * Explanations of the shipped model scored against the world and against the model itself, on held-out
 * two-object scenes (the pairs of test/meaning/shipped-model.test.ts): relevance's map must beat a random
 * order of the cells on deletion (the name's probability falls sooner) and insertion (it rises sooner);
 * LeGrad must reach the pointing game's floor (thresholds.ts) on the same objects, and so must CLIP Surgery
 * on the colour-only model (SURGERY_MODEL), where its dense map points; on the shipped model, which tells
 * shapes apart by attention across patches, Surgery's map is measured (thresholds.ts says why).
 * The full table over every method and all 124 named objects: `eval --task explain` (README).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import {
  COLOUR_NAMES,
  explanationScore,
  fixArticles,
  generateWorld,
  namedImages,
  pointingGame,
  SHAPES,
} from '../../src/model/world/index.ts';
import { MEANING, SURGERY_MODEL } from './thresholds.ts';
import { gpu } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';

const MODEL = process.env.CLIP_WEBGPU_MEANING_MODEL ?? resolve(__dirname, '../../weights/shapes-clip');
/** The first 30 held-out pair scenes of shipped-model.test.ts (seed 2026002): 19 usable, 38 named objects. */
const SCENES = generateWorld({ n: 30, seed: 2_026_002, objects: 2 });
const ITEMS = namedImages(SCENES);
const LABELS = COLOUR_NAMES.flatMap((c) => SHAPES.map((s) => fixArticles(`a ${c} ${s}`)));

describe('explanations of the shipped model (held-out pairs)', () => {
  let model: ClipModel;
  beforeAll(async () => {
    model = await ClipModel.load(MODEL, { gpu: await gpu() });
  }, 120_000);
  afterAll(() => model?.dispose());

  it("relevance's order beats a random one on deletion and insertion", async () => {
    const [relevance, random] = [
      await explanationScore(model, ITEMS, 'relevance', { labels: LABELS, steps: 8 }),
      await explanationScore(model, ITEMS, 'random', { labels: LABELS, steps: 8 }),
    ];
    for (const s of [relevance, random])
      measured(
        `${s.method}: pointing ${(100 * s.pointing).toFixed(1)}%, deletion AUC ${s.deletion.toFixed(3)}, insertion AUC ${s.insertion.toFixed(3)} (${s.trials} objects)`,
      );
    expect(relevance.trials).toBe(2 * ITEMS.length);
    expect(relevance.deletion).toBeLessThan(random.deletion);
    expect(relevance.insertion).toBeGreaterThan(random.insertion);
    expect(relevance.pointing).toBeGreaterThan(random.pointing);
  }, 300_000);

  it('LeGrad points at the named object (pointing game, the same 38 objects); CLIP Surgery measured', async () => {
    for (const method of ['legrad', 'surgery'] as const) {
      const s = await pointingGame(model, SCENES, method);
      measured(`pointing game (${method}): ${s.hits}/${s.trials} = ${(100 * s.accuracy).toFixed(1)}%`);
      expect(s.trials).toBe(2 * ITEMS.length);
      if (method === 'legrad') expect(s.accuracy).toBeGreaterThanOrEqual(MEANING.pointingGameUnrefined);
    }
  }, 300_000);

  it('CLIP Surgery points at the named object on the colour-only model (the same 38 objects)', async () => {
    const colour = await ClipModel.load(SURGERY_MODEL, { gpu: await gpu() });
    try {
      const s = await pointingGame(colour, SCENES, 'surgery');
      measured(
        `pointing game (surgery, shapes-clip-colour): ${s.hits}/${s.trials} = ${(100 * s.accuracy).toFixed(1)}%`,
      );
      expect(s.trials).toBe(2 * ITEMS.length);
      expect(s.accuracy).toBeGreaterThanOrEqual(MEANING.pointingGameUnrefined);
    } finally {
      colour.dispose();
    }
  }, 300_000);
});
