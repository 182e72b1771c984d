/**
 * <clip-bias-probe>'s world-backgrounds preset in the playground (tiny model; its rates mean nothing):
 * the preset brings its template "a {}" and the labels = shapes, "Generate the probe scenes" adds the
 * groups dark and light with the same scenes the CLI generates, and the probe scores them. A screenshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHAPES } from '../../src/model/world/index.ts';
import { TONE_PROBE_DEFAULTS } from '../../src/model/bias/world-probe.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { loadFrom, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ vite: true });
  browser = await launch();
  await browser.context.addInitScript(() => {
    const w = window as unknown as { scored: unknown[] };
    w.scored = [];
    window.addEventListener('clip-bias-scored', (e) => w.scored.push((e as CustomEvent).detail));
  });
  await browser.page.goto(`${server.url}/?endpoint=${encodeURIComponent(server.url)}&model=${TINY_ID}#bias`);
  await loadFrom(browser.page, TINY_ID);
  await waitForLoaderState(browser.page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('<clip-bias-probe> world-backgrounds', () => {
  it('generates the dark/light probe scenes and scores the shapes with "a {}"', async () => {
    const page = browser.page;
    const probe = page.locator('clip-bias-probe');
    await probe.locator('[part="preset"]').selectOption('world-backgrounds');
    expect(await probe.locator('[part="labels"]').inputValue()).toBe(SHAPES.join('\n'));
    expect(await probe.locator('[part="template"]').inputValue()).toBe('a {}');
    await probe.locator('[part="probe-set"]').click();
    const n = 5 * TONE_PROBE_DEFAULTS.perShape;
    await expect
      .poll(
        () =>
          page.evaluate(
            (n) =>
              (window as any).scored.some((d: any) => d.report.groups.dark?.n === n && d.report.groups.light?.n === n),
            n,
          ),
        { timeout: 300_000, interval: 250 },
      )
      .toBe(true);
    const d = await page.evaluate(() => (window as any).scored.at(-1));
    expect(d.templates).toEqual(['a {}']);
    expect(d.report.labels).toEqual([...SHAPES]);
    expect(Object.keys(d.report.groups)).toEqual(['dark', 'light']);
    expect(d.report.images[0].path).toBe('dark/circle-00.png');
    expect(d.encodedImages).toBe(2 * n);
    await probe.screenshot({ path: 'test-results/screenshots/bias-world-backgrounds.png' });
    // Leaving the preset restores the default template.
    await probe.locator('[part="preset"]').selectOption('doctor-nurse');
    expect(await probe.locator('[part="template"]').inputValue()).toBe('a photo of a {}.');
  }, 400_000);
});
