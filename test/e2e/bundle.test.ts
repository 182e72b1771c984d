/**
 * Acceptance: the built dist/clip-webgpu.js, imported by a plain static page, loads the tiny folder
 * over HTTP and gives the golden embeddings; it defines the clip-* elements.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golden } from '../helpers/fixtures.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { BUNDLE, ensureBundle } from './helpers/bundle.ts';
import { dropFiles, loadFrom, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureBundle();
  server = await startTestServer();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function expectClose(actual: number[][], expected: number[][], atol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - expected[i][j]));
    }),
  );
  expect(worst).toBeLessThanOrEqual(atol);
}

describe('dist/clip-webgpu.js in a plain page', () => {
  it('carries no other ML runtime: onnxruntime-web stays in bench/bench.html', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).toContain('clip-benchmark');
    expect(code).not.toMatch(/InferenceSession|ort-wasm|(from|import\()\s*['"]onnxruntime/);
  });

  it('loads the tiny folder over HTTP and matches the golden embeddings', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/test/e2e/pages/golden.html?model=/${TINY_ID}/resolve/main/`);
    await page.waitForFunction(() => (window as any).clipResults, null, { timeout: 120_000 });
    const r = await page.evaluate(() => (window as any).clipResults);
    expect(r.message).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.adapter.isCpu).toBe(true);
    expect(r.phases).toContain('weights');
    const g = golden('f32');
    expectClose(r.imageEmbeds, g.image_embeds, 1e-4);
    expectClose(r.textEmbeds, g.text_embeds, 1e-4);
    expect(r.elements).toEqual(['clip-model-loader', 'clip-classifier']);
    expect(browser.errors).toEqual([]);
  });
});

describe('examples/embed.html', () => {
  it('loads the tiny model through <clip-model-loader> and classifies a dropped image with <clip-classifier>', async () => {
    const { page } = browser;
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!/^(data|blob):/.test(r.url()) && !r.url().startsWith(server.url)) foreign.push(r.url());
    });
    await page.goto(`${server.url}/examples/embed.html`);
    await waitForLoaderState(page, 'idle'); // autoload never downloads: the default model is not cached
    await loadFrom(page, `${server.url}/${TINY_ID}/resolve/main/`);
    await waitForLoaderState(page, 'ready');
    await expect.poll(() => page.locator('#log').innerText()).toContain('is ready (downloaded)');
    await dropFiles(page.locator('clip-classifier [part~="drop-zone"]'), [
      { name: 'img3.png', type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img3.png` },
    ]);
    await expect
      .poll(() => page.locator('#log').innerText(), { timeout: 120_000 })
      .toMatch(/^Best match: \w+ \(\d+\.\d%\)\.$/);
    // The page's styling reaches inside: --clip-accent on the top bar, ::part(bar-label) italic.
    const bar = page.locator('clip-classifier [part~="row"].top [part="bar"]');
    expect(await bar.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
    expect(
      await page
        .locator('clip-classifier [part="bar-label"]')
        .first()
        .evaluate((el) => getComputedStyle(el).fontStyle),
    ).toBe('italic');
    await page.screenshot({ path: 'test-results/screenshots/embed-example.png', fullPage: true });
    expect(foreign).toEqual([]); // nothing reached the real hub
    expect(browser.errors).toEqual([]);
  });
});
