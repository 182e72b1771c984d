/**
 * <clip-patch-detector> in the `npm run dev` playground with the tiny model: the patch-similarity
 * golden of tiny image 0, the 4 x 4 grid drawn over the image, the threshold slider re-boxing with
 * no GPU work, the crops mode, a drop that is not an image, and screenshots on a laptop and a phone.
 */
import { describe, expect, it } from 'vitest';
import { golden } from '../helpers/fixtures.ts';
import { dropFiles } from './helpers/page.ts';
import { usePlayground } from './helpers/playground.ts';
import { TINY_ID } from './helpers/server.ts';
import { measured } from '../helpers/measurements.ts';

const SHOTS = 'test-results/screenshots';
const g = golden('f32');
// Golden prompts as queries (template "{}": prompt = query): not the empty one (4); 5 is over 77
// tokens, so it is reported first and then cut, as the golden's embeddings were (truncate=True).
const COLS = [0, 1, 2, 3, 5, 6, 7];
const QUERIES = COLS.map((c) => g.prompts[c].trim());
const EVENTS = ['clip-detected', 'clip-threshold-change', 'clip-error'];

const pg = usePlayground('detect', 'detectorEvents', EVENTS);

interface Result {
  mode: string;
  queries: string[];
  grid: [number, number];
  patchSimilarity: number[][];
  thresholds: number[];
  threshold: number;
  boxes: { query: string; queryIndex: number; score: number; x: number; y: number; w: number; h: number }[];
  image: { width: number; height: number };
  refined?: { iterations: number; dilations: number[] };
}

const page = () => pg.browser.page;
const detector = () => page().locator('clip-patch-detector');
const errorText = () => detector().locator('[part="error"]').innerText();
const count = (type: string): Promise<number> =>
  page().evaluate((t) => (window as any).detectorEvents.filter((e: any) => e.type === t).length, type);
/** The element's `result` (typed arrays as plain arrays) and its GPU counters. */
const state = () =>
  detector().evaluate((el: any) => ({
    result: el.result && {
      ...el.result,
      patchSimilarity: el.result.patchSimilarity.map((r: Float32Array) => Array.from(r)),
      mapToImage: undefined,
      refined: el.result.refined?.options,
    },
    detections: el.detections as number,
    submits: el.model.gpuStats.submits as number,
    sameAsEvent:
      el.result === (window as any).detectorEvents.filter((e: any) => e.type === 'clip-detected').at(-1)?.detail,
  })) as Promise<{ result: Result | null; detections: number; submits: number; sameAsEvent: boolean }>;

/** The result of the first `clip-detected` after the first `after` ones. */
async function nextResult(after: number): Promise<Result> {
  await page().waitForFunction(
    (n) => (window as any).detectorEvents.filter((e: any) => e.type === 'clip-detected').length > n,
    after,
    { timeout: 60_000, polling: 100 },
  );
  return (await state()).result!;
}

