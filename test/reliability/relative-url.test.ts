/**
 * Issue 14.3: ClipModel.load takes a folder URL relative to the page ("/models/clip/", "../clip/",
 * ".../model.safetensors") through the built dist/clip-webgpu.js, with the same resolver as the
 * playground; a hub id still means the hub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModelLocation } from '../../src/model/sources.ts';
import { golden } from '../helpers/fixtures.ts';
import { launch, type Browser } from '../e2e/helpers/browser.ts';
import { ensureBundle } from '../e2e/helpers/bundle.ts';
import { startTestServer, TINY_ID, type TestServer } from '../e2e/helpers/server.ts';

describe('resolveModelLocation', () => {
  const base = 'http://localhost:5173/app/index.html';
  it('resolves root-relative, relative and absolute folders and .safetensors URLs against the page', () => {
    expect(resolveModelLocation('/models/clip/', { base })).toEqual({
      folder: 'http://localhost:5173/models/clip/',
      weightsUrl: 'http://localhost:5173/models/clip/model.safetensors',
      repoId: null,
    });
    expect(resolveModelLocation('./clip', { base }).folder).toBe('http://localhost:5173/app/clip/');
    expect(resolveModelLocation('../models/clip/', { base }).folder).toBe('http://localhost:5173/models/clip/');
    expect(resolveModelLocation('models/clip/', { base }).folder).toBe('http://localhost:5173/app/models/clip/');
    expect(resolveModelLocation('weights/tiny.safetensors', { base })).toEqual({
      folder: 'http://localhost:5173/app/weights/',
      weightsUrl: 'http://localhost:5173/app/weights/tiny.safetensors',
      repoId: null,
    });
    expect(resolveModelLocation('https://example.com/m?download=1', { base }).folder).toBe('https://example.com/m/');
  });

  it('keeps hub ids for the hub, and says why a relative URL cannot resolve without a page', () => {
    expect(resolveModelLocation('openai/clip-vit-base-patch32', { endpoint: 'http://mirror/' })).toEqual({
      folder: 'http://mirror/openai/clip-vit-base-patch32/resolve/main/',
      weightsUrl: 'http://mirror/openai/clip-vit-base-patch32/resolve/main/model.safetensors',
      repoId: 'openai/clip-vit-base-patch32',
    });
    expect(() => resolveModelLocation('/models/clip/')).toThrow(
      /relative URL, and there is no page to resolve it against/,
    );
    expect(() => resolveModelLocation('not a repo id')).toThrow(/Invalid Hugging Face repo id/);
  });
});

describe('relative model URLs in a page, through dist/clip-webgpu.js', () => {
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

  it('loads the tiny model from a root-relative folder and a relative .safetensors URL and matches the golden text embedding', async () => {
    const g = golden('f32');
    const folder = `/${TINY_ID}/resolve/main/`;
    // Root-relative folder; page-relative .safetensors file (both rules at once: each load costs SwiftShader its pipelines).
    const sources = [folder, `../../..${folder}model.safetensors`];
    const { page } = browser;
    const query = `sources=${encodeURIComponent(JSON.stringify(sources))}&prompt=${encodeURIComponent(g.prompts[0])}`;
    await page.goto(`${server.url}/test/e2e/pages/relative-url.html?${query}`);
    await page.waitForFunction(() => (window as any).clipResults, null, { timeout: 300_000 });
    const results = await page.evaluate(() => (window as any).clipResults);
    expect(results.map((r: any) => r.message)).toEqual([undefined, undefined]);
    for (const r of results) {
      const worst = Math.max(...r.text.map((v: number, i: number) => Math.abs(v - g.text_embeds[0][i])));
      expect(worst).toBeLessThanOrEqual(1e-4);
    }
    expect(browser.errors).toEqual([]);
  });
});
