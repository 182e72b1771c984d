/**
 * Checkpoints compared on validation worlds (never the meaning tests' held-out seeds 2026001/2026002):
 * zero-shot shape and colour on single-object scenes (seed 2026301), the pointing game of relevance,
 * LeGrad, CLIP Surgery and Grad-CAM, relevance's pointing game and detection refined by the image
 * (WORLD_REFINE, as the meaning tests score them) on two-object scenes (seed 2026302), and the bias
 * probe's control (the rate of "triangle" on dark and light scenes without triangles, probe seed
 * 0x5eee; the test's is 0x5eed): overlapping Wilson intervals, as the main model must show. How a candidate
 * and its checkpoint are chosen before the meaning tests score it once:
 *   MODELS=dir,dir npx vitest run --config scripts/measure/vitest.config.ts candidates
 */
import { it } from 'vitest';
import { ClipModel } from '../../src/node/index.ts';
import { runBiasProbe, toneProbeItems } from '../../src/model/bias/index.ts';
import {
  detectionScore,
  generateWorld,
  pointingGame,
  SHAPES,
  WORLD_REFINE,
  zeroShotScore,
} from '../../src/model/world/index.ts';
import { gpu } from '../../test/helpers/gpu.ts';

const MODELS = (process.env.MODELS ?? '').split(',').filter(Boolean);
const SINGLE = generateWorld({ n: 300, seed: 2_026_301, objects: 1 });
const PAIRS = generateWorld({ n: 120, seed: 2_026_302, objects: 2 });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

it('candidates on validation worlds', async () => {
  console.log(
    'shape  colour | pointing: relevance legrad surgery gradcam | refined: pointing detection | triangle dark/light | model',
  );
  const probe = toneProbeItems({ perShape: 40, seed: 0x5eee, shapes: SHAPES.filter((s) => s !== 'triangle') });
  for (const dir of MODELS) {
    const model = await ClipModel.load(dir, { gpu: await gpu() });
    const shape = await zeroShotScore(model, SINGLE, 'shape');
    const colour = await zeroShotScore(model, SINGLE, 'colour');
    const points = [];
    for (const m of ['relevance', 'legrad', 'surgery', 'gradcam'] as const)
      points.push(await pointingGame(model, PAIRS, m));
    const refine = { refine: WORLD_REFINE };
    const refined = [
      await pointingGame(model, PAIRS, 'relevance', refine),
      await detectionScore(model, PAIRS, 'relevance', refine),
    ];
    const bias = await runBiasProbe(model, probe, [...SHAPES], { templates: ['a {}'], groups: ['dark', 'light'] });
    const k = bias.labels.indexOf('triangle');
    const [dark, light] = bias.groups;
    const ci = (g: typeof dark) => `${pct(g.rates[k])} [${pct(g.ci[k][0])},${pct(g.ci[k][1])}]`;
    const overlap = !(dark.ci[k][0] > light.ci[k][1] || light.ci[k][0] > dark.ci[k][1]);
    console.log(
      `${pct(shape.accuracy)} ${pct(colour.accuracy)} | ${points.map((p) => pct(p.accuracy)).join(' ')} | ${refined.map((r) => pct(r.accuracy)).join(' ')} | ${ci(dark)} ${ci(light)} ${overlap ? 'overlap' : 'DISJOINT'} | ${dir}`,
    );
    model.dispose();
  }
}, 3_600_000);
