/**
 * The trainer in Chromium's WebGPU, from the built bundle in a plain page (test/train/train-page.html):
 * golden_train.json's first-step loss and every gradient, the loss before step 2 and the parameters
 * after two steps, at the tolerances of ../shared/README.md (k_proj.bias: |grad| < 1e-4, parameters
 * left out, as in Node).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Browser } from '../e2e/helpers/browser.ts';
import { ensureBundle } from '../e2e/helpers/bundle.ts';
import { startTestServer, TINY_ID, type TestServer } from '../e2e/helpers/server.ts';
import { goldenTrain } from './golden-train.ts';

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

describe('the trainer in a page', () => {
  it('reproduces golden_train.json', async ({ annotate }) => {
    const g = goldenTrain();
    const { page } = browser;
    await page.goto(`${server.url}/test/train/train-page.html?model=/${TINY_ID}/resolve/main/`);
    await page.waitForFunction(() => (window as any).trainResults, null, { timeout: 300_000 });
    const r = await page.evaluate(() => (window as any).trainResults);
    expect(r.message).toBeUndefined();
    expect(r.adapter.isCpu).toBe(true);
    r.loss.forEach((l: number, i: number) =>
      expect(Math.abs(l - g.loss[i]) / g.loss[i], `loss ${i}`).toBeLessThan(1e-5),
    );
    let worst = 0;
    for (const [name, d] of Object.entries(r.grads) as [string, { max: number; scale: number }][]) {
      if (name.endsWith('k_proj.bias')) expect(d.max, name).toBeLessThan(1e-4);
      else expect(d.max / d.scale, name).toBeLessThan(1e-4);
      if (!name.endsWith('k_proj.bias')) worst = Math.max(worst, d.max / d.scale);
    }
    const tokenScale = Math.max(...r.tokenRows.map((d: { scale: number }) => d.scale));
    for (const d of r.tokenRows) expect(d.max / tokenScale).toBeLessThan(1e-4);
    let params = 0;
    for (const [name, d] of Object.entries(r.params) as [string, number][]) {
      if (name.endsWith('k_proj.bias')) continue;
      expect(d, name).toBeLessThan(5e-5);
      params = Math.max(params, d);
    }
    await annotate(
      `chromium (${r.adapter.description}): loss rel ${r.loss.map((l: number, i: number) => (Math.abs(l - g.loss[i]) / g.loss[i]).toExponential(2))}, ` +
        `grads ${worst.toExponential(2)} of max, params after 2 steps ${params.toExponential(2)}`,
    );
    expect(browser.errors).toEqual([]);
  }, 600_000);
});
