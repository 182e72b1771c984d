/**
 * Checkpoints compared on validation worlds (never the meaning tests' held-out seeds 2026001/2026002):
 * zero-shot shape and colour on single-object scenes (seed 2026301), the pointing game of relevance,
 * LeGrad and CLIP Surgery and LeGrad detection on two-object scenes (seed 2026302). How a candidate
 * and its checkpoint are chosen before the meaning tests score it once:
 *   MODELS=dir,dir npx vitest run --config scripts/measure/vitest.config.ts candidates
 */
import { it } from 'vitest';
import { ClipModel } from '../../src/node/index.ts';
import { detectionScore, generateWorld, pointingGame, zeroShotScore } from '../../src/model/world/index.ts';
import { gpu } from '../../test/helpers/gpu.ts';

const MODELS = (process.env.MODELS ?? '').split(',').filter(Boolean);
const SINGLE = generateWorld({ n: 300, seed: 2_026_301, objects: 1 });
const PAIRS = generateWorld({ n: 120, seed: 2_026_302, objects: 2 });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

it('candidates on validation worlds', async () => {
  console.log('shape  colour | pointing: relevance legrad surgery gradcam | detection legrad | model');
  for (const dir of MODELS) {
    const model = await ClipModel.load(dir, { gpu: await gpu() });
    const shape = await zeroShotScore(model, SINGLE, 'shape');
    const colour = await zeroShotScore(model, SINGLE, 'colour');
    const points = [];
    for (const m of ['relevance', 'legrad', 'surgery', 'gradcam'] as const)
      points.push(await pointingGame(model, PAIRS, m));
    const det = await detectionScore(model, PAIRS, 'legrad');
    console.log(
      `${pct(shape.accuracy)} ${pct(colour.accuracy)} | ${points.map((p) => pct(p.accuracy)).join(' ')} | ${pct(det.accuracy)} | ${dir}`,
    );
    model.dispose();
  }
}, 3_600_000);
