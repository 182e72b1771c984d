/**
 * <clip-gradcam> in the `npm run dev` playground (tab "Explain") with the tiny model, in Chromium's
 * WebGPU: the golden Grad-CAM maps of both pairs for the last layer and layer 0, the method switch,
 * opacity and colour map redrawing with no GPU work, reading a patch under the pointer, the PNG
 * export, and screenshots on a laptop and a phone.
 */
import { describe, expect, it } from 'vitest';
import { golden } from '../helpers/fixtures.ts';
import { dropFiles } from './helpers/page.ts';
import { usePlayground } from './helpers/playground.ts';
import { TINY_ID } from './helpers/server.ts';
import { measured } from '../helpers/measurements.ts';

const SHOTS = 'test-results/screenshots';
const g = golden('f32');
interface Pair {
  image: number;
  prompt: number;
  score: number;
  cam: number[][];
  cam_norm: number[][];
}
const gc = g.gradcam as Record<'last_layer' | 'first_layer', { pairs: Pair[] }>;
// The two golden pairs' prompts: (image 0, prompt 0) and (image 1, prompt 2).
const PROMPTS = [g.prompts[0], g.prompts[2]];
const EVENTS = ['clip-gradcam', 'clip-gradcam-export', 'clip-error'];

const pg = usePlayground('explain', 'gradcamEvents', EVENTS);

interface View {
  prompt: string;
  score: number;
  cam: number[];
  camNorm: number[];
  grid: [number, number];
  layer: number;
  method: string;
  refined?: { iterations: number; dilations: number[] };
}
interface Result {
  prompts: string[];
  method: string;
  layer: number;
  results: View[];
}

const page = () => pg.browser.page;
const el = () => page().locator('clip-gradcam');
const count = (type: string): Promise<number> =>
  page().evaluate((t) => (window as any).gradcamEvents.filter((e: any) => e.type === t).length, type);
/** The element's result (typed arrays as plain arrays) and its counters. */
const state = () =>
  el().evaluate((x: any) => ({
    result: x.result && {
      ...x.result,
      results: x.result.results.map((v: any) => ({
        prompt: v.prompt,
        score: v.score,
        cam: Array.from(v.cam),
        camNorm: Array.from(v.camNorm),
        grid: v.grid,
        layer: v.layer,
        method: v.method,
        refined: v.refined?.options,
      })),
    },
    explanations: x.explanations as number,
    submits: x.model.gpuStats.submits as number,
  })) as Promise<{ result: Result | null; explanations: number; submits: number }>;

