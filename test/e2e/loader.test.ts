/**
 * <clip-model-loader> in the `npm run dev` playground (Vite dev server), against a local server laid
 * out like the Hugging Face hub: download with progress, cache, resume, and the messages a user sees.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY } from '../helpers/fixtures.ts';
import { closedPort } from '../helpers/weights-server.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { clipEvents, dropFiles, loadFrom, recordClipEvents, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
const WEIGHTS_SIZE = statSync(resolve(TINY, 'model.safetensors')).size;

let server: TestServer;
let browser: Browser;
let playground: string;

beforeAll(async () => {
  server = await startTestServer({ vite: true });
  browser = await launch();
  await recordClipEvents(browser.context);
  playground = `${server.url}/?endpoint=${encodeURIComponent(server.url)}&model=${TINY_ID}`;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const weightsRequests = () =>
  server.hubRequests.filter((r) => r.path.endsWith('model.safetensors') && r.method === 'GET');
const errorText = () => browser.page.locator('clip-model-loader [part="error"]').innerText();

describe('<clip-model-loader>', () => {
  it('downloads the tiny model from a hub-like server, showing size, speed and time left', async () => {
    const { page } = browser;
    server.throttle(5e6); // slow enough to watch the progress bar
    await page.goto(playground);
    await waitForLoaderState(page, 'idle');
    await expect.poll(() => page.locator('clip-model-loader [part="cache"]').innerText()).toContain('Cache: empty');
    await page.locator('clip-model-loader button[type=submit]').click();

    const progress = page.locator('clip-model-loader [part="progress"]');
    await expect
      .poll(() => progress.innerText(), { timeout: 30_000 })
      .toMatch(/Downloading model\.safetensors · .* of 13\.7 MB · .*\/s · .* left/);
    await page.screenshot({ path: `${SHOTS}/loader-downloading.png` });
    await waitForLoaderState(page, 'ready');
    server.throttle(0);

    const events = await clipEvents(page, 'clip-model-progress');
    const weights = events.filter((e) => e.detail.phase === 'download' && e.detail.file === 'model.safetensors');
    expect(weights.every((e) => e.detail.total === WEIGHTS_SIZE)).toBe(true);
    expect(
      weights.some(
        (e) => e.detail.loaded > 0 && e.detail.loaded < WEIGHTS_SIZE && e.detail.speed > 0 && e.detail.eta > 0,
      ),
    ).toBe(true);
    expect(weights.at(-1)!.detail.loaded).toBe(WEIGHTS_SIZE);
    expect(events.some((e) => e.detail.phase === 'upload')).toBe(true);
    const [ready] = await clipEvents(page, 'clip-model-ready');
    expect(ready.detail).toMatchObject({ source: TINY_ID, fromCache: false, local: false, name: TINY_ID });
    await expect.poll(() => page.locator('clip-playground [part~="model-chip"]').innerText()).toContain(TINY_ID);
    await expect
      .poll(() => page.locator('clip-model-loader [part="cache"]').innerText())
      .toMatch(/Cache: 15\.\d MB in 1 model/);
    expect(weightsRequests()).toHaveLength(1);
    expect(browser.errors).toEqual([]);
  });

  it('loads from the cache on reload, with the hub blocked', async () => {
    const { page, context } = browser;
    const before = server.hubRequests.length;
    const blocked: string[] = [];
    await context.route(/\/resolve\/main\//, (route) => {
      blocked.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    try {
      await page.evaluate(() => ((window as any).clipEvents.length = 0));
      await page.reload();
      await waitForLoaderState(page, 'ready'); // autoload: every file is cached
      const [ready] = await clipEvents(page, 'clip-model-ready');
      expect(ready.detail).toMatchObject({ source: TINY_ID, fromCache: true });
      expect(blocked).toEqual([]);
      expect(server.hubRequests.length).toBe(before);
      expect(await page.locator('clip-model-loader [part="status"]').innerText()).toContain('from the cache');
    } finally {
      await context.unroute(/\/resolve\/main\//);
    }
  });

  it('resumes a dropped download with a Range request', async () => {
    const { page } = browser;
    await page.locator('clip-model-loader [part~="clear-button"]').click();
    await expect.poll(() => page.locator('clip-model-loader [part="cache"]').innerText()).toContain('Cache: empty');
    const before = weightsRequests().length;
    server.dropOnce('model.safetensors', 6_000_000); // past the first 4 MiB chunk
    await page.locator('clip-model-loader button[type=submit]').click();
    await waitForLoaderState(page, 'ready');
    const requests = weightsRequests().slice(before);
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${4 * 1024 * 1024}-`]);
    const ready = (await clipEvents(page, 'clip-model-ready')).at(-1)!;
    expect(ready.detail.fromCache).toBe(false);
  });

  it('explains a wrong id, an unreachable server, an invalid id and a folder without weights', async () => {
    const { page } = browser;
    await loadFrom(page, 'clip-webgpu/no-such-model');
    await waitForLoaderState(page, 'error');
    expect(await errorText()).toContain('There is no model "clip-webgpu/no-such-model" on the hub');

    const port = await closedPort();
    await loadFrom(page, `http://127.0.0.1:${port}/models/clip/`);
    await expect.poll(errorText).toContain(`Could not reach 127.0.0.1:${port}`);

    await loadFrom(page, 'not a repo id');
    await expect.poll(errorText).toContain('Invalid Hugging Face repo id "not a repo id"');

    await loadFrom(page, `${server.url}/${TINY_ID}/resolve/main/images/`);
    await expect.poll(errorText).toContain('has no model.safetensors');
    await page.screenshot({ path: `${SHOTS}/loader-error.png` });
    // The model loaded before stays usable.
    expect(await page.locator('clip-playground [part~="model-chip"]').innerText()).toContain(TINY_ID);
  });

  it('loads a dropped model folder, and says what is missing from an incomplete one', async () => {
    const { page } = browser;
    const file = (name: string, type: string) => ({ name, type, url: `/${TINY_ID}/resolve/main/${name}` });
    const card = page.locator('clip-model-loader [part="base"]');
    await dropFiles(card, [file('vocab.json', 'application/json'), file('img0.png', 'image/png')]);
    await expect.poll(errorText).toContain('No .safetensors weights among the dropped files (vocab.json, img0.png)');

    await page.evaluate(() => ((window as any).clipEvents.length = 0));
    await dropFiles(card, [
      file('config.json', 'application/json'),
      file('model.safetensors', ''),
      file('vocab.json', 'application/json'),
      file('merges.txt', 'text/plain'),
    ]);
    await waitForLoaderState(page, 'ready');
    const [ready] = await clipEvents(page, 'clip-model-ready');
    expect(ready.detail).toMatchObject({ name: 'local model', fromCache: true, local: true });
  });

  it('says when the browser has no WebGPU, before downloading anything', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
    await page.evaluate(() => 0);
    await page.goto(playground);
    await page.evaluate(() => caches.delete('clip-webgpu-models-v1'));
    const before = server.hubRequests.length;
    await loadFrom(page, TINY_ID);
    await waitForLoaderState(page, 'error');
    expect(await page.locator('clip-model-loader [part="error"]').innerText()).toContain('This browser has no WebGPU');
    expect(await page.locator('clip-playground [part~="adapter-chip"]').innerText()).toContain('no WebGPU');
    expect(server.hubRequests.length).toBe(before);
    await page.screenshot({ path: `${SHOTS}/loader-no-webgpu.png` });
    await page.close();
  });

  it('says when the adapter is too small for the model, before downloading the weights', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      // An adapter whose buffers top out at 64 kB: the tiny model's patch embedding needs 197 kB.
      const limits = Object.getOwnPropertyDescriptor(GPUAdapter.prototype, 'limits')!;
      Object.defineProperty(GPUAdapter.prototype, 'limits', {
        get() {
          const real = limits.get!.call(this);
          return new Proxy(real, {
            get: (t, k) => (k === 'maxBufferSize' || k === 'maxStorageBufferBindingSize' ? 65536 : t[k]),
          });
        },
      });
    });
    await page.goto(playground);
    const before = weightsRequests().length;
    await loadFrom(page, TINY_ID);
    await waitForLoaderState(page, 'error');
    const text = await page.locator('clip-model-loader [part="error"]').innerText();
    expect(text).toContain(`${TINY_ID} is too large for this GPU adapter`);
    expect(text).toContain('197 kB buffers (vision_model.embeddings.patch_embedding.weight)');
    expect(weightsRequests().length).toBe(before);
    await page.close();
  });

  it("never caches a wrong answer: a folder first answered by the dev server's HTML fallback loads once it is served", async () => {
    const { page, context } = browser;
    // Nothing is served at /late/tiny/ yet: the Vite dev server answers every file with its index.html and 200.
    await page.goto(playground);
    await page
      .locator('clip-model-loader:is([state="idle"], [state="ready"])')
      .waitFor({ state: 'attached', timeout: 120_000 });
    await loadFrom(page, '/late/tiny/');
    await waitForLoaderState(page, 'error');
    expect(await errorText()).toContain('config.json: the server answered with an HTML page instead of the file');
    await expect.poll(() => page.locator('clip-model-loader [part~="retry-button"]').count()).toBe(1);
    const cached = await page.evaluate(async () =>
      (await (await caches.open('clip-webgpu-models-v1')).keys()).map((r) => r.url),
    );
    expect(cached.filter((u) => u.includes('/late/tiny/'))).toEqual([]);

    // Now the folder is served (the hub route holds the same files): a reload and Load work, no "Clear cache".
    const late = `${server.url}/late/tiny/`;
    await context.route(`${late}**`, (route) =>
      route.continue({ url: route.request().url().replace(late, `${server.url}/${TINY_ID}/resolve/main/`) }),
    );
    try {
      await page.reload();
      await loadFrom(page, '/late/tiny/');
      await waitForLoaderState(page, 'ready');
      const ready = (await clipEvents(page, 'clip-model-ready')).at(-1)!;
      expect(ready.detail).toMatchObject({ source: '/late/tiny/', fromCache: false });

      // "Retry without the cache" downloads the folder again and loads it.
      await page.locator('clip-model-loader').evaluate((el: any) => el.retryWithoutCache('/late/tiny/'));
      await waitForLoaderState(page, 'ready');
      expect((await clipEvents(page, 'clip-model-ready')).at(-1)!.detail.fromCache).toBe(false);
    } finally {
      await context.unroute(`${late}**`);
    }
  });

  it("describes a local server's 403 as that server refusing access, not in Hugging Face terms", async () => {
    const { page, context } = browser;
    const denied = `${server.url}/denied/clip/`;
    await context.route(`${denied}**`, (route) => route.fulfill({ status: 403, body: 'Forbidden' }));
    try {
      await loadFrom(page, denied);
      await waitForLoaderState(page, 'error');
      const text = await errorText();
      expect(text).toContain(`${denied} refused access (HTTP 403`);
      expect(text).not.toMatch(/hub|gated|private|Hugging Face/i);
    } finally {
      await context.unroute(`${denied}**`);
    }
  });
});