async function fill(part: string, text: string) {
  await detector().locator(`[part="${part}"]`).fill(text);
  await page().waitForTimeout(400); // the typing debounce
}
const dropImage = (i: number) =>
  dropFiles(detector().locator('[part~="drop-zone"]'), [
    { name: `img${i}.png`, type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img${i}.png` },
  ]);
/** The boxes as drawn: their query and position in the frame. */
const drawnBoxes = () =>
  detector()
    .locator('[part="box"]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-query')} ${e.getAttribute('style')}`));
async function setSlider(value: number) {
  await detector()
    .locator('[part="threshold"]')
    .evaluate((el: HTMLInputElement, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
}

describe('<clip-patch-detector>', () => {
  it('gives patch_similarity_image0 for the golden prompts on tiny image 0, on a 4 x 4 grid', async () => {
    await fill('template', '{}');
    await fill('queries', QUERIES.join('\n'));
    await dropImage(0);
    await expect.poll(errorText).toMatch(/Prompt "a very long caption.*" is \d+ tokens long .*over the limit of 77/);
    const n = await count('clip-detected');
    await detector().getByRole('button', { name: 'Cut long prompts to 77 tokens' }).click();
    const r = await nextResult(n);
    expect(r.mode).toBe('patches');
    expect(r.queries).toEqual(QUERIES);
    expect(r.grid).toEqual([4, 4]);
    expect(r.image).toEqual({ width: 64, height: 64 });
    expect(r.patchSimilarity).toHaveLength(16);
    let worst = 0;
    r.patchSimilarity.forEach((row, cell) => {
      expect(row).toHaveLength(COLS.length);
      row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - g.patch_similarity_image0[cell][COLS[k]]))));
    });
    measured(`patch_similarity_image0 through <clip-patch-detector>: max |diff| = ${worst.toExponential(2)}`);
    expect(worst, `max |diff| ${worst}`).toBeLessThanOrEqual(2e-5);
    const s = await state();
    expect(s.sameAsEvent).toBe(true); // clip-detected's detail is the result
    expect(s.detections).toBe(1);
    await expect.poll(() => detector().locator('[part="cell"]').count()).toBe(16);
    expect((await drawnBoxes()).length).toBe(r.boxes.length);
    expect(new Set(r.boxes.map((b) => b.queryIndex)).size).toBe(QUERIES.length); // relative 0.5: every query has a region
    expect(await detector().locator('[part~="legend-item"]').count()).toBe(QUERIES.length);
    expect(await detector().locator('[part="error"]').count()).toBe(0);
  });

  it('re-draws the boxes for a new threshold without running the model again', async () => {
    const before = await state();
    const drawn = await drawnBoxes();
    const events = await count('clip-threshold-change');
    await setSlider(0.85);
    await expect.poll(drawnBoxes).not.toEqual(drawn);
    const after = await state();
    expect(after.detections).toBe(before.detections);
    expect(after.submits).toBe(before.submits); // no GPU submission at all
    expect(after.result!.patchSimilarity).toEqual(before.result!.patchSimilarity);
    expect(after.result!.threshold).toBe(0.85);
    expect(await detector().getAttribute('threshold')).toBe('0.85');
    expect(await count('clip-threshold-change')).toBe(events + 1);
    // Each query's threshold is 85% of the way up its own range of the golden map.
    COLS.forEach((c, k) => {
      const col = g.patch_similarity_image0.map((row) => row[c]);
      const [lo, hi] = [Math.min(...col), Math.max(...col)];
      expect(after.result!.thresholds[k]).toBeCloseTo(lo + 0.85 * (hi - lo), 4);
    });
    for (const b of after.result!.boxes) expect(b.score).toBeGreaterThanOrEqual(after.result!.thresholds[b.queryIndex]);
    // The keyboard moves it too (one step), still on the CPU.
    await detector().locator('[part="threshold"]').press('ArrowLeft');
    await expect.poll(async () => (await state()).result!.threshold).toBeCloseTo(0.84, 5);
    expect((await state()).submits).toBe(before.submits);
    await setSlider(0.5);
  });

  it('switches to crops mode, LeGrad (fitted to the image by PAMR, and not) and back', async () => {
    const before = await state();
    let n = await count('clip-detected');
    await detector().locator('[part~="mode"]', { hasText: 'Crops' }).click();
    const crops = await nextResult(n);
    expect(crops.mode).toBe('crops');
    expect(crops.grid).toEqual([3, 3]);
    expect(crops.queries).toEqual(QUERIES);
    for (const row of crops.patchSimilarity) {
      expect(row).toHaveLength(QUERIES.length);
      for (const p of row) expect(p >= 0 && p <= 1).toBe(true);
    }
    expect(await detector().getAttribute('mode')).toBe('crops');
    await expect.poll(() => detector().locator('[part="cell"]').count()).toBe(9);
    expect((await state()).detections).toBe(before.detections + 1);
    await detector().screenshot({ path: `${SHOTS}/detect-crops.png` });
    // LeGrad: one explanation per query, and the slider at that mode's default.
    n = await count('clip-detected');
    await detector().locator('[part~="mode"]', { hasText: 'LeGrad' }).click();
    const legrad = await nextResult(n);
    expect(legrad.mode).toBe('legrad');
    expect(legrad.grid).toEqual([4, 4]);
    expect(legrad.threshold).toBe(0.6);
    expect(await detector().getAttribute('threshold')).toBe('0.6');
    expect(legrad.refined).toBeUndefined();
    // Fit to the image: the same mode with its maps refined by PAMR, the slider at the refined default.
    n = await count('clip-detected');
    await detector().locator('[part="refine"] input').check();
    const fitted = await nextResult(n);
    expect(fitted.mode).toBe('legrad');
    expect(fitted.refined).toEqual({ iterations: 10, dilations: [1, 2, 4, 8, 12, 24] });
    expect(fitted.threshold).toBe(0.8);
    expect(await detector().getAttribute('refine')).toBe('');
    n = await count('clip-detected');
    await detector().locator('[part="refine"] input').uncheck();
    expect((await nextResult(n)).refined).toBeUndefined();
    n = await count('clip-detected');
    await detector().locator('[part~="mode"]', { hasText: 'Patches' }).click();
    const back = await nextResult(n);
    expect(back.grid).toEqual([4, 4]);
    expect(back.threshold).toBe(0.5);
  });

  it('says so when a drop is not an image, and keeps the image and its result', async () => {
    await dropFiles(detector().locator('[part~="drop-zone"]'), [
      { name: 'notes.txt', type: 'text/plain', text: 'not a picture' },
    ]);
    await expect
      .poll(errorText)
      .toContain('"notes.txt" is not an image (text/plain). Drop a PNG, JPEG, WebP, GIF or BMP file.');
    expect(await detector().locator('[part="image"]').getAttribute('alt')).toBe('img0.png');
    expect((await state()).result?.grid).toEqual([4, 4]);
    const errors = await page().evaluate(() =>
      (window as any).detectorEvents.filter((e: any) => e.type === 'clip-error').map((e: any) => e.detail),
    );
    expect(errors.at(-1)).toEqual({ code: 'image', message: expect.stringContaining('notes.txt') });
    await page().screenshot({ path: `${SHOTS}/detect-not-an-image.png` });
  });

  it('keeps screenshots on a laptop and a phone', async () => {
    await fill('template', 'a photo of a {}.');
    await fill('queries', ['cat', 'ear', 'eye', 'whiskers'].join('\n'));
    const n = await count('clip-detected');
    await detector().getByRole('button', { name: 'Sample: cat' }).click();
    await page().waitForFunction(
      (k) =>
        (window as any).detectorEvents
          .filter((e: any) => e.type === 'clip-detected')
          .slice(k)
          .some((e: any) => e.detail.image.width === 224),
      n,
      { timeout: 60_000, polling: 100 },
    );
    for (const [device, size] of [
      ['laptop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page().setViewportSize(size);
      if (device === 'laptop') {
        // The tab bar at the top of the window, the detector under it.
        await page().evaluate(() => window.scrollTo(0, 0));
        const top = (await page().locator('clip-playground [role="tablist"]').boundingBox())!.y;
        await page().evaluate((y) => window.scrollTo(0, y - 12), top);
      }
      await detector().locator('[part="cell"]').nth(5).hover();
      await expect.poll(() => detector().locator('[part~="readout"]').innerText()).toContain('Cell row 2, column 2');
      await page().waitForTimeout(300);
      await page().screenshot({ path: `${SHOTS}/detect-boxes-${device}.png`, fullPage: device === 'phone' });
    }
    await page().setViewportSize({ width: 1280, height: 800 });
    expect(pg.browser.errors).toEqual([]);
  });
});
