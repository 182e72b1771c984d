/**
 * `clip-webgpu segment`: the JSON document (logits equal the library's, raw = the golden), the text
 * report, the mask PNG, and clear one-line errors (empty labels, a non-image, an unknown method),
 * all through `main()` in-process.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { BOX_COLOURS } from '../../src/cli/detect.ts';
import { expectClose, flat } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

describe('clip-webgpu segment', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-segment-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const base = ['segment', '--model', TINY, '--image', TINY_IMAGES[0], '--adapter', 'gles'];

  it('--json --method raw: labels, grid, logits [label][row][col] = the patch-similarity golden, mask [y][x]', async () => {
    const g = golden('f32');
    const doc = parseJson(
      await run([
        ...base,
        '--label',
        g.prompts[0],
        '--label',
        g.prompts[3],
        '--template',
        '{}',
        '--method',
        'raw',
        '--json',
      ]),
    );
    expect(Object.keys(doc)).toEqual(['method', 'labels', 'grid', 'logits', 'mask', 'background']);
    expect(doc.method).toBe('raw');
    expect(doc.labels).toEqual([g.prompts[0], g.prompts[3]]);
    expect(doc.grid).toEqual([4, 4]);
    expect(doc.logits.map((m: number[][]) => m.map((r) => r.length))).toEqual([
      [4, 4, 4, 4],
      [4, 4, 4, 4],
    ]);
    const want = [0, 3].flatMap((q) => g.patch_similarity_image0.map((row) => row[q]));
    expectClose(flat(doc.logits), want, 2e-5, 'logits');
    expect(doc.mask.length).toBe(64);
    expect(doc.mask.every((r: number[]) => r.length === 64 && r.every((v) => v === 0 || v === 1))).toBe(true);
    expect(doc.background).toBeNull();
  });

  it('--labels a,b with --background and --out: a report with pixel shares and a PNG in the label colours', async () => {
    const out = join(tmp, 'mask.png');
    const r = await run([...base, '--labels', 'dog,cat', '--background', 'grass', '--method', 'sclip', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/img0\.png \(64x64\)/);
    expect(r.stdout).toMatch(/sclip, 4x4 grid, whole image/);
    expect(r.stdout).toMatch(/"dog"\s+red/);
    expect(r.stdout).toMatch(/background \("grass"\)\s+black/);
    expect(r.stdout).toMatch(/wrote .*mask\.png/);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([64, 64]);
    const colours = new Set<string>();
    for (let i = 0; i < 64 * 64; i++) colours.add(Array.from(png.data.subarray(i * 4, i * 4 + 3)).join(','));
    const allowed = new Set([BOX_COLOURS[0].join(','), BOX_COLOURS[1].join(','), '0,0,0']);
    for (const c of colours) expect(allowed.has(c)).toBe(true);
    // The same run as JSON: the mask behind the PNG.
    const doc = parseJson(
      await run([...base, '--labels', 'dog,cat', '--background', 'grass', '--method', 'sclip', '--json']),
    );
    expect(doc.background).toEqual({ label: 'grass' });
    for (let i = 0; i < 64 * 64; i++) {
      const v = doc.mask[Math.floor(i / 64)][i % 64];
      expect(Array.from(png.data.subarray(i * 4, i * 4 + 3)).join(',')).toBe(
        v < 0 ? '0,0,0' : BOX_COLOURS[v].join(','),
      );
    }
  });

  it('--window/--stride: sliding windows; --threshold', async () => {
    const doc = parseJson(
      await run([...base, '--labels', 'dog,cat', '--window', '32', '--stride', '16', '--threshold', '0.9', '--json']),
    );
    expect(doc.grid).toEqual([8, 8]);
    expect(doc.background).toEqual({ threshold: 0.9 });
  });

  it('--method relevance: one label is enough, --threshold is the share of the best map', async () => {
    const doc = parseJson(
      await run([...base, '--labels', 'dog', '--method', 'relevance', '--threshold', '0.3', '--json']),
    );
    expect(doc.method).toBe('relevance');
    expect(doc.relevance_share).toBe(0.3);
    expect(doc.background).toBeNull();
    const flat = doc.mask.flat();
    expect(flat).toContain(0);
    expect(flat).toContain(-1);
  });

  it('bad input: one line naming the problem', async () => {
    const notImage = join(tmp, 'not-an-image.png');
    writeFileSync(notImage, 'hello');
    expectOneLineError(await run(['segment', '--model', TINY, '--image', TINY_IMAGES[0]]), ['--labels']);
    expectOneLineError(await run([...base, '--labels', 'dog,,cat']), ['label number 2 is empty']);
    expectOneLineError(await run([...base, '--labels', ' ']), ['label number 1 is empty']);
    expectOneLineError(await run([...base, '--labels', 'dog', '--method', 'surgery']), ['surgery', 'naclip']);
    expectOneLineError(await run([...base, '--labels', 'dog', '--threshold', '0.5']), ['at least two labels']);
    expectOneLineError(await run([...base, '--labels', 'dog,cat', '--threshold', '2']), ['0..1']);
    expectOneLineError(await run([...base, '--labels', 'dog', '--background', 'x', '--threshold', '0.5']), [
      'not both',
    ]);
    expectOneLineError(await run([...base, '--labels', 'dog', '--stride', '8']), ['--stride needs --window']);
    expectOneLineError(await run([...base, '--labels', 'dog', '--window', '32', '--stride', '64']), ['1..32']);
    expectOneLineError(await run(['segment', '--model', TINY, '--image', notImage, '--labels', 'dog']), [notImage]);
    expectOneLineError(
      await run(['segment', '--model', TINY, '--image', resolve(tmp, 'missing.png'), '--labels', 'dog']),
      ['missing.png'],
    );
  });
});
