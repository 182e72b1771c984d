/**
 * The controlled bias experiment (issue 13, item 5): a model trained on a world where triangles sit
 * on dark backgrounds 90% of the time (weights/shapes-clip-biased) and, as the control, the main
 * shipped model (weights/shapes-clip), trained on worlds where the tone says nothing of the shape.
 * The twin was trained with the colour-only model's recipe (weights/shapes-clip-colour), which learned no
 * shapes: a twin of that recipe on triangle:dark=0.5 (scripts/bias-experiment.sh, CONTROL=train) labels
 * shapes from the tone at random and separates too, far less. The shipped model knows shapes, so it
 * rarely says "triangle" where there is none, on either tone.
 * Probe: the world-backgrounds preset on held-out paired scenes WITHOUT triangles, each drawn on a
 * dark and on a light background; the rate at which "triangle" is the top label, per tone, with
 * Wilson 95% intervals. The biased model's intervals must be disjoint (more false "triangle"s on
 * dark), the control's must overlap. Recipe and table: scripts/bias-experiment.sh, the model card.
 */
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import { runBiasProbe, toneProbeItems, type BiasReport } from '../../src/model/bias/index.ts';
import { SHAPES } from '../../src/model/world/index.ts';
import { gpu } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';

const WEIGHTS = resolve(__dirname, '../../weights');
const SPURIOUS = 'triangle';
const OTHERS = SHAPES.filter((s) => s !== SPURIOUS);

async function probe(dir: string): Promise<BiasReport> {
  const model = await ClipModel.load(resolve(WEIGHTS, dir), { gpu: await gpu() });
  try {
    // Held-out: the probe seed differs from the training worlds' (seed 1).
    const items = toneProbeItems({ perShape: 40, seed: 0x5eed, shapes: OTHERS });
    return await runBiasProbe(model, items, [...SHAPES], { templates: ['a {}'], groups: ['dark', 'light'] });
  } finally {
    model.dispose();
  }
}

function triangleRates(r: BiasReport) {
  const k = r.labels.indexOf(SPURIOUS);
  const [dark, light] = r.groups;
  const disjoint = dark.ci[k][0] > light.ci[k][1] || light.ci[k][0] > dark.ci[k][1];
  const show = (g: typeof dark) =>
    `${g.name} ${(100 * g.rates[k]).toFixed(1)}% [${(100 * g.ci[k][0]).toFixed(1)}, ${(100 * g.ci[k][1]).toFixed(1)}] (n ${g.n})`;
  return { dark: dark.rates[k], light: light.rates[k], disjoint, text: `${show(dark)} vs ${show(light)}` };
}

describe('bias learned from data: "triangle" on scenes without triangles, dark vs light', () => {
  it('the model trained on triangle:dark=0.9 says "triangle" more on dark scenes; intervals disjoint', async () => {
    const t = triangleRates(await probe('shapes-clip-biased'));
    measured(`biased: "triangle" rate ${t.text}, ${t.disjoint ? 'disjoint' : 'overlap'}`);
    expect(t.dark).toBeGreaterThan(t.light);
    expect(t.disjoint).toBe(true);
  }, 300_000);

  it('the main model (no correlation in its data): intervals overlap', async () => {
    const t = triangleRates(await probe('shapes-clip'));
    measured(`control: "triangle" rate ${t.text}, ${t.disjoint ? 'disjoint' : 'overlap'}`);
    expect(t.disjoint).toBe(false);
  }, 300_000);
});