async function nextResult(after: number): Promise<Result> {
  await page().waitForFunction(
    (n) => (window as any).gradcamEvents.filter((e: any) => e.type === 'clip-gradcam').length > n,
    after,
    { timeout: 120_000, polling: 100 },
  );
  return (await state()).result!;
}
const dropImage = (i: number) =>
  dropFiles(el().locator('[part~="drop-zone"]'), [
    { name: `img${i}.png`, type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img${i}.png` },
  ]);
/** RGBA of one pixel of overlay `i`. */
const pixel = (i: number, x: number, y: number) =>
  el()
    .locator(`canvas[part="overlay"][data-index="${i}"]`)
    .evaluate(
      (c: HTMLCanvasElement, [px, py]) => Array.from(c.getContext('2d')!.getImageData(px, py, 1, 1).data),
      [x, y],
    );

function checkPair(v: View, pair: Pair, what: string): number {
  expect(v.grid).toEqual([4, 4]);
  expect(Math.abs(v.score - pair.score), `${what} score`).toBeLessThanOrEqual(2e-3);
  let worst = 0;
  v.cam.forEach(
    (c, k) =>
      (worst = Math.max(worst, Math.abs(c - pair.cam.flat()[k]), Math.abs(v.camNorm[k] - pair.cam_norm.flat()[k]))),
  );
  expect(worst, `${what}: max |diff| ${worst}`).toBeLessThanOrEqual(1e-4);
  return worst;
}

describe('<clip-gradcam>', () => {
  it('gives the golden maps of both pairs for the last layer and for layer 0, one overlay per prompt', async () => {
    expect(await page().locator('clip-playground [role="tab"][aria-selected="true"]').innerText()).toBe('Explain');
    await el().locator('[part="prompts"]').fill(PROMPTS.join('\n'));
    await page().waitForTimeout(400); // the typing debounce
    let n = await count('clip-gradcam');
    await dropImage(0);
    let r = await nextResult(n);
    expect(r.prompts).toEqual(PROMPTS);
    expect(r.method).toBe('gradcam');
    expect(r.layer).toBe(1);
    const diffs = [checkPair(r.results[0], gc.last_layer.pairs[0], 'last layer (0, 0)')];
    await expect.poll(() => el().locator('canvas[part="overlay"]').count()).toBe(2);
    // Layer 0, then image 1: the other golden pair.
    n = await count('clip-gradcam');
    await el().locator('[part="layer"]').selectOption('0');
    r = await nextResult(n);
    expect(r.layer).toBe(0);
    diffs.push(checkPair(r.results[0], gc.first_layer.pairs[0], 'layer 0 (0, 0)'));
    n = await count('clip-gradcam');
    await dropImage(1);
    r = await nextResult(n);
    diffs.push(checkPair(r.results[1], gc.first_layer.pairs[1], 'layer 0 (1, 2)'));
    n = await count('clip-gradcam');
    await el().locator('[part="layer"]').selectOption('-1');
    r = await nextResult(n);
    diffs.push(checkPair(r.results[1], gc.last_layer.pairs[1], 'last layer (1, 2)'));
    measured(
      `Grad-CAM through <clip-gradcam> in Chromium: max |diff| of cam/cam_norm ${Math.max(...diffs).toExponential(2)}`,
    );
    expect(await el().getAttribute('layer')).toBe('-1');
    expect(await count('clip-error')).toBe(0);
  });

  it('switches the method (relevance) and fits it to the image (PAMR): new maps for the same image and prompts', async () => {
    const before = (await state()).result!;
    const n = await count('clip-gradcam');
    await el().locator('[part~="method"]', { hasText: 'Relevance' }).click();
    const r = await nextResult(n);
    expect(r.method).toBe('relevance');
    expect(await el().getAttribute('method')).toBe('relevance');
    expect(r.results.map((v) => v.score)).toEqual(before.results.map((v) => v.score)); // same score, another map
    expect(r.results[0].camNorm).not.toEqual(before.results[0].camNorm);
    expect(Math.max(...r.results[0].camNorm)).toBeCloseTo(1, 5);
    // Fit to the image: the same scores, each map refined by PAMR (and drawn per pixel), then back.
    await el().locator('[part="refine"] input').check();
    const fitted = await nextResult(n + 1);
    expect(fitted.results.map((v) => v.score)).toEqual(r.results.map((v) => v.score));
    expect(fitted.results.map((v) => v.refined)).toEqual(
      r.results.map(() => ({ iterations: 10, dilations: [1, 2, 4, 8, 12, 24] })),
    );
    expect(await el().getAttribute('refine')).toBe('');
    await el().locator('[part="refine"] input').uncheck();
    expect((await nextResult(n + 2)).results[0].refined).toBeUndefined();
    await el().locator('[part~="method"]', { hasText: 'Grad-CAM' }).first().click();
    await nextResult(n + 3);
  });

  it("LeGrad and CLIP Surgery: the same scores, their own maps, from the method's default layer", async () => {
    const before = (await state()).result!;
    let n = await count('clip-gradcam');
    await el().locator('[part="layer"]').selectOption('default');
    expect((await nextResult(n++)).layer).toBe(1); // Grad-CAM's default: the last layer
    expect(await el().getAttribute('layer')).toBeNull();
    for (const [label, method] of [
      ['LeGrad', 'legrad'],
      ['CLIP Surgery', 'surgery'],
    ] as const) {
      await el().locator('[part~="method"]', { hasText: label }).click();
      const r = await nextResult(n++);
      expect(r.method).toBe(method);
      expect(r.layer).toBe(0); // defaults −2 and −6 start at the first of the tiny model's 2 layers
      r.results.forEach((v, i) => expect(v.score).toBeCloseTo(before.results[i].score, 4));
      expect(r.results[0].camNorm).not.toEqual(before.results[0].camNorm);
      const { cam, camNorm } = r.results[0];
      const range = Math.max(...cam) - Math.min(...cam); // LeGrad's are small: the 1e-7 of the scaling shows
      expect(Math.max(...camNorm)).toBeCloseTo(range / (1e-7 + range), 6);
    }
    await el().locator('[part~="method"]', { hasText: 'Grad-CAM' }).first().click();
    await nextResult(n++);
    await el().locator('[part="layer"]').selectOption('-1');
    await nextResult(n++);
  });

  it('redraws for opacity and colour map without the GPU, and reads the patch under the pointer', async () => {
    const before = await state();
    const camNorm = before.result!.results[0].camNorm;
    await el()
      .locator('[part="opacity"]')
      .evaluate((x: HTMLInputElement) => {
        x.value = '1';
        x.dispatchEvent(new Event('input', { bubbles: true }));
      });
    // Opacity 1: the colour map alone. Pixel (0, 0) samples patch (0, 0) exactly (edges clamp).
    const jet0 = (v: number) =>
      [1.5 - Math.abs(4 * v - 3), 1.5 - Math.abs(4 * v - 2), 1.5 - Math.abs(4 * v - 1)].map((c) =>
        Math.round(255 * Math.min(1, Math.max(0, c))),
      );
    await expect.poll(() => pixel(0, 0, 0)).toEqual([...jet0(camNorm[0]), 255]);
    await el().locator('[part="colour-map"]').selectOption('gray');
    const grey = Math.round(255 * camNorm[0]);
    await expect.poll(() => pixel(0, 0, 0)).toEqual([grey, grey, grey, 255]);
    expect(await el().getAttribute('colour-map')).toBe('gray');
    const after = await state();
    expect(after.explanations).toBe(before.explanations);
    expect(after.submits).toBe(before.submits); // no GPU submission at all
    // Hover patch (row 2, col 3) of the first overlay: every prompt's value of that patch.
    const box = (await el().locator('canvas[part="overlay"]').first().boundingBox())!;
    await page().mouse.move(box.x + box.width * (2.5 / 4), box.y + box.height * (1.5 / 4));
    await expect.poll(() => el().locator('[part="value"]').count()).toBe(2);
    const values = await el().locator('[part="value"]').allInnerTexts();
    before.result!.results.forEach((v, i) =>
      expect(values[i]).toBe(`row 2, col 3: ${Number(v.cam[6]).toPrecision(4)} (${v.camNorm[6].toFixed(2)})`),
    );
    expect(await el().locator('[part="cell-hover"]').count()).toBe(2);
    await el()
      .locator('[part="opacity"]')
      .evaluate((x: HTMLInputElement) => {
        x.value = '0.5';
        x.dispatchEvent(new Event('input', { bubbles: true }));
      });
    await el().locator('[part="colour-map"]').selectOption('jet');
  });

  it('exports every overlay side by side with its prompt and score as a PNG', async () => {
    const size = await el().evaluate(async (x: any) => {
      const blob: Blob = await x.exportPng();
      const bmp = await createImageBitmap(blob);
      return { type: blob.type, width: bmp.width, height: bmp.height };
    });
    expect(size).toEqual({ type: 'image/png', width: 12 + 2 * (64 + 12), height: 12 + 64 + 40 });
    const n = await count('clip-gradcam-export');
    await el().locator('[part="export"]').click();
    await expect.poll(() => count('clip-gradcam-export'), { timeout: 10_000 }).toBe(n + 1); // a PNG encode: seconds on a loaded CPU
  });

  it('keeps screenshots on a laptop and a phone', async () => {
    await el().locator('[part="prompts"]').fill('a photo of a cat\na photo of a sailboat\nthe sky');
    await page().waitForTimeout(400);
    const n = await count('clip-gradcam');
    await el().getByRole('button', { name: 'Sample: cat' }).click();
    await page().waitForFunction(
      (k) =>
        (window as any).gradcamEvents
          .filter((e: any) => e.type === 'clip-gradcam')
          .slice(k)
          .some((e: any) => e.detail.results.length === 3 && e.detail.results[0].image.width === 224),
      n,
      { timeout: 120_000, polling: 100 },
    );
    for (const [device, size] of [
      ['laptop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page().setViewportSize(size);
      const box = (await el().locator('canvas[part="overlay"]').first().boundingBox())!;
      await page().mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
      await page().waitForTimeout(300);
      await page().screenshot({ path: `${SHOTS}/explain-${device}.png`, fullPage: device === 'phone' });
    }
    await page().setViewportSize({ width: 1280, height: 800 });
    expect(pg.browser.errors).toEqual([]);
  });
});
