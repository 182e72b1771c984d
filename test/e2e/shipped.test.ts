/**
 * The playground with no model named (`npm run dev`, then open the page): the shipped model
 * (weights/shapes-clip, served by the dev server) loads at once with no network beyond the page's own
 * server, the classifier starts with the world's colour preset and scenes, a world scene gets a result,
 * and one click asks the hub for openai/clip-vit-base-patch32. No accuracy here: the shipped model's
 * own tests judge what it learned.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_NAMES, SHAPES } from '../../src/model/world/index.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { classifiedCount, clipEvents, recordClipEvents, resultFor, waitForLoaderState } from './helpers/page.ts';
import { ROOT, startTestServer, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
const HUB_MODEL = 'openai/clip-vit-base-patch32';

let server: TestServer;
let browser: Browser;
/** Requests that left the page's own server (there must be none). */
const foreign: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ vite: true });
  browser = await launch();
  await recordClipEvents(browser.context);
  // Offline: anything but the page's own server fails, as with no network at all.
  await browser.context.route(
    (url) => !url.href.startsWith(server.url) && !/^(data|blob):/.test(url.href),
    (route) => {
      foreign.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  // The hub stays the test server's (a hub with only the tiny model), so the hub button reaches no real hub either.
  await browser.page.goto(`${server.url}/?endpoint=${encodeURIComponent(server.url)}#classify`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const page = () => browser.page;
const classifier = () => page().locator('clip-classifier');

describe('the playground with the shipped model', () => {
  it('loads shapes-clip at once, offline, and says where it came from', async () => {
    await waitForLoaderState(page(), 'ready', 300_000);
    const [ready] = await clipEvents(page(), 'clip-model-ready');
    expect(ready.detail).toMatchObject({ source: 'shapes-clip', shipped: true, local: false, name: 'shapes-clip' });
    await expect
      .poll(() => page().locator('clip-playground [part~="model-chip"]').innerText())
      .toContain('shapes-clip');
    expect(await page().locator('clip-model-loader [part="status"]').innerText()).toContain('shipped with this page');
    expect(server.hubRequests).toEqual([]); // nothing asked of the hub
    expect(foreign).toEqual([]);
  });

  it('classifies a world scene with the colour preset, then with the shape preset', async () => {
    const labels = await classifier().evaluate((el: any) => el.labels);
    expect(labels).toEqual([...COLOUR_NAMES]);
    expect(await classifier().evaluate((el: any) => el.template)).toBe('a {} shape');
    // The world's scenes come first among the samples; the photos stay for hub models.
    const names = await classifier()
      .locator('[part~="sample"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(names.slice(0, 5).every((n) => SHAPES.some((s) => n.endsWith(s)))).toBe(true);
    expect(names).toContain('cat');
    const n = await classifiedCount(page());
    await classifier().locator('[part~="sample"]').first().click();
    const r = await resultFor(page(), [...COLOUR_NAMES], n, { templates: 1 }, 300_000);
    expect(r.ranked).toHaveLength(COLOUR_NAMES.length);
    expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The sample's title names its colour first ("red circle"): the model's top label.
    expect(names[0].startsWith(r.ranked[0].label)).toBe(true);
    await expect.poll(() => classifier().locator('[part="row"]').count()).toBe(COLOUR_NAMES.length);
    await page().screenshot({ path: `${SHOTS}/shipped-classify.png`, fullPage: true });
    // The shape preset: five labels and their template, one click; the sample's title ends with its shape.
    const m = await classifiedCount(page());
    await classifier().locator('[part="presets"] button[data-preset="shapes"]').click();
    expect(await classifier().evaluate((el: any) => [el.labels.length, el.template])).toEqual([5, 'a {}']);
    const shapes = await resultFor(page(), [...SHAPES], m, { templates: 1 }, 300_000);
    expect(names[0].endsWith(shapes.ranked[0].label)).toBe(true);
    expect(browser.errors).toEqual([]);
  });

  it('shows the Model tab, with the model card when weights/shapes-clip has one', async () => {
    await page().locator('#tab-model').click();
    const card = page().locator('clip-model-card');
    await expect.poll(() => card.locator('dd.name').innerText()).toBe('shapes-clip');
    const hasCard = existsSync(join(ROOT, 'weights/shapes-clip/README.md'));
    await expect.poll(() => card.locator('[part~="card"]').count()).toBe(hasCard ? 1 : 0);
    await page().screenshot({ path: `${SHOTS}/shipped-model-card.png`, fullPage: true });
  });

  /** The open tab has finished its work: nothing in it busy or running for three looks in a row. */
  async function settled() {
    const working = page().locator('clip-playground [role="tabpanel"]:not([hidden]) :is([busy], [running], [loading])');
    for (let calm = 0, looks = 0; calm < 3 && looks < 150; looks++) {
      calm = (await working.count()) ? 0 : calm + 1;
      await page().waitForTimeout(400);
    }
  }

  it('keeps a screenshot of every tab on the shipped model', async () => {
    const tabs = await page().locator('clip-playground [role="tab"]').allInnerTexts();
    expect(tabs).toEqual(expect.arrayContaining(['Classify', 'Segment', 'Train', 'Model']));
    for (const tab of tabs) {
      await page().locator('clip-playground [role="tab"]', { hasText: tab }).click();
      // A world scene where the tab takes an image, so the shot shows the shipped model at work.
      const sample = page().locator('clip-playground [role="tabpanel"]:not([hidden]) [part~="sample"]:visible').first();
      if (await sample.count()) await sample.click();
      await settled();
      await page().screenshot({
        path: `${SHOTS}/shipped-${tab.toLowerCase().replace(/\s+/g, '-')}.png`,
        fullPage: true,
      });
    }
    await expect
      .poll(() => page().locator('clip-playground [part~="model-chip"]').innerText())
      .toContain('shapes-clip');
    // Explain and Detect start with the map that points on this model: relevance (Detect: fitted to the image).
    expect(await page().locator('clip-gradcam').getAttribute('method')).toBe('relevance');
    const detector = page().locator('clip-patch-detector');
    expect([await detector.getAttribute('mode'), await detector.getAttribute('refine')]).toEqual(['relevance', '']);
    // Segment too: relevance, background below a share of the best map, the colour preset.
    const segmenter = page().locator('clip-segmenter');
    expect(
      await segmenter.evaluate((el: any) => [
        el.method,
        el.refine,
        el.backgroundMode,
        el.labels.length,
        el.result?.method,
      ]),
    ).toEqual(['relevance', false, 'threshold', 8, 'relevance']);
    expect(browser.errors).toEqual([]);
  });

  it('one click sets the source to openai/clip-vit-base-patch32 and asks the hub for it', async () => {
    await page().locator('#tab-classify').click();
    await page().locator('clip-model-loader [part~="hub-button"]').click();
    await expect.poll(() => page().locator('clip-model-loader').getAttribute('source')).toBe(HUB_MODEL);
    expect(await page().locator('clip-model-loader input#source').inputValue()).toBe(HUB_MODEL);
    // The test's hub has no such model: the request reached it (and nothing else), and the shipped model stays.
    await expect.poll(() => server.hubRequests.some((r) => r.path.startsWith(`/${HUB_MODEL}/`))).toBe(true);
    await waitForLoaderState(page(), 'error');
    await expect
      .poll(() => page().locator('clip-playground [part~="model-chip"]').innerText())
      .toContain('shapes-clip');
    expect(foreign).toEqual([]);
    await expect.poll(() => page().locator('clip-model-loader [part~="shipped-button"]').count()).toBe(1);
  });
});
