/**
 * <clip-dataset-eval>'s world figures in the `npm run dev` playground with the tiny model (numbers
 * meaningless): the world generated in the page, a bar per world (clean + every shift) that matches
 * its JSON, the k-shot curve with the zero-shot line on the same test images, and a screenshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIFTS } from '../../src/model/world/index.ts';
import { writeWorld } from '../../src/node/world-writer.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { loadFrom, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
let server: TestServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  // The page's generated test world, written to disk: clean and sketch.
  tmp = mkdtempSync(join(tmpdir(), 'clip-e2e-figures-'));
  await writeWorld(join(tmp, 'worlds', 'clean'), { n: 24, seed: 1, objects: 1 });
  await writeWorld(join(tmp, 'worlds', 'sketch'), { n: 24, seed: 1, objects: 1, shift: 'sketch' });
  server = await startTestServer({ vite: true });
  browser = await launch();
  await browser.context.addInitScript(() => {
    const w = window as unknown as { figureEvents: unknown[] };
    w.figureEvents = [];
    window.addEventListener('clip-dataset-figures', (e) => w.figureEvents.push((e as CustomEvent).detail));
  });
  await browser.page.goto(`${server.url}/?endpoint=${encodeURIComponent(server.url)}&model=${TINY_ID}`);
  await loadFrom(browser.page, TINY_ID);
  await waitForLoaderState(browser.page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('<clip-dataset-eval> world figures', () => {
  it('draws accuracy per shift and the k-shot curve against zero-shot, from a world generated in the page', async () => {
    const page = browser.page;
    await page.locator('clip-playground [role="tab"]', { hasText: 'Evaluate' }).click();
    const el = page.locator('clip-dataset-eval');
    await el.evaluate((e: any) => Object.assign(e, { worldScenes: 24, trainScenes: 40, worldLabel: 'colour' }));
    await el.locator('[part="run-figures"]').click();
    await expect.poll(() => page.evaluate(() => (window as any).figureEvents.length), { timeout: 300_000 }).toBe(1);
    const d = await page.evaluate(() => (window as any).figureEvents[0]);

    expect(d.label).toBe('colour');
    expect(d.shifts.map((s: any) => s.shift)).toEqual(['none', ...SHIFTS]);
    for (const s of d.shifts) expect(s.n).toBe(24); // every scene has one object, under every shift
    expect(d.probe.zero_shot).toBe(d.shifts[0].accuracy); // the probe is tested on the clean world's rows
    expect(d.probe).toMatchObject({ test_images: 24, train_images: 40, seeds: 3 });
    expect(d.probe.k_shot.map((p: any) => p.shots)).toEqual([1, 2, 4, 8, 16, 'all']);
    expect(d.probe.k_shot.at(-1).accuracy).toBe(d.probe.probe);

    // The SVG shows what the JSON says.
    const bars = await el
      .locator('[part="shift-chart"] g.shift')
      .evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-shift'), Number(g.getAttribute('data-accuracy'))]));
    expect(bars).toEqual(d.shifts.map((s: any) => [s.shift, s.accuracy]));
    const points = await el
      .locator('[part="kshot-chart"] g.point')
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-accuracy'))));
    expect(points).toEqual(d.probe.k_shot.map((p: any) => p.accuracy));
    expect(await el.locator('[part="kshot-chart"] > line.zero-shot').count()).toBe(1);
    expect(await el.locator('[part="figures-progress"]').count()).toBe(0);
    await el.locator('[part="figures"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/dataset-eval-figures.png`, fullPage: true });
    await el.locator('[part="figures"]').screenshot({ path: `${SHOTS}/dataset-eval-figures-panel.png` });

    // The same world written by the world writer and chosen as folders: a bar each, the same numbers.
    await el.locator('input#worlds').setInputFiles(join(tmp, 'worlds'));
    await expect.poll(() => page.evaluate(() => (window as any).figureEvents.length), { timeout: 120_000 }).toBe(2);
    const dropped = await page.evaluate(() => (window as any).figureEvents[1]);
    expect(dropped.probe).toBeNull();
    expect(dropped.shifts).toEqual(d.shifts.filter((s: any) => s.shift === 'none' || s.shift === 'sketch'));
    expect(await el.locator('[part="shift-chart"] g.shift').count()).toBe(2);
    expect(await el.locator('[part="kshot-chart"]').count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });
});
