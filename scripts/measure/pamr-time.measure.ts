/**
 * Time of PAMR on the GPU (affinity + steps, one pass, read back) at the sizes it runs at: the shipped
 * model's 64 px view, ViT-B/16's 224 px, SCLIP's 448 px short side; median of 3 after a warm-up.
 *   npx vitest run --config scripts/measure/vitest.config.ts pamr-time
 */
import { it } from 'vitest';
import { pamr, PAMR_STEP } from '../../src/kernels/pamr/pamr.ts';
import { versionNames } from '../../src/kernels/versions.ts';
import { gpu, rand } from '../../test/helpers/gpu.ts';

const CASES: [H: number, W: number, C: number, steps: number][] = [
  [64, 64, 1, 40],
  [64, 64, 9, 10],
  [224, 224, 21, 10],
  [448, 448, 21, 10],
];

it('PAMR time', async () => {
  const ctx = await gpu();
  console.log(`\nPAMR on ${ctx.adapter.description}, dilations 1..24 (6): median of 3 runs`);
  for (const [H, W, C, steps] of CASES)
    for (const stepVersion of versionNames(PAMR_STEP)) {
      const image = rand(3 * H * W, 1, 1);
      const mask = rand(C * H * W, 2, 1);
      const times: number[] = [];
      for (let r = 0; r < 4; r++) {
        const t0 = performance.now();
        const pass = ctx.pass();
        const out = pamr(pass, pass.input([3, H, W], image), pass.input([C, H, W], mask), {
          iterations: steps,
          stepVersion,
        });
        await pass.run([out]);
        if (r > 0) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(`${H}x${W}, ${C} maps, ${steps} steps, step ${stepVersion}: ${times[1].toFixed(1)} ms`);
    }
}, 600_000);
