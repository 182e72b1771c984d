/**
 * In the playground with the tiny model (issue 14, item 4): a lost GPU device shows as an error
 * with "Reload the model", which loads it again and hands it to the elements without a page refresh;
 * twenty interleaved classify/detect/gradcam calls give what each gives alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Browser } from './helpers/browser.ts';
import {
  clipEvents,
  dropFiles,
  loadFrom,
  loaderIn,
  recordClipEvents,
  resultFor,
  classifiedCount,
  waitForLoaderState,
} from './helpers/page.ts';
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

const imageUrl = (i: number) => `/${TINY_ID}/resolve/main/images/img${i}.png`;

describe('robustness in the browser', () => {
  it('a lost device: the classifier says so and offers a reload, which brings the model back to every element', async () => {
    const page = browser.page;
    const classifier = page.locator('clip-classifier');
    await dropFiles(classifier.locator('[part~="drop-zone"]'), [
      { name: 'img0.png', type: 'image/png', url: imageUrl(0) },
    ]);
    const labels = ['a red circle', 'a green square'];
    let n = await classifiedCount(page);
    await classifier.locator('textarea').fill(labels.join('\n'));
    const before = await resultFor(page, labels, n);

    await loaderIn(page).evaluate((el: any) => el.model.gpu.device.destroy());
    await classifier.locator('textarea').fill([...labels, 'a dog'].join('\n'));
    const error = classifier.locator('[part="error"]');
    await expect
      .poll(() => error.innerText(), { timeout: 30_000 })
      .toMatch(/GPU device was lost.*Load the model again/s);
    await page.screenshot({ path: `${SHOTS}/device-lost-reload.png` });

    const ready = (await clipEvents(page, 'clip-model-ready')).length;
    n = await classifiedCount(page);
    await classifier.locator('[part="reload-button"]').click();
    await expect
      .poll(async () => (await clipEvents(page, 'clip-model-ready')).length, { timeout: 60_000 })
      .toBe(ready + 1);
    const after = await resultFor(page, [...labels, 'a dog'], n);
    expect(after.probs).toHaveLength(3);
    expect(await error.count()).toBe(0);
    // The same labels as before the loss: the same probabilities from the reloaded model.
    n = await classifiedCount(page);
    await classifier.locator('textarea').fill(labels.join('\n'));
    expect((await resultFor(page, labels, n)).probs).toEqual(before.probs);
  });

  it('twenty interleaved classify/detect/gradcam calls on one model return what each returns alone', async () => {
    const { same, n } = await loaderIn(browser.page).evaluate(async (el: any, urls: string[]) => {
      const model = el.model;
      const calls = Array.from({ length: 20 }, (_, i) => {
        const image = urls[i % urls.length];
        if (i % 3 === 0)
          return () => model.classify(image, ['a red circle', `thing ${i}`]).then((r: any) => [...r.probs]);
        if (i % 3 === 1)
          return () => model.detect(image, ['a red circle', 'a dog']).then((d: any) => [...d.patchSimilarity]);
        return () => model.gradcam(image, `a photo number ${i}`).then((c: any) => [...c.cam]);
      });
      const alone: number[][] = [];
      for (const call of calls) alone.push(await call());
      const together = await Promise.all(calls.map((call) => call()));
      return { same: together.map((t, i) => JSON.stringify(t) === JSON.stringify(alone[i])), n: together.length };
    }, [0, 1, 2, 3].map(imageUrl));
    expect(n).toBe(20);
    expect(same).toEqual(Array(20).fill(true));
  });
});
