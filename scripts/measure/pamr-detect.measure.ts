/**
 * Detection with and without PAMR (the map upsampled to the model's input, refined by the image's
 * pixels) on two-object scenes, for the modes and relative thresholds given: the share of named
 * objects whose top box has IoU >= 0.5, and the mean IoU. How the refined modes' defaults were chosen,
 * on a validation seed (the meaning tests hold out seed 2026002):
 *   SEED=2026302 N=400 MODES=legrad,relevance MODELS=dir npx vitest run --config scripts/measure/vitest.config.ts pamr-detect
 */
import { it } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import { type DetectMode, nms, regionBoxes, upsampleBilinear } from '../../src/model/detect/index.ts';
import { pamrReference } from '../../src/kernels/pamr/reference.ts';
import { generateWorld, iou, namedPairs, namePrompt, sceneImage } from '../../src/model/world/index.ts';
import { gpu } from '../../test/helpers/gpu.ts';

const MODELS = (process.env.MODELS ?? resolve(__dirname, '../../weights/shapes-clip')).split(',');
const SEED = Number(process.env.SEED ?? 2_026_302);
const PAIRS = namedPairs(generateWorld({ n: Number(process.env.N ?? 400), seed: SEED, objects: 2 }));
const RELATIVE = (process.env.RELATIVE ?? '0.2,0.3,0.4,0.5,0.6,0.7,0.8').split(',').map(Number);
const MODES = (process.env.MODES ?? 'legrad,relevance,values').split(',') as DetectMode[];
const ITERATIONS = Number(process.env.ITERATIONS ?? 10);
const DILATIONS = (process.env.DILATIONS ?? '1,2,4,8,12,24').split(',').map(Number);

function topBox(map: ArrayLike<number>, S: number, relative: number): number[] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of Array.from(map)) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const boxes = nms(regionBoxes(map, S, S, { threshold: lo + relative * (hi - lo) }), 0.5);
  const top = boxes.sort((a, b) => b.score - a.score)[0];
  return top ? [top.x, top.y, top.x + top.w, top.y + top.h] : null;
}

it('detection with and without PAMR', async () => {
  for (const dir of MODELS) {
    const model = await ClipModel.load(dir, { gpu: await gpu() });
    const rows = MODES.flatMap((m) => [`${m}`, `${m}+pamr`]);
    const hits = new Map(rows.map((r) => [r, RELATIVE.map(() => 0)]));
    const ious = new Map(rows.map((r) => [r, RELATIVE.map(() => 0)]));
    let trials = 0;
    for (const scene of PAIRS) {
      const S = scene.size;
      const image = new Float64Array(3 * S * S);
      for (let p = 0; p < S * S; p++) for (let k = 0; k < 3; k++) image[k * S * S + p] = scene.pixels[4 * p + k] / 255;
      for (const o of scene.objects) {
        trials++;
        for (const mode of MODES) {
          const d = await model.detect(sceneImage(scene), [namePrompt(o)], { templates: ['{}'], mode, mapSize: S });
          const [gh, gw] = d.grid;
          const plain = upsampleBilinear(
            Float32Array.from(d.patchSimilarity, (row) => row[0]),
            gh,
            gw,
            S,
            S,
          );
          const refined = pamrReference(image, 3, plain, 1, S, S, { iterations: ITERATIONS, dilations: DILATIONS });
          for (const [row, map] of [
            [mode, plain],
            [`${mode}+pamr`, refined],
          ] as const) {
            RELATIVE.forEach((r, ri) => {
              const top = topBox(map, S, r);
              const v = top ? iou(top, o.box) : 0;
              ious.get(row)![ri] += v;
              if (v >= 0.5) hits.get(row)![ri]++;
            });
          }
        }
      }
    }
    console.log(
      `\n${dir}, seed ${SEED}: ${trials} named objects, PAMR ${ITERATIONS} x [${DILATIONS}]; % IoU >= 0.5 (mean IoU) at relative threshold`,
    );
    console.log(`${''.padEnd(16)} ${RELATIVE.map((r) => String(r).padEnd(12)).join(' ')}`);
    for (const m of rows) {
      const cells = RELATIVE.map((_, ri) => {
        const pct = ((100 * hits.get(m)![ri]) / trials).toFixed(1).padStart(5);
        return `${pct} (${(ious.get(m)![ri] / trials).toFixed(2)})`;
      });
      console.log(`${m.padEnd(16)} ${cells.join(' ')}`);
    }
    model.dispose();
  }
}, 3_600_000);
