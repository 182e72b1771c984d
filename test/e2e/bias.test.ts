/**
 * <clip-bias-probe> and <clip-dataset-eval> in the `npm run dev` playground with the tiny model:
 * folders of the fixture images picked as groups / as a labelled dataset, probabilities against the
 * goldens, re-scoring without re-encoding, the per-image "Top predictions" lines, the chart, the
 * confusion heatmap, CSV/JSON export, and screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topPredictions } from '../../src/model/bias/format.ts';
import { argmax, wilsonInterval } from '../../src/model/bias/stats.ts';
import { TINY_IMAGES, golden } from '../helpers/fixtures.ts';
import { launch, type Browser } from './helpers/browser.ts';
import { loadFrom, softmax, waitForLoaderState } from './helpers/page.ts';
import { startTestServer, TINY_ID, type TestServer } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
const g = golden('f32');
const cols = [0, 1, 2, 3, 6, 7]; // not the empty prompt (4) nor the over-long one (5)
const LABELS = cols.map((c) => g.prompts[c]);
const EVENTS = [
  'clip-bias-scored',
  'clip-bias-progress',
  'clip-dataset-evaluated',
  'clip-dataset-progress',
  'clip-error',
];

let server: TestServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'clip-e2e-bias-'));
  for (const [dir, imgs] of [
    ['first', [0, 1]],
    ['second', [2, 3]],
  ] as const) {
    mkdirSync(join(tmp, dir));
    for (const i of imgs) copyFileSync(TINY_IMAGES[i], join(tmp, dir, `img${i}.png`));
  }
  writeFileSync(join(tmp, 'first', 'notes.txt'), 'not an image');
  server = await startTestServer({ vite: true });
  browser = await launch();
  await browser.context.addInitScript((types: string[]) => {
    const w = window as unknown as { probeEvents: { type: string; detail: unknown }[] };
    w.probeEvents = [];
    for (const type of types)
      window.addEventListener(type, (e) => w.probeEvents.push({ type, detail: (e as CustomEvent).detail }));
  }, EVENTS);
  await browser.page.goto(`${server.url}/?endpoint=${encodeURIComponent(server.url)}&model=${TINY_ID}#bias`);
  await loadFrom(browser.page, TINY_ID);
  await waitForLoaderState(browser.page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const page = () => browser.page;
const probe = () => page().locator('clip-bias-probe');
const evaluator = () => page().locator('clip-dataset-eval');
const events = (type: string): Promise<any[]> =>
  page().evaluate((t) => (window as any).probeEvents.filter((e: any) => e.type === t).map((e: any) => e.detail), type);

/** The first `type` event after the first `after` ones that passes `test`. */
async function nextEvent(type: string, after: number, test: (d: any) => boolean = () => true): Promise<any> {
  let found: any;
  await expect
    .poll(
      async () => {
        found = (await events(type)).slice(after).find(test);
        return found !== undefined;
      },
      { timeout: 120_000, interval: 100 },
    )
    .toBe(true);
  return found;
}

/** Types into a text field, then waits out the element's typing debounce. */
async function fill(host: () => ReturnType<typeof probe>, selector: string, text: string) {
  await host().locator(selector).fill(text);
  await page().waitForTimeout(400);
}

function expectClose(actual: number[], wanted: number[], atol: number, what: string) {
  const worst = Math.max(...actual.map((v, k) => Math.abs(v - wanted[k])));
  expect(worst, `${what}: max |diff| ${worst}`).toBeLessThanOrEqual(atol);
}

