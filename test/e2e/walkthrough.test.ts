/**
 * What the newcomer walkthrough hit (issue 14, item 7), in the playground with the tiny model: local
 * files named and described as such, every tab visible on a phone, the benchmark's estimate, its Quick
 * button and Stop, the model card's missing features explained, accent-coloured
 * radios, a bias chart that fills its card. Screenshots under test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Browser } from './helpers/browser.ts';
import { clipEvents, dropFiles, loadFrom, recordClipEvents, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ vite: true });
  browser = await launch();
  await recordClipEvents(browser.context);
  await browser.page.goto(`${server.url}/?endpoint=${encodeURIComponent(server.url)}&model=${TINY_ID}`);
  await loadFrom(browser.page, TINY_ID);
  await waitForLoaderState(browser.page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const page = () => browser.page;
const tab = (id: string) => page().locator(`clip-playground #tab-${id}`).click();

describe('the newcomer walkthrough', () => {
  it('local files: named by the model, "read from your files", the source box cleared', async () => {
    const file = (name: string, type: string) => ({ name, type, url: `/${TINY_ID}/resolve/main/${name}` });
    const n = (await clipEvents(page(), 'clip-model-ready')).length;
    await dropFiles(page().locator('clip-model-loader [part="base"]'), [
      file('config.json', 'application/json'),
      file('model.safetensors', ''),
      file('vocab.json', 'application/json'),
      file('merges.txt', 'text/plain'),
    ]);
    await expect
      .poll(async () => (await clipEvents(page(), 'clip-model-ready')).length, { timeout: 60_000 })
      .toBe(n + 1);
    const status = await page().locator('clip-model-loader [part="status"]').innerText();
    expect(status).toMatch(/^local model is ready · .* · read from your files in \d/);
    expect(status).not.toContain('cache');
    expect(await page().locator('clip-model-loader input#source').inputValue()).toBe('');
    await page()
      .locator('clip-model-loader')
      .screenshot({ path: `${SHOTS}/loader-local-files.png` });
  });

  it('on a phone every tab is in view (they wrap instead of scrolling out of sight)', async () => {
    await page().setViewportSize({ width: 390, height: 844 });
    const bar = page().locator('clip-playground [role="tablist"]');
    const box = (await bar.boundingBox())!;
    expect(await bar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    for (const t of await bar.locator('[role="tab"]').all()) {
      const b = (await t.boundingBox())!;
      expect(b.x + b.width, await t.innerText()).toBeLessThanOrEqual(box.x + box.width + 0.5);
    }
    await bar.screenshot({ path: `${SHOTS}/tabs-phone.png` });
    await page().setViewportSize({ width: 1280, height: 800 });
  });

  it('the model card says what runs instead of each missing feature; radios take the accent colour', async () => {
    await tab('model');
    const card = page().locator('clip-model-card');
    const missing = await card.locator('[part="missing-features"] li').allInnerTexts();
    const features: string[] = await page()
      .locator('clip-model-loader')
      .evaluate((el: any) => el.model.adapter.features);
    const absent = ['shader-f16', 'subgroups', 'timestamp-query'].filter((f) => !features.includes(f));
    expect(missing.map((m) => m.split(' ')[0].replace(':', ''))).toEqual(absent);
    expect(
      await card
        .locator('.feature.absent')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).textDecorationLine)),
    ).not.toContain('line-through');
    await card.screenshot({ path: `${SHOTS}/model-card-features.png` });
    await tab('eval');
    const radio = page().locator('clip-dataset-eval input[type="radio"]').first();
    expect(await radio.evaluate((el) => getComputedStyle(el).accentColor)).not.toBe('auto');
  });

  it('the benchmark: an estimate before running; Quick runs the tiny shapes, one sample each, and Stop stops it', async () => {
    await tab('bench');
    const bench = page().locator('clip-benchmark');
    expect(await bench.locator('[part="estimate"]').innerText()).toMatch(
      /^\d+ kernel cases, each timed for up to 1\.5 s: roughly (\d+ min )?\d+ s, plus the end-to-end encodes\. This adapter runs on the CPU/,
    );
    await page().screenshot({ path: `${SHOTS}/bench-estimate.png` });
    // A whole run, its legend and its tower cards: test/e2e/benchmark.test.ts. Here the button's choices, and Stop.
    await bench.locator('[part="quick-button"]').click();
    expect(await bench.evaluate((el: any) => [el.shapes, el.samples])).toEqual([['tiny-vision-b2', 'tiny-text-b3'], 1]);
    await bench.locator('[part="stop-button"]').waitFor({ timeout: 10_000 });
    await bench.locator('[part="stop-button"]').click();
    await expect.poll(() => bench.evaluate((el: any) => el.running), { timeout: 120_000 }).toBe(false);
    expect(await bench.evaluate((el: any) => el.shadowRoot.textContent)).toContain('Stopped.');
    expect(await bench.evaluate((el: any) => el.report)).toBeNull();
  });
});
