/**
 * `clip-webgpu detect`: the golden patch similarity through the real bin, the text report, the PNG
 * with boxes, crop mode and the usage errors through `main()` in-process.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { cli, run } from '../helpers/cli.ts';
import { BOX_COLOURS } from '../../src/cli/detect.ts';
import { expectClose, flat } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

const textArgs = (texts: readonly string[]) => texts.flatMap((t) => ['--text', t]);

describe('clip-webgpu detect', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-detect-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json: patch_similarity of image 0 and the 8 golden prompts equals the golden (atol 2e-5), grid [4, 4]', async () => {
    const g = golden('f32');
    const r = await cli([
      'detect',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      ...textArgs(g.prompts),
      '--truncate',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['grid', 'patch_similarity', 'boxes']);
    expect(doc.grid).toEqual([4, 4]);
    expect(doc.patch_similarity.map((row: number[]) => row.length)).toEqual(new Array(16).fill(8));
    expectClose(flat(doc.patch_similarity), flat(g.patch_similarity_image0), 2e-5, 'patch_similarity');
    expect(doc.boxes.length).toBeGreaterThanOrEqual(8);
    for (const b of doc.boxes) {
      expect(Object.keys(b)).toEqual(['query', 'score', 'x', 'y', 'w', 'h']);
      expect(g.prompts).toContain(b.query);
      expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= 64 && b.y + b.h <= 64 && b.w > 0 && b.h > 0).toBe(true);
    }
  });

  it('text report and --out: a PNG of the image with the boxes in their query colours', async () => {
    const out = join(tmp, 'boxes.png');
    const r = await run([
      'detect',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[2],
      '--text',
      'dog',
      '--text',
      'cat',
      '--template',
      'a photo of a {}.',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^img2\.png \(64x64\) {2}.*mode patches, 4x4 patch grid/);
    expect(r.stdout).toMatch(/#\s+query\s+score\s+x\s+y\s+w\s+h/);
    expect(r.stdout).toContain('"dog"  (threshold');
    expect(r.stdout).toContain('colour red');
    expect(r.stdout).toContain(`wrote ${out}`);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([64, 64]);
    // The same boxes as --json; each box's top-left pixel has a box colour, the last box drawn its own.
    const j = await run([
      'detect',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[2],
      '--text',
      'dog',
      '--text',
      'cat',
      '--template',
      'a photo of a {}.',
      '--json',
    ]);
    const boxes = JSON.parse(j.stdout).boxes as { query: string; x: number; y: number }[];
    expect(boxes.length).toBeGreaterThan(0);
    const pixel = (b: { x: number; y: number }) =>
      Array.from(
        png.data.subarray(
          (Math.round(b.y) * 64 + Math.round(b.x)) * 4,
          (Math.round(b.y) * 64 + Math.round(b.x)) * 4 + 3,
        ),
      ).join(',');
    const palette = BOX_COLOURS.slice(0, 2).map((c) => c.join(','));
    for (const b of boxes) expect(palette).toContain(pixel(b));
    const last = boxes[boxes.length - 1];
    expect(pixel(last)).toBe(palette[['dog', 'cat'].indexOf(last.query)]);
  });

  it('--mode values, legrad and crops (--crop-grid, --overlap, --threshold)', async () => {
    // One query ("a dog") on tiny image 1 in the given mode.
    const dog = (...more: string[]) =>
      run(['detect', '--model', TINY, '--image', TINY_IMAGES[1], '--text', 'a dog', ...more]);
    const v = await dog('--mode', 'values', '--json');
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).grid).toEqual([4, 4]);
    const l = await dog('--mode', 'legrad');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toMatch(/mode legrad, 4x4 patch grid, the legrad map of each query\n/);
    const r = await dog('--mode', 'relevance', '--refine');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /the relevance map of each query; boxes on the maps refined by the image \(PAMR, 10 steps\)/,
    );
    const c = await run([
      'detect',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[1],
      '--text',
      'a dog',
      '--text',
      'a cat',
      '--mode',
      'crops',
      '--crop-grid',
      '2',
      '--overlap',
      '--threshold',
      '0',
      '--json',
    ]);
    expect(c.code, c.stderr).toBe(0);
    const doc = JSON.parse(c.stdout);
    expect(doc.grid).toEqual([2, 2]);
    expect(doc.patch_similarity.length).toBe(4);
    for (const row of doc.patch_similarity) for (const p of row) expect(p >= 0 && p <= 1).toBe(true);
    // Threshold 0: every cell belongs to the one region of each query, the whole image.
    expect(doc.boxes.map((b: any) => [b.query, b.x, b.y, b.w, b.h])).toEqual([
      ['a dog', 0, 0, 64, 64],
      ['a cat', 0, 0, 64, 64],
    ]);
  });

  it('bad command lines exit 2 with one line naming the problem', async () => {
    const base = ['detect', '--model', TINY, '--image', TINY_IMAGES[0]];
    const cases: [string[], RegExp][] = [
      [[...base], /needs at least one --text/],
      [['detect', '--model', TINY, '--text', 'dog'], /needs --image/],
      [
        [...base, '--text', 'dog', '--mode', 'boxes'],
        /--mode must be one of patches, values, sclip, clearclip, naclip, gradcam, gradcam\+\+, relevance, legrad, surgery, crops/,
      ],
      [[...base, '--text', 'dog', '--template', 'a photo'], /has no \{\}/],
      [[...base, '--text', 'dog', '--crop-grid', '3'], /apply to --mode crops/],
      [[...base, '--text', 'dog', '--mode', 'crops', '--refine'], /--refine applies to the map modes/],
      [[...base, '--text', 'dog', '--threshold', 'high'], /--threshold must be a number/],
      [[...base, '--text', ' ', '--template', '{}'], /--text number 1 is empty/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