describe('<clip-bias-probe>', () => {
  it("two groups from folders: golden probabilities, counts and intervals, the seed's line under every thumbnail, the chart", async () => {
    expect(await page().locator('clip-playground [role="tab"][aria-selected="true"]').innerText()).toBe('Bias probe');
    expect(await probe().locator('[part="preset"]').inputValue()).toBe('doctor-nurse');
    await fill(probe, '[part="template"]', '{}');
    await fill(probe, '[part="labels"]', LABELS.join('\n'));
    expect(await probe().locator('[part="preset"]').inputValue()).toBe(''); // typed labels: custom
    const n = (await events('clip-bias-scored')).length;
    // A folder without a typed name: the folder names the group (and its .txt is skipped).
    await probe().locator('input#folder').setInputFiles(join(tmp, 'first'));
    await expect.poll(() => probe().locator('[part="skipped"]').innerText()).toContain('first/notes.txt');
    // Files with a typed name.
    await probe().locator('#group-name').fill('second');
    await probe()
      .locator('input#files')
      .setInputFiles([2, 3].map((i) => join(tmp, 'second', `img${i}.png`)));
    const d = await nextEvent(
      'clip-bias-scored',
      n,
      (x) => Object.keys(x.report.groups).length === 2 && x.templates[0] === '{}',
    );
    const r = d.report;
    expect(r.labels).toEqual(LABELS);
    expect(Object.keys(r.groups)).toEqual(['first', 'second']);
    expect(r.images.map((im: any) => [im.path, im.group])).toEqual([
      ['first/img0.png', 'first'],
      ['first/img1.png', 'first'],
      ['img2.png', 'second'],
      ['img3.png', 'second'],
    ]);
    const want = [0, 1, 2, 3].map((i) => softmax(cols.map((c) => g.logits_per_image[i][c])));
    r.images.forEach((im: any, i: number) => {
      expectClose(
        LABELS.map((l) => im.probs[l]),
        want[i],
        1e-4,
        `image ${i}`,
      );
      expect(im.top).toBe(LABELS[argmax(want[i])]);
    });
    for (const [name, idx] of [
      ['first', [0, 1]],
      ['second', [2, 3]],
    ] as const) {
      LABELS.forEach((l, j) => {
        const k = idx.filter((i) => argmax(want[i]) === j).length;
        expect(r.groups[name].counts[l]).toBe(k);
        expect(r.groups[name].rates[l]).toBe(k / 2);
        expect(r.groups[name].ci[l]).toEqual(wilsonInterval(k, 2));
      });
    }
    expect(d.encodedImages).toBe(4);
    // Every thumbnail has its "Top predictions" line, as the seed printed it.
    // (textContent: cells off screen are not rendered, content-visibility: auto, so they have no innerText.)
    const lines = await probe().locator('[part~="top-predictions"]').allTextContents();
    expect(lines).toEqual(
      r.images.map((im: any) =>
        topPredictions(
          LABELS,
          LABELS.map((l) => im.probs[l]),
        ),
      ),
    );
    expect(await probe().locator('[part~="cell"] img').count()).toBe(4);
    // The chart: a bar per label and group, each with a whisker and its caps.
    expect(await probe().locator('svg .bar').count()).toBe(12);
    expect(await probe().locator('svg .bar .whisker').count()).toBe(36);
    // Few labels still fill the card (the walkthrough saw a 150 px chart in a 1,200 px card).
    const chartWidth = (await probe().locator('svg.chart').boundingBox())!.width;
    const scrollWidth = (await probe().locator('.chart-scroll').boundingBox())!.width;
    expect(chartWidth).toBeGreaterThan(Math.min(600, 0.6 * scrollWidth));
    expect(
      await probe().locator('svg .bar[data-group="second"][data-label="a green square"] title').textContent(),
    ).toBe('second · a green square: 2/2 = 100.0% (95% CI 34.2%–100.0%)');
    expect(await probe().locator('[part="progress"]').count()).toBe(0);
    // Each group was encoded as it came (0/2 ... 2/2), and the bar is gone.
    expect((await events('clip-bias-progress')).at(-1)).toEqual({ done: 2, total: 2, cached: 0 });
  });

  it('a preset and a new template re-score at once, without encoding any image again', async () => {
    const progress = (await events('clip-bias-progress')).length;
    let n = (await events('clip-bias-scored')).length;
    await probe().locator('[part="preset"]').selectOption('victim-criminal');
    const a = await nextEvent('clip-bias-scored', n, (x) => x.report.labels[0] === 'Victim');
    expect(a.report.labels).toEqual(['Victim', 'Criminal']);
    expect(await probe().locator('[part="labels"]').inputValue()).toBe('Victim\nCriminal');
    expect(a.encodedImages).toBe(4);
    n = (await events('clip-bias-scored')).length;
    await fill(probe, '[part="template"]', 'a photo of a {}.');
    const b = await nextEvent('clip-bias-scored', n, (x) => x.templates[0] === 'a photo of a {}.');
    expect(b.encodedImages).toBe(4);
    expect((await events('clip-bias-progress')).length).toBe(progress);
    for (const name of ['first', 'second']) {
      const counts = Object.values(b.report.groups[name].counts) as number[];
      expect(counts.reduce((s, k) => s + k, 0)).toBe(2);
    }
    const line = await probe().locator('[part~="top-predictions"]').first().textContent();
    expect(line).toMatch(/^Top predictions: (Victim|Criminal): \d+\.\d\d% (Victim|Criminal): \d+\.\d\d%$/);
  });

  it('exports the per-image CSV and the JSON document', async () => {
    const [csv] = await Promise.all([page().waitForEvent('download'), probe().locator('[part="export-csv"]').click()]);
    expect(csv.suggestedFilename()).toBe('bias-probe.csv');
    const rows = readFileSync(await csv.path(), 'utf8').split('\r\n');
    expect(rows[0]).toBe('path,group,top,Victim,Criminal,top_predictions');
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatch(/^first\/img0\.png,first,(Victim|Criminal),[\d.e-]+,[\d.e-]+,Top predictions: /);
    const [json] = await Promise.all([
      page().waitForEvent('download'),
      probe().locator('[part="export-json"]').click(),
    ]);
    const doc = JSON.parse(readFileSync(await json.path(), 'utf8'));
    expect(Object.keys(doc)).toEqual(['labels', 'groups', 'disparity', 'images']);
    expect(Object.keys(doc.disparity)).toEqual(['Victim', 'Criminal']);
    await page().screenshot({ path: `${SHOTS}/bias-probe-laptop.png`, fullPage: true });
  });

  it('says so when loose files have no group name', async () => {
    await probe()
      .locator('input#files')
      .setInputFiles([join(tmp, 'second', 'img2.png')]);
    await expect
      .poll(() => probe().locator('[part="error"]').innerText())
      .toContain('Name the group for these files first');
    expect(await probe().locator('[part~="group"]').count()).toBe(2);
  });
});

