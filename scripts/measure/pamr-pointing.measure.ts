/**
 * The pointing game with each explanation map unrefined and refined by the image with PAMR for several
 * step counts (the peak of the refined map's mean per patch), on two-object scenes. How WORLD_REFINE's
 * 40 steps were chosen, on a validation seed (the meaning tests hold out seed 2026002):
 *   SEED=2026302 N=400 STEPS=10,20,40,80 METHODS=relevance npx vitest run --config scripts/measure/vitest.config.ts pamr-pointing
 */
import { it } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import type { GradCamMethod } from '../../src/model/explain/index.ts';
import { generateWorld, namedImages, namedPointingGame } from '../../src/model/world/index.ts';
import { gpu } from '../../test/helpers/gpu.ts';

const MODELS = (process.env.MODELS ?? resolve(__dirname, '../../weights/shapes-clip')).split(',');
const SEED = Number(process.env.SEED ?? 2_026_302);
const ITEMS = namedImages(generateWorld({ n: Number(process.env.N ?? 400), seed: SEED, objects: 2 }));
const STEPS = (process.env.STEPS ?? '10,20,40,80').split(',').map(Number);
const METHODS = (process.env.METHODS ?? 'relevance,legrad,surgery,gradcam').split(',') as GradCamMethod[];

it('pointing game with and without PAMR', async () => {
  for (const dir of MODELS) {
    const model = await ClipModel.load(dir, { gpu: await gpu() });
    console.log(`\n${dir}, seed ${SEED}: pointing game, unrefined and after PAMR steps ${STEPS.join(' / ')}`);
    for (const method of METHODS) {
      const cells = [await namedPointingGame(model, ITEMS, method)];
      for (const iterations of STEPS)
        cells.push(await namedPointingGame(model, ITEMS, method, { refine: { iterations } }));
      console.log(
        `${method.padEnd(10)} ${cells.map((s) => `${(100 * s.accuracy).toFixed(1)}%`).join(' / ')} (${cells[0].trials} objects)`,
      );
    }
    model.dispose();
  }
}, 3_600_000);
