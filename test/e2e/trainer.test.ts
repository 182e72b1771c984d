/**
 * The Train tab (<clip-trainer>) in the `npm run dev` playground: a tiny world generated in the page,
 * a few steps from CLIP's init of the tiny config (the fixture's sizes), the loss curve and the
 * similarity matrix updating, stop and resume (the loss of every step exactly once), the checkpoint
 * zip read back by ClipModel.load in Node with the page's embeddings, the trained model used by the
 * classifier, the messages for bad data, and a screenshot.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipModel } from '../../src/node/index.ts';
import { TINY_IMAGES } from '../helpers/fixtures.ts';
import { gpu } from '../helpers/gpu.ts';
import { measured } from '../helpers/measurements.ts';
import { dropFiles } from './helpers/page.ts';
import { usePlayground } from './helpers/playground.ts';
import { TINY_ID } from './helpers/server.ts';

const SHOTS = 'test-results/screenshots';
const EVENTS = ['clip-train-step', 'clip-train-eval', 'clip-train-state', 'clip-checkpoint-downloaded', 'clip-error'];
const pg = usePlayground('train', 'trainEvents', EVENTS);
const page = () => pg.browser.page;
const trainer = () => page().locator('clip-trainer');
const STEPS = 6;
const tmp = mkdtempSync(join(tmpdir(), 'clip-e2e-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Recorded {
  type: string;
  detail: any;
}
const events = (type: string): Promise<Recorded[]> =>
  page().evaluate((t) => (window as any).trainEvents.filter((e: Recorded) => e.type === t), type);
/** Waits until `n` training steps have been reported. */
const waitForSteps = (n: number, timeout = 240_000) =>
  page().waitForFunction(
    (n) => (window as any).trainEvents.filter((e: Recorded) => e.type === 'clip-train-step').length >= n,
    n,
    { timeout, polling: 100 },
  );
const lossPoints = () =>
  trainer()
    .locator('[part="loss-chart"] polyline')
    .evaluate((p) => p.getAttribute('points')!.trim().split(/\s+/).length)
    .catch(() => 0);