describe('<clip-dataset-eval>', () => {
  it("a labelled folder of the tiny images: the goldens' confusion matrix, accuracy, the heatmap; a new template re-scores only", async () => {
    // Each image under the prompt it scores highest on, and image 1 also under one it does not.
    const data = join(tmp, 'dataset');
    const placed: [number, number][] = [0, 1, 2, 3].map((i) => [
      i,
      cols[argmax(cols.map((c) => g.logits_per_image[i][c]))],
    ]);
    placed.push([1, 2]);
    placed.forEach(([i, c], k) => {
      mkdirSync(join(data, g.prompts[c]), { recursive: true });
      copyFileSync(TINY_IMAGES[i], join(data, g.prompts[c], `img${i}-${k}.png`));
    });
    await page().locator('clip-playground [role="tab"]', { hasText: 'Evaluate' }).click();
    await fill(evaluator, '[part="template"]', '{}');
    const n = (await events('clip-dataset-evaluated')).length;
    await evaluator().locator('input#folder').setInputFiles(data);
    const d = await nextEvent('clip-dataset-evaluated', n);
    const e = d.result;
    // Folders without images do not reach a page: the classes are the three used.
    const classes = [...new Set(placed.map(([, c]) => g.prompts[c]))].sort();
    expect(e.classes).toEqual(classes);
    const colOf = classes.map((name) => g.prompts.indexOf(name));
    const confusion = classes.map(() => new Array(classes.length).fill(0));
    for (const [i, c] of placed) confusion[colOf.indexOf(c)][argmax(colOf.map((col) => g.logits_per_image[i][col]))]++;
    expect(e.confusion).toEqual(confusion);
    expect(e.accuracy).toBe(0.8);
    expect(e.top5).toBe(1); // top-3 of 3 classes
    expect(e.per_class['a green square']).toEqual({ n: 3, correct: 3, accuracy: 1 });
    expect(d.encodedImages).toBe(4); // image 1 twice: one encode
    expect(await evaluator().locator('[part="top1"]').innerText()).toBe('80.0%');
    expect(await evaluator().locator('[part="topk"]').innerText()).toBe('100.0%');
    const cells = await evaluator()
      .locator('[part~="cell"]')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))));
    expect(cells).toEqual(confusion.flat());
    expect(await evaluator().locator('[part="summary"]').innerText()).toBe('dataset: 5 images in 3 classes');

    const m = (await events('clip-dataset-evaluated')).length;
    await fill(evaluator, '[part="template"]', 'a picture: {}');
    const again = await nextEvent('clip-dataset-evaluated', m);
    expect(again.encodedImages).toBe(4);
    expect(again.result.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(5);

    const [csv] = await Promise.all([
      page().waitForEvent('download'),
      evaluator().locator('[part="export-csv"]').click(),
    ]);
    expect(readFileSync(await csv.path(), 'utf8').split('\r\n')[0]).toBe(
      `path,truth,prediction,truth_rank,${classes.join(',')}`,
    );
    await page().screenshot({ path: `${SHOTS}/dataset-eval-laptop.png`, fullPage: true });
    expect(await events('clip-error')).toEqual([{ code: 'input', message: expect.stringContaining('Name the group') }]);
    expect(browser.errors).toEqual([]);
  });
});
