/**
 * <clip-benchmark> in the `npm run dev` playground (tab "Benchmark") with the tiny model, in
 * Chromium's WebGPU (SwiftShader): the kernel benchmark on the tiny tower shapes runs on the loaded
 * model's device, every case validates, the table and the done event agree, the end-to-end numbers
 * of the tiny model are there, the JSON/Markdown downloads are the report, the legend names a colour per version and
 * the tower cards fit; screenshots on a laptop and a phone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TINY_SHAPES } from '../../src/bench/shapes.ts';
import type { BenchReport } from '../../src/bench/report.ts';
import { usePlayground } from './helpers/playground.ts';

const SHOTS = 'test-results/screenshots';
const EVENTS = ['clip-bench-progress', 'clip-bench-done', 'clip-error'];
const pg = usePlayground('bench', 'benchEvents', EVENTS);

const page = () => pg.browser.page;
const el = () => page().locator('clip-benchmark');
const events = (type: string): Promise<any[]> =>
  page().evaluate((t) => (window as any).benchEvents.filter((e: any) => e.type === t).map((e: any) => e.detail), type);

let report: BenchReport;

describe('<clip-benchmark>', () => {
  it('benchmarks every kernel version on the tiny shapes, on the model’s device, and fires clip-bench-done', async () => {
    expect(await page().locator('clip-playground [role="tab"][aria-selected="true"]').innerText()).toBe('Benchmark');
    // The quick set (B/32) is checked by default; switch to the tiny shapes through the checkboxes.
    for (const id of ['b32-vision-b1', 'b32-text-b1']) {
      expect(await el().locator(`input[name="shape"][value="${id}"]`).isChecked()).toBe(true);
      await el().locator(`input[name="shape"][value="${id}"]`).uncheck();
    }
    for (const s of TINY_SHAPES) await el().locator(`input[name="shape"][value="${s.id}"]`).check();
    expect(await el().evaluate((x: any) => x.shapes)).toEqual(TINY_SHAPES.map((s) => s.id));
    await el().locator('[part="samples"]').fill('2');
    await el().locator('[part="samples"]').dispatchEvent('change');
    await el().locator('[part="image-batch"]').fill('2');
    await el().locator('[part="image-batch"]').dispatchEvent('change');
    await el().locator('[part="text-batch"]').fill('3');
    await el().locator('[part="text-batch"]').dispatchEvent('change');
    const buffersBefore: number = await el().evaluate((x: any) => x.model.gpuStats.buffersCreated);

    await el().locator('[part="run-button"]').click();
    await el().locator('[part="stop-button"]').waitFor({ timeout: 10_000 });
    await page().waitForFunction(
      () => (window as any).benchEvents.some((e: any) => e.type === 'clip-bench-done' || e.type === 'clip-error'),
      null,
      { timeout: 300_000, polling: 250 },
    );
    expect(await events('clip-error')).toEqual([]);
    [report] = await events('clip-bench-done');

    // Progress went through the phases in order: end to end, peak probes, kernels.
    const phases = (await events('clip-bench-progress')).map((p) => p.phase);
    expect(phases[0]).toBe('e2e');
    expect(phases.indexOf('peak')).toBeGreaterThan(phases.lastIndexOf('e2e'));
    expect(phases.at(-1)).toBe('kernels');
    expect(await el().getAttribute('running')).toBeNull();

    // The report: every case valid and timed, on the model's adapter (the model's own device: its
    // runtime counted the benchmark's buffers).
    expect(report.kernels.length).toBeGreaterThan(10);
    for (const k of report.kernels) {
      expect(k.valid, `${k.op} ${k.version} ${k.shape}: ${k.error}`).toBe(true);
      expect(k.ms).toBeGreaterThan(0);
      expect(k.gbps).toBeGreaterThan(0);
      expect(k.samples).toBeGreaterThanOrEqual(2);
    }
    // Every op of the tiny towers, and the refinement of maps (PAMR) at the vision tower's image size.
    const grouped = report.kernels.filter((k) => k.group);
    const outside = report.kernels.filter((k) => !k.group);
    expect(new Set(grouped.map((k) => k.group))).toEqual(new Set(TINY_SHAPES.map((s) => s.id)));
    expect(outside.map((k) => `${k.op} ${k.role}`)).toEqual(
      expect.arrayContaining(['pamr-affinity refine', 'pamr-step refine']),
    );
    expect(outside.every((k) => k.role === 'refine')).toBe(true);
    expect(report.peak!.gflops).toBeGreaterThan(0);
    expect(report.adapter.isCpu).toBe(true);
    expect(report.breakdown.map((b) => b.group).sort()).toEqual(TINY_SHAPES.map((s) => s.id).sort());
    expect(await el().evaluate((x: any) => x.model.gpuStats.buffersCreated)).toBeGreaterThan(buffersBefore);
    expect(report.environment.model).toBe(await el().evaluate((x: any) => x.model.name));
    // End to end on the tiny model: image batch 1, a batch of 2, 3 prompts.
    expect(report.e2e!.image_ms).toBeGreaterThan(0);
    expect(report.e2e!.image_batch).toBe(2);
    expect(report.e2e!.image_batch_ms).toBeGreaterThan(0);
    expect(report.e2e!.text_batch).toBe(3);
    expect(report.e2e!.text_prompts_per_s).toBeGreaterThan(0);
    expect(report.peer).toBeNull();

    // The table shows one row per case, none invalid; the fastest version per op, shape and place is marked.
    const rows = el().locator('[part="kernels"] table[part="table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(report.kernels.length);
    expect(await el().locator('[part="kernels"] tr[data-valid="false"]').count()).toBe(0);
    expect(await el().locator('[part="kernels"] td.bad').count()).toBe(0);
    const first = await rows.first().locator('td').allInnerTexts();
    expect(first.slice(0, 3)).toEqual([report.kernels[0].op, report.kernels[0].version, report.kernels[0].shape]);
    expect(Number(first[4])).toBeGreaterThan(0); // ms
    const versioned = new Set(
      report.kernels.filter((k) => k.version !== 'v1').map((k) => `${k.op} ${k.shape} ${k.group} ${k.role}`),
    );
    if (versioned.size) expect(await el().locator('[part="kernels"] tr.best').count()).toBe(versioned.size);
    expect(await el().locator('[part="chart"] .chart-wide svg rect').count()).toBe(report.kernels.length);
    expect(await el().locator('[part="chart"] .chart-wide').isVisible()).toBe(true);
    expect(await el().locator('[part="chart"] .chart-narrow').isVisible()).toBe(false);
    expect(await el().locator('[part="tower"]').count()).toBe(TINY_SHAPES.length);
    // Each kernel version has its own colour, and the legend names them.
    const legend = await el().locator('[part="chart"] .chart-wide svg text.legend').allTextContents();
    const versions = [...new Set(report.kernels.map((k) => k.version))];
    expect(legend).toEqual(versions);
    const colours = await el()
      .locator('[part="chart"] .chart-wide svg rect')
      .evaluateAll((rs) => rs.slice(0, 99).map((r) => r.getAttribute('fill')));
    expect(new Set(colours).size).toBe(versions.length);
    // The forward-pass tables fit their cards: no column is cut off.
    for (const scroll of await el().locator('[part="tower"] .scroll').all()) {
      expect(await scroll.evaluate((x) => x.scrollWidth - x.clientWidth)).toBeLessThanOrEqual(1);
    }
    expect(await el().locator('[part="e2e-table"] tr').count()).toBe(2); // header + ours
    expect(await el().locator('[part="peer-link"]').getAttribute('href')).toBe(
      `bench/bench.html?shapes=${encodeURIComponent(TINY_SHAPES.map((s) => s.id).join(','))}`,
    );
  });

  it('downloads the report as JSON and Markdown', async () => {
    const [json] = await Promise.all([page().waitForEvent('download'), el().locator('[part="export-json"]').click()]);
    const doc = JSON.parse(readFileSync((await json.path())!, 'utf8')) as BenchReport;
    expect(json.suggestedFilename()).toBe('clip-webgpu-bench.json');
    expect(doc.kernels.map((k) => [k.op, k.version, k.shape, k.ms])).toEqual(
      report.kernels.map((k) => [k.op, k.version, k.shape, k.ms]),
    );
    const [md] = await Promise.all([page().waitForEvent('download'), el().locator('[part="export-markdown"]').click()]);
    const text = readFileSync((await md.path())!, 'utf8');
    expect(text).toMatch(/^Adapter: /);
    expect(text).toContain('| op | version | shape |');
    expect(text).toBe(await el().evaluate((x: any) => x.markdown));
  });

  it('keeps screenshots on a laptop and a phone', async () => {
    for (const [device, size] of [
      ['laptop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page().setViewportSize(size);
      await page().evaluate(() => window.scrollTo(0, 0));
      await page().waitForTimeout(300);
      await page().screenshot({ path: `${SHOTS}/bench-${device}.png`, fullPage: device === 'phone' });
      // The wide chart (labels in a column) on a laptop, the stacked one on a phone.
      expect(
        await el()
          .locator(`[part="chart"] .chart-${device === 'phone' ? 'narrow' : 'wide'}`)
          .isVisible(),
      ).toBe(true);
      if (device === 'laptop') {
        // The results: the kernels panel at the top of the window.
        await el()
          .locator('[part="kernels"]')
          .evaluate((x) => x.scrollIntoView());
        await page().screenshot({ path: `${SHOTS}/bench-laptop-results.png` });
      }
    }
    await page().setViewportSize({ width: 1280, height: 800 });
    expect(pg.browser.errors).toEqual([]);
  });
});