/** A store-mode zip's entries (what the trainer writes), each checked against its CRC-32. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    expect(buf.readUInt16LE(at + 10)).toBe(0); // stored
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    expect(crc(data), name).toBe(buf.readUInt32LE(at + 16));
    out.set(name, data);
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return out;
}

const PROMPTS = ['a red circle', 'two blue squares', 'a star'];

describe('<clip-trainer>', () => {
  it('trains a tiny world from CLIP init: loss curve and similarity matrix live, stop, resume', async () => {
    await trainer().evaluate((el: any) =>
      Object.assign(el, { scenes: 16, seed: 3, batchSize: 4, lr: 2e-3, warmup: 1, evalEvery: 3, evalScenes: 10 }),
    );
    const stepsInput = trainer().getByRole('spinbutton', { name: 'Steps', exact: true });
    await stepsInput.fill(String(STEPS));
    await stepsInput.dispatchEvent('change');
    await trainer().locator('input[name="start"]').nth(1).check(); // from CLIP's random init (tiny config)
    expect(await trainer().evaluate((el: any) => [el.steps, el.start, el.scratchConfig])).toEqual([
      STEPS,
      'scratch',
      'tiny',
    ]);

    // Main-thread stalls while it trains: how late a 50 ms timer fires (measured, not asserted; the
    // page yields between steps). Timers, not animation frames: a CPU adapter's shader compiles in
    // the GPU process delay frames without blocking the page.
    await page().evaluate(() => {
      const w = window as any;
      w.timerLate = [];
      let due = performance.now() + 50;
      w.timer = setInterval(() => {
        const now = performance.now();
        w.timerLate.push(now - due);
        due = now + 50;
      }, 50);
    });
    await trainer().locator('[part~="train-button"]').click();
    await waitForSteps(2);
    await trainer().locator('[part~="stop-button"]').click();
    await page().locator('clip-trainer[state="stopped"]').waitFor({ state: 'attached', timeout: 120_000 });
    const stoppedAt = (await events('clip-train-step')).length;
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(stoppedAt).toBeLessThan(STEPS);
    expect(await lossPoints()).toBe(stoppedAt);
    // The matrix: 4 × 4 cosines of the last batch, the pairs on the diagonal, a thumbnail per row.
    const cells = trainer().locator('[part="similarity"] td');
    expect(await cells.count()).toBe(16);
    expect(await trainer().locator('[part="similarity"] td.diag').count()).toBe(4);
    expect(await trainer().locator('[part="similarity"] img.thumb').count()).toBe(4);
    const cos = (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-cos'))))) as number[];
    expect(cos.every((c) => Math.abs(c) <= 1.0001)).toBe(true);
    const captions = await trainer().locator('[part="similarity"] th.caption').allInnerTexts();
    expect(captions).toHaveLength(4);

    await trainer().locator('[part~="resume-button"]').click();
    await page().locator('clip-trainer[state="finished"]').waitFor({ state: 'attached', timeout: 240_000 });
    const steps = (await events('clip-train-step')).map((e) => e.detail);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]); // resumed where it stopped, no step twice
    expect(steps.every((s) => Number.isFinite(s.loss) && s.imagesPerSecond > 0 && s.steps === STEPS)).toBe(true);
    expect(await lossPoints()).toBe(STEPS);
    expect((await events('clip-train-eval')).map((e) => e.detail.step)).toEqual([0, 3, 6]);
    expect((await events('clip-train-state')).map((e) => e.detail.state)).toEqual([
      'preparing',
      'running',
      'stopped',
      'running',
      'finished',
    ]);
    expect(await trainer().locator('[part="status"]').innerText()).toContain(`${STEPS}/${STEPS}`);
    const late = (await page().evaluate(() => {
      clearInterval((window as any).timer);
      return (window as any).timerLate;
    })) as number[];
    late.sort((a, b) => a - b);
    measured(
      `50 ms timer while training: ${late.length} ticks, late by median ${late[late.length >> 1]?.toFixed(1)} ms, 95th ${late[Math.floor(late.length * 0.95)]?.toFixed(1)} ms, max ${late.at(-1)?.toFixed(1)} ms, over 300 ms ${late.filter((x) => x > 300).length}`,
    );
    measured(
      `losses ${steps.map((s) => s.loss.toFixed(4)).join(' ')}; images/s ${steps.map((s) => s.imagesPerSecond.toFixed(1)).join(' ')}`,
    );
    mkdirSync(SHOTS, { recursive: true });
    await trainer().screenshot({ path: `${SHOTS}/train-laptop.png` });
    expect(pg.browser.errors).toEqual([]);
  });

  it('downloads a checkpoint that ClipModel.load reads back, and the other tabs use the trained model', async () => {
    const [dl] = await Promise.all([
      page().waitForEvent('download'),
      trainer().locator('[part~="download-button"]').click(),
    ]);
    expect(dl.suggestedFilename()).toBe(`clip-tiny-trained-step-${STEPS}.zip`);
    const zipPath = join(tmp, dl.suggestedFilename());
    await dl.saveAs(zipPath);
    const entries = unzip(readFileSync(zipPath));
    const folder = `clip-tiny-trained-step-${STEPS}`;
    expect([...entries.keys()].sort()).toEqual(
      ['config.json', 'merges.txt', 'model.safetensors', 'optimizer.safetensors', 'trainer.json', 'vocab.json'].map(
        (f) => `${folder}/${f}`,
      ),
    );
    for (const [name, data] of entries) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), data);
    }
    const record = JSON.parse(entries.get(`${folder}/trainer.json`)!.toString());
    expect([record.step, record.lock]).toEqual([STEPS, undefined]); // nothing locked (the Lock menu's default)

    // "Use in other tabs": the page's model is the trained one.
    await trainer().locator('[part~="use-button"]').click();
    await page()
      .locator('clip-playground [part~="model-chip"]', { hasText: `${folder}` })
      .waitFor({ timeout: 60_000 });
    const inPage = (await page().evaluate(async (prompts) => {
      const m = (document.querySelector('clip-playground') as any).model;
      return (await m.encodeText(prompts)).map((e: Float32Array) => Array.from(e));
    }, PROMPTS)) as number[][];

    const model = await ClipModel.load(join(tmp, folder), { gpu: await gpu('gles'), precompile: false });
    try {
      const inNode = await model.encodeText(PROMPTS);
      const d = Math.max(...inNode.flatMap((e, i) => Array.from(e, (v, k) => Math.abs(v - inPage[i][k]))));
      measured(`checkpoint in Node (llvmpipe) vs the page's trained model (Chromium): text embeddings max |diff| ${d}`);
      expect(d).toBeLessThanOrEqual(1e-4);

      // The classifier now scores with the trained model.
      await page().locator('clip-playground #tab-classify').click();
      const labels = ['a red circle', 'a blue square', 'a green star'];
      const img = `/${TINY_ID}/resolve/main/images/img0.png`;
      const result = (await page().evaluate(
        async ([labels, img]) => {
          const c = document.querySelector('clip-playground')!.shadowRoot!.querySelector('clip-classifier') as any;
          c.labels = labels;
          c.image = img;
          await c.settled();
          return { probs: Array.from(c.result.probs as Float32Array), template: c.template, model: c.model.name };
        },
        [labels, img] as const,
      )) as { probs: number[]; template: string; model: string };
      expect(result.model).toBe(folder);
      const want = await model.classify(readFileSync(TINY_IMAGES[0]), labels, { templates: [result.template] });
      const dp = Math.max(...result.probs.map((p, i) => Math.abs(p - want.probs[i])));
      measured(`classifier with the trained model vs Node: probs max |diff| ${dp}`);
      expect(dp).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
    }
    expect((await events('clip-checkpoint-downloaded')).map((e) => e.detail.step)).toEqual([STEPS]);
  });

  it('locks a tower (LiT) from the Lock menu: the trainer runs with it and the checkpoint records it', async () => {
    await page().locator('clip-playground #tab-train').click();
    await trainer().evaluate((el: any) =>
      Object.assign(el, {
        scenes: 8,
        seed: 4,
        batchSize: 4,
        steps: 1,
        lr: 2e-3,
        warmup: 0,
        evalEvery: 0,
        evalScenes: 4,
      }),
    );
    await trainer().locator('input[name="start"]').nth(1).check();
    await trainer().locator('[part="lock"]').selectOption('image');
    expect(await trainer().getAttribute('lock')).toBe('image');
    const before = (await events('clip-train-state')).length;
    await trainer().locator('[part~="train-button"]').click();
    await page().waitForFunction(
      (n) => {
        const states = (window as any).trainEvents.filter((e: any) => e.type === 'clip-train-state');
        return states.length > n && states.at(-1).detail.state === 'finished';
      },
      before,
      { timeout: 240_000, polling: 200 },
    );
    // The session's trainer holds the lock (test/train/lock.test.ts checks what a lock keeps fixed).
    expect(await trainer().evaluate((el: any) => el.session.trainer.lock)).toEqual(['image']);
    const files = await trainer().evaluate(async (el: any) =>
      (await el.checkpoint())
        .filter((f: any) => f.name === 'trainer.json')
        .map((f: any) => new TextDecoder().decode(f.bytes)),
    );
    expect(JSON.parse(files[0]).lock).toEqual(['image']);
    await trainer().locator('[part="lock"]').selectOption('none');
  });

  it('says what is wrong with dropped data', async () => {
    await page().locator('clip-playground #tab-train').click();
    const drop = trainer().locator('[part~="drop-zone"]');
    const errorText = () => trainer().locator('[part="error"]').innerText();
    await dropFiles(drop, [{ name: '0001.png', type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img0.png` }]);
    await expect.poll(errorText).toMatch(/0001\.png.*no caption file "0001\.txt"/);
    await dropFiles(drop, [{ name: 'captions.csv', type: 'text/csv', text: 'path\tcaption\nimg0.png\ta cat\n' }]);
    await expect
      .poll(errorText)
      .toMatch(/captions\.csv has no image column "filepath"; its columns are "path", "caption"/);
    await dropFiles(drop, [
      { name: 'captions.csv', type: 'text/csv', text: 'filepath\ttitle\nimg9.png\ta cat\n' },
      { name: 'img0.png', type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img0.png` },
    ]);
    await expect.poll(errorText).toMatch(/captions\.csv row 2: image "img9\.png" is not among the dropped files/);
    await dropFiles(drop, [
      {
        name: 'captions.csv',
        type: 'text/csv',
        text: 'filepath\ttitle\nimg0.png\ta red circle\nimg1.png\ta blue square\n',
      },
      { name: 'img0.png', type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img0.png` },
      { name: 'img1.png', type: 'image/png', url: `/${TINY_ID}/resolve/main/images/img1.png` },
    ]);
    await expect.poll(() => trainer().locator('[part="data-summary"]').innerText()).toContain('captions.csv: 2 pairs');
    expect(await trainer().locator('[part="error"]').count()).toBe(0);
    const codes = (await events('clip-error')).map((e) => e.detail.code);
    expect(codes).toEqual(['input', 'input', 'input']);
  });
});
