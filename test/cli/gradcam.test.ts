/**
 * `clip-webgpu gradcam`: the golden Grad-CAM through the real bin (--json), the other target and
 * pair, the text report, the --out overlay and the usage errors through `main()` in-process.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { cli, run } from '../helpers/cli.ts';
import { jet } from '../../src/model/explain/overlay.ts';
import { expectClose, flat } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

interface Pair {
  image: number;
  prompt: number;
  score: number;
  cam: number[][];
  cam_norm: number[][];
}

function checkDoc(stdout: string, pair: Pair, what: string): void {
  expect(stdout.trim().split('\n')).toHaveLength(1);
  const doc = JSON.parse(stdout);
  expect(Object.keys(doc)).toEqual(['score', 'cam', 'cam_norm', 'grid']);
  expect(doc.grid).toEqual([4, 4]);
  expect(doc.cam.map((r: number[]) => r.length)).toEqual([4, 4, 4, 4]);
  expect(Math.abs(doc.score - pair.score), `${what} score`).toBeLessThanOrEqual(2e-3);
  expectClose(flat(doc.cam), flat(pair.cam), 1e-4, `${what} cam`);
  expectClose(flat(doc.cam_norm), flat(pair.cam_norm), 1e-4, `${what} cam_norm`);
}

describe('clip-webgpu gradcam', () => {
  const g = golden('f32');
  const gc = g.gradcam as Record<'last_layer' | 'first_layer', { pairs: Pair[] }>;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-gradcam-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json through the bin: the golden last-layer Grad-CAM of (image 0, prompt 0)', async () => {
    const pair = gc.last_layer.pairs[0];
    const r = await cli([
      'gradcam',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[pair.image],
      '--text',
      g.prompts[pair.prompt],
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    checkDoc(r.stdout, pair, 'last_layer (0, 0)');
  });

  it('--layer 0 and --layer=-2 (the same layer of two): the golden first-layer Grad-CAM of (image 1, prompt 2)', async () => {
    const pair = gc.first_layer.pairs[1];
    for (const layer of [['--layer', '0'], ['--layer=-2']]) {
      const r = await run([
        'gradcam',
        '--model',
        TINY,
        '--image',
        TINY_IMAGES[pair.image],
        '--text',
        g.prompts[pair.prompt],
        ...layer,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      checkDoc(r.stdout, pair, `first_layer (1, 2) ${layer.join(' ')}`);
    }
  });

  it('text report and --out: the image with the jet-coloured map blended in', async () => {
    const out = join(tmp, 'heat.png');
    const r = await run([
      'gradcam',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      '--text',
      'a photo of a dog.',
      '--method',
      'relevance',
      '--out',
      out,
      '--opacity',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^img0\.png \(64x64\) {2}.*relevance on vision layer 1 \(layer_norm1\), 4x4 patch grid\n/);
    expect(r.stdout).toMatch(/score \d+\.\d{4} \(logits_per_image\) for "a photo of a dog\."/);
    expect(r.stdout).toContain(`wrote ${out}`);
    const rows = r.stdout.split('\n').filter((l) => /^ +[\d.]+( +[\d.]+){3}$/.test(l));
    expect(rows).toHaveLength(4);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([64, 64]);
    // Opacity 1: pure colour map. Pixel (0, 0) samples patch (0, 0) exactly (edges clamp).
    const j = await run([
      'gradcam',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      '--text',
      'a photo of a dog.',
      '--method',
      'relevance',
      '--json',
    ]);
    const camNorm = JSON.parse(j.stdout).cam_norm as number[][];
    expect(Array.from(png.data.subarray(0, 4))).toEqual([...jet(camNorm[0][0]), 255]);
    expect(Array.from(png.data.subarray((63 * 64 + 63) * 4, (63 * 64 + 63) * 4 + 3))).toEqual(jet(camNorm[3][3]));
    expect(jet(0)).toEqual([0, 0, 128]);
    expect(jet(1)).toEqual([128, 0, 0]);
    // --refine-steps: the map refined by the image (PAMR), drawn per pixel; its patch means in the JSON.
    const refinedOut = join(tmp, 'heat-refined.png');
    const base = ['gradcam', '--model', TINY, '--image', TINY_IMAGES[0], '--text', 'a photo of a dog.'];
    const rj = await run([...base, '--method', 'relevance', '--refine-steps', '3', '--json']);
    const doc = JSON.parse(rj.stdout);
    expect(doc.cam_norm).toEqual(camNorm);
    expect(doc.refine_steps).toBe(3);
    expect(doc.refined_cells).toHaveLength(4);
    const rt = await run([...base, '--method', 'relevance', '--refine', '--out', refinedOut, '--opacity', '1']);
    expect(rt.code, rt.stderr).toBe(0);
    expect(rt.stdout).toMatch(/refined by the image \(PAMR, 10 steps\), mean per patch, normalized:/);
    const refinedPng = PNG.sync.read(readFileSync(refinedOut));
    expect(refinedPng.data).not.toEqual(png.data);
  });

  it('bad command lines exit 2 (one line); a layer the model lacks exits 1', async () => {
    const base = ['gradcam', '--model', TINY, '--image', TINY_IMAGES[0]];
    const cases: [string[], RegExp][] = [
      [[...base], /needs --text/],
      [['gradcam', '--model', TINY, '--text', 'dog'], /needs --image/],
      [[...base, '--text', 'dog', '--method', 'lime'], /--method must be one of gradcam, gradcam\+\+, relevance/],
      [[...base, '--text', 'dog', '--layer', 'last'], /--layer must be an integer/],
      [[...base, '--text', 'dog', '--layer', '-1'], /write --layer=VALUE/],
      [[...base, '--text', 'dog', '--opacity', '0.3'], /--opacity applies to --out/],
      [
        [...base, '--text', 'dog', '--out', join(tmp, 'x.png'), '--opacity', '2'],
        /--opacity must be a number between 0 and 1/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const r = await run([...base, '--text', 'dog', '--layer', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/layer must be an integer in -2\.\.1 \(the vision tower has 2 layers\), got 2/);
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/gradcam +Grad-CAM/);
  });
});
