/**
 * <clip-classifier> in the `npm run dev` playground with the tiny model: golden probabilities for
 * the fixture images, cached text embeddings, the messages for bad input, and a screenshot of every
 * tab on a laptop and a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golden } from '../helpers/fixtures.ts';
import { launch, type Browser } from './helpers/browser.ts';
import {
  classifiedCount,
  dropFiles,
  loadFrom,
  recordClipEvents,
  resultFor,
  softmax,
  waitForLoaderState,
} from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
const g = golden('f32');
// The golden prompts minus the empty one (a label must have text); #5 is over 77 tokens. Labels are
// trimmed as typed, which CLIP's tokenizer does anyway (#5 ends with a space).
const PROMPTS = g.prompts.map((p, i) => ({ p: p.trim(), i })).filter(({ p }) => p !== '');
const SHORT = PROMPTS.filter(({ i }) => g.input_ids[i].indexOf(49407) < 76); // not truncated

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

const classifier = () => browser.page.locator('clip-classifier');
const dropImage = (i: number) =>
  dropFiles(classifier().locator('[part~="drop-zone"]'), [
    { name: `img${i}.png`, type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img${i}.png` },
  ]);
/** Types into a text field, then waits out the classifier's typing debounce. */
async function fill(selector: string, text: string) {
  await classifier().locator(selector).fill(text);
  await browser.page.waitForTimeout(400);
}
const setLabels = (labels: string[]) => fill('textarea', labels.join('\n'));
const count = () => classifiedCount(browser.page);
const errorText = () => classifier().locator('[part="error"]').innerText();

/** softmax of the golden logits over a subset of prompts: the probabilities over just those labels. */
const expected = (img: number, subset: { i: number }[]) => softmax(subset.map(({ i }) => g.logits_per_image[img][i]));

function expectClose(actual: number[], wanted: number[], atol: number) {
  expect(actual).toHaveLength(wanted.length);
  const worst = Math.max(...actual.map((v, k) => Math.abs(v - wanted[k])));
  expect(worst, `max |diff| ${worst}`).toBeLessThanOrEqual(atol);
}

describe('<clip-classifier>', () => {
  it('shows the golden probabilities for the tiny images (prompts as labels, template "{}")', async () => {
    await fill('[part="template"]', '{}');
    await setLabels(SHORT.map(({ p }) => p));
    for (const img of [0, 1, 2, 3]) {
      const n = await count();
      await dropImage(img);
      const r = await resultFor(
        browser.page,
        SHORT.map(({ p }) => p),
        n,
      );
      expectClose(r.probs, expected(img, SHORT), 1e-4);
      if (img > 0) expect(r.newTextEmbeddings).toBe(0); // the labels' embeddings came from the cache
      const top = r.ranked[0];
      expect(await classifier().locator('[part~="row"]').first().innerText()).toContain(top.label);
    }
  });

  it('reports prompts over 77 tokens, and cuts them when asked (then matches the truncated golden)', async () => {
    await setLabels(PROMPTS.map(({ p }) => p));
    await expect
      .poll(errorText)
      .toMatch(/This label makes a prompt longer than CLIP's 77-token limit: “a very long caption.*” \(\d+ tokens\)/);
    const n = await count();
    await classifier().getByRole('button', { name: 'Cut long prompts to 77 tokens' }).click();
    const r = await resultFor(
      browser.page,
      PROMPTS.map(({ p }) => p),
      n,
    );
    expectClose(r.probs, expected(3, PROMPTS), 1e-4); // image 3 is still shown
    expect(await classifier().getAttribute('truncate')).toBe('');
    expect(r.newTextEmbeddings).toBe(PROMPTS.length); // cut prompts are another cache entry
  });

  it('encodes only new labels as they are edited, and ensembles the 80 templates', async () => {
    const two = ['a red triangle', 'a green circle'],
      three = [...two, 'a blue square'];
    let n = await count();
    await setLabels(two);
    expect((await resultFor(browser.page, two, n)).newTextEmbeddings).toBe(2);
    n = await count();
    await setLabels(three);
    const second = await resultFor(browser.page, three, n);
    expect(second.newTextEmbeddings).toBe(1);
    expect(second.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    // One label for the ensemble: 80 prompts take seconds on a CPU-emulated GPU.
    n = await count();
    await setLabels(['a red triangle']);
    expect((await resultFor(browser.page, ['a red triangle'], n)).newTextEmbeddings).toBe(0);
    n = await count();
    await classifier().getByText('80-template ensemble').click();
    const ensemble = await resultFor(browser.page, ['a red triangle'], n, { templates: 80 });
    expect(ensemble.newTextEmbeddings).toBe(1);
    expect(await classifier().locator('.meta').innerText()).toContain('80 templates per label');
    n = await count();
    await classifier().getByText('One template').click();
    expect((await resultFor(browser.page, ['a red triangle'], n, { templates: 1 })).newTextEmbeddings).toBe(0);
  });

  it('says so when a drop is not an image', async () => {
    const zone = classifier().locator('[part~="drop-zone"]');
    await dropFiles(zone, [{ name: 'notes.txt', type: 'text/plain', text: 'not a picture' }]);
    await expect
      .poll(errorText)
      .toContain('"notes.txt" is not an image (text/plain). Drop a PNG, JPEG, WebP, GIF or BMP file.');
    await dropFiles(zone, [{ name: 'broken.png', type: 'image/png', text: 'this is no PNG' }]);
    await expect.poll(errorText).toContain('"broken.png" could not be decoded as an image');
    expect(await classifier().locator('[part="image"]').getAttribute('alt')).toBe('img3.png'); // the last good image stays
    await browser.page.screenshot({ path: `${SHOTS}/classifier-not-an-image.png` });
  });

  it('keeps a screenshot of every tab on a laptop and a phone', async () => {
    const { page } = browser;
    const labels = ['cat', 'dog', 'apple', 'sailboat', 'sunflower', 'car'];
    await fill('[part="template"]', 'a photo of a {}.');
    await setLabels(labels);
    const n = await count();
    await classifier().getByRole('button', { name: 'Sample: cat' }).click();
    await resultFor(page, labels, n);
    const tabs = await page.locator('clip-playground [role="tab"]').allInnerTexts();
    expect(tabs).toEqual(expect.arrayContaining(['Classify', 'Model']));
    for (const [device, size] of [
      ['laptop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(size);
      for (const tab of tabs) {
        await page.locator('clip-playground [role="tab"]', { hasText: tab }).click();
        await page.waitForTimeout(400); // bar transitions
        await page.screenshot({ path: `${SHOTS}/${tab.toLowerCase()}-${device}.png`, fullPage: device === 'phone' });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(browser.errors).toEqual([]);
  });
});
