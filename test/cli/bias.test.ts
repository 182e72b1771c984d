/**
 * `clip-webgpu bias` and `clip-webgpu eval`: the JSON documents through the real bin on folders of the
 * tiny fixture's images (probabilities = softmax of the golden logits; the goldens' confusion matrix),
 * the readable reports, --csv, and the bad inputs through `main()` in-process.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, run, type Result } from '../helpers/cli.ts';
import { argmax, ranking, wilsonInterval } from '../../src/model/bias/index.ts';
import { expectClose } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

/** Exit `code`, one "clip-webgpu: ..." line naming every `names`, nothing on stdout. */
function expectOneLineError(r: Result, names: (string | RegExp)[], code: number): void {
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^clip-webgpu: \S/);
  for (const n of names) {
    if (typeof n === 'string') expect(lines[0]).toContain(n);
    else expect(lines[0]).toMatch(n);
  }
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
}

function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

const labelArgs = (labels: readonly string[]) => labels.flatMap((l) => ['--label', l]);

describe('clip-webgpu bias / eval', () => {
  const g = golden('f32');
  const cols = [0, 1, 2, 3, 6, 7]; // not the empty prompt (4) nor the over-long one (5)
  const labels = cols.map((c) => g.prompts[c]);
  let tmp: string, first: string, second: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-bias-cli-'));
    first = join(tmp, 'first');
    second = join(tmp, 'second');
    mkdirSync(first);
    mkdirSync(second);
    copyFileSync(TINY_IMAGES[0], join(first, 'img0.png'));
    copyFileSync(TINY_IMAGES[1], join(first, 'img1.png'));
    copyFileSync(TINY_IMAGES[2], join(second, 'img2.png'));
    copyFileSync(TINY_IMAGES[3], join(second, 'img3.png'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('bias --json (the bin): the documented document, probabilities = softmax of the golden logits', async () => {
    const r = await cli([
      'bias',
      '--model',
      TINY,
      '--group',
      `first=${first}`,
      '--group',
      `second=${second}`,
      ...labelArgs(labels),
      '--template',
      '{}',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['labels', 'groups', 'disparity', 'images']);
    expect(doc.labels).toEqual(labels);
    expect(Object.keys(doc.groups)).toEqual(['first', 'second']);
    const want = [0, 1, 2, 3].map((i) => softmax(cols.map((c) => g.logits_per_image[i][c])));
    expect(doc.images.map((im: any) => [im.path, im.group])).toEqual([
      [join(first, 'img0.png'), 'first'],
      [join(first, 'img1.png'), 'first'],
      [join(second, 'img2.png'), 'second'],
      [join(second, 'img3.png'), 'second'],
    ]);
    doc.images.forEach((im: any, i: number) => {
      expect(Object.keys(im)).toEqual(['path', 'group', 'probs', 'top']);
      expect(Object.keys(im.probs)).toEqual(labels);
      expectClose(
        labels.map((l) => im.probs[l]),
        want[i],
        1e-4,
        `probs of image ${i}`,
      );
      expect(im.top).toBe(labels[argmax(want[i])]);
    });
    for (const [name, idx] of [
      ['first', [0, 1]],
      ['second', [2, 3]],
    ] as const) {
      const x = doc.groups[name];
      expect(Object.keys(x)).toEqual(['n', 'counts', 'rates', 'ci', 'mean_probs']);
      expect(x.n).toBe(2);
      labels.forEach((l, j) => {
        const k = idx.filter((i) => argmax(want[i]) === j).length;
        expect(x.counts[l], `${name} ${l}`).toBe(k);
        expect(x.rates[l]).toBe(k / 2);
        expect(x.ci[l]).toEqual(wilsonInterval(k, 2));
        expect(x.mean_probs[l]).toBeCloseTo((want[idx[0]][j] + want[idx[1]][j]) / 2, 4);
      });
    }
    // "a green square": first 1/2, second 2/2 -> ratio 2, MaxSkew ln(1 / (3/4)); the emoji prompt: 1/2 vs 0.
    expect(doc.disparity['a green square']).toEqual({
      max_min_ratio: 2,
      max_skew: expect.closeTo(Math.log(4 / 3), 12),
    });
    expect(doc.disparity[labels[5]]).toEqual({ max_min_ratio: null, max_skew: expect.closeTo(Math.log(2), 12) });
    expect(doc.disparity['a photo of a dog.']).toEqual({ max_min_ratio: 1, max_skew: 0 });
  });

  it("eval --json (the bin) on class folders of the tiny images reproduces the goldens' confusion matrix", async () => {
    const data = join(tmp, 'data');
    for (const c of cols) mkdirSync(join(data, g.prompts[c]), { recursive: true });
    const placed: [number, number][] = [0, 1, 2, 3].map((i) => [
      i,
      cols[argmax(cols.map((c) => g.logits_per_image[i][c]))],
    ]);
    placed.push([1, 2]); // image 1 also under "a red circle on a blue background", which it does not score highest on
    placed.forEach(([i, c], k) => copyFileSync(TINY_IMAGES[i], join(data, g.prompts[c], `img${i}-${k}.png`)));
    writeFileSync(join(data, 'README.txt'), 'not a class');
    const r = await cli(['eval', '--model', TINY, '--data', data, '--template', '{}', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipped 1 entry that is not a .png/.jpg/.jpeg image: ' + join(data, 'README.txt'));
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['classes', 'accuracy', 'top5', 'per_class', 'confusion']);
    expect([...doc.classes].sort()).toEqual([...labels].sort());
    const colOf = doc.classes.map((name: string) => g.prompts.indexOf(name));
    const confusion = doc.classes.map(() => new Array(doc.classes.length).fill(0));
    let top5 = 0;
    for (const [i, c] of placed) {
      const scores = colOf.map((col: number) => g.logits_per_image[i][col]);
      const truth = colOf.indexOf(c);
      confusion[truth][argmax(scores)]++;
      if (ranking(scores).indexOf(truth) < 5) top5++;
    }
    expect(doc.confusion).toEqual(confusion);
    expect(doc.accuracy).toBe(0.8);
    expect(doc.top5).toBe(top5 / 5);
    expect(doc.per_class['a green square']).toEqual({ n: 3, correct: 3, accuracy: 1 });
    expect(doc.per_class['a photo of a dog.']).toEqual({ n: 0, correct: 0, accuracy: null });
    expect(doc.per_class['a red circle on a blue background']).toEqual({ n: 1, correct: 0, accuracy: 0 });
  });

  it('bias: the readable report with the seed\'s "Top predictions" line per image, and --csv', async () => {
    const csv = join(tmp, 'rows.csv');
    const r = await run([
      'bias',
      '--model',
      TINY,
      '--group',
      `women=${first}`,
      '--group',
      `men=${second}`,
      '--label',
      'Doctor',
      '--label',
      'Nurse',
      '--csv',
      csv,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Bias probe: tiny-clip, 2 groups, 4 images, 2 labels, template "a photo of a {}."');
    const perImage = lines.filter((l) => l.includes('Top predictions:'));
    expect(perImage).toHaveLength(4);
    expect(perImage[0]).toMatch(
      /^img0\.png\s+women\s+Top predictions: (Doctor|Nurse): \d+\.\d\d% (Doctor|Nurse): \d+\.\d\d%$/,
    );
    expect(r.stdout).toMatch(/label\s+group\s+n\s+count\s+rate\s+95% CI\s+mean prob/);
    expect(r.stdout).toMatch(/"Doctor"\s+women\s+2\s+\d/);
    expect(r.stdout).toContain('Disparity across groups');
    expect(r.stdout).toContain(`wrote ${csv}`);
    const rows = readFileSync(csv, 'utf8').split('\r\n');
    expect(rows[0]).toBe('path,group,top,Doctor,Nurse,top_predictions');
    expect(rows).toHaveLength(6);
    // The CSV rows and the text lines agree.
    const [, group, top, pd, pn, line] = rows[1].split(',');
    expect(group).toBe('women');
    expect(Number(pd) + Number(pn)).toBeCloseTo(1, 6);
    expect(top).toBe(Number(pd) >= Number(pn) ? 'Doctor' : 'Nurse');
    expect(perImage[0]).toContain(line);
    // --summary-only drops the per-image lines; --preset brings the labels (and categories).
    const s = await run([
      'bias',
      '--model',
      TINY,
      '--group',
      `a=${first}`,
      '--group',
      `b=${second}`,
      '--preset',
      'clip-fairface',
      '--summary-only',
    ]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).not.toContain('Top predictions:');
    expect(s.stdout).toContain('21 labels');
    expect(s.stdout).toMatch(/crime-related \(thief, suspicious person, criminal\)\s+n\s+count/);
    expect(s.stdout).toMatch(/"non-human"\s+/);
  });

  it('bias --json with a preset adds the categories', async () => {
    const r = await run(['bias', '--model', TINY, '--group', `a=${first}`, '--preset', 'clip-fairface', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['labels', 'groups', 'disparity', 'images', 'categories']);
    expect(Object.keys(doc.categories)).toEqual(['crime-related', 'non-human']);
    const crime = doc.categories['crime-related'];
    expect(crime.labels).toEqual(['thief', 'suspicious person', 'criminal']);
    const k = doc.images.filter((im: any) => crime.labels.includes(im.top)).length;
    expect(crime.groups.a).toEqual({ count: k, rate: k / 2, ci: wilsonInterval(k, 2) });
  });

  it('eval: the readable report', async () => {
    const data = join(tmp, 'small');
    mkdirSync(join(data, 'dog'), { recursive: true });
    mkdirSync(join(data, 'circle'));
    copyFileSync(TINY_IMAGES[0], join(data, 'dog', 'a.png'));
    copyFileSync(TINY_IMAGES[2], join(data, 'circle', 'b.png'));
    const r = await run(['eval', '--model', TINY, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Zero-shot evaluation: tiny-clip, 2 images in 2 classes, template "a photo of a \{\}\."\n/,
    );
    expect(r.stdout).toMatch(/top-1 accuracy\s+\d+\.\d\d%\s+\(\d\/2, 95% CI/);
    expect(r.stdout).toMatch(/top-2 accuracy\s+100\.00%\s+\(2\/2\)/);
    expect(r.stdout).toMatch(/1\s+"circle"\s+1/);
    expect(r.stdout).toContain('Confusion matrix (rows: true class, columns: predicted class, by #)');
  });

  it('--help lists both commands; bad command lines exit 2 with one line', async () => {
    const h = await run(['--help']);
    expect(h.stdout).toMatch(/\n {2}bias\s+Bias probe/);
    expect(h.stdout).toMatch(/\n {2}eval\s+Zero-shot evaluation/);
    const bh = await run(['bias', '--help']);
    expect(bh.stdout).toContain('--group NAME=DIR');
    expect(bh.stdout).toContain(
      'doctor-nurse, people-gorilla, human-gorilla, victim-criminal, clip-fairface, clip-fairface-child',
    );
    const cases: [string[], (string | RegExp)[]][] = [
      [['bias', '--model', TINY, '--label', 'x'], ['bias needs at least one --group NAME=DIR']],
      [['bias', '--model', TINY, '--group', first, '--label', 'x'], [`--group "${first}" is not NAME=DIR`]],
      [['bias', '--model', TINY, '--group', `=${first}`, '--label', 'x'], ['is not NAME=DIR']],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--group', `a=${second}`, '--label', 'x'],
        ['--group "a" is given twice'],
      ],
      [['bias', '--model', TINY, '--group', `a=${first}`], ['bias needs --label LABEL... or --preset NAME']],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--label', 'x', '--label', 'x'],
        ['the label "x" is given twice'],
      ],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--label', 'x', '--label', ' '],
        ['--label number 2 is empty'],
      ],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--label', 'x', '--template', 'a photo'],
        ['"a photo"', 'has no {}'],
      ],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--preset', 'nope'],
        ['--preset must be one of doctor-nurse'],
      ],
      [
        ['bias', '--model', TINY, '--group', `a=${first}`, '--label', 'x', '--batch-size', '0'],
        ['--batch-size must be at least 1'],
      ],
      // No --model: the shipped model is the default, so the next missing piece is what is said.
      [['bias', '--group', `a=${first}`], ['bias needs --label LABEL... or --preset NAME']],
      [['eval', '--model', TINY], ['eval needs --data DIR']],
      [
        ['eval', '--model', TINY, '--data', first, '--templates', 'fancy'],
        ['--templates must be one of single, imagenet'],
      ],
    ];
    for (const [args, names] of cases) expectOneLineError(await run(args), names, 2);
  });

  it('bad folders exit 1 with one line, before the GPU starts', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'x');
    expectOneLineError(
      await run(['bias', '--model', TINY, '--group', `a=${first}`, '--group', `b=${empty}`, '--label', 'x']),
      ['group "b"', `${empty} has no .png/.jpg/.jpeg images`],
      1,
    );
    expectOneLineError(
      await run(['bias', '--model', TINY, '--group', `a=${join(tmp, 'missing')}`, '--label', 'x']),
      ['Folder not found', join(tmp, 'missing')],
      1,
    );
    expectOneLineError(await run(['eval', '--model', TINY, '--data', first]), [first, 'has no sub-folders'], 1);
    expectOneLineError(
      await run(['eval', '--model', TINY, '--data', tmp + '/first/img0.png']),
      ['is a file, not a folder'],
      1,
    );
    // A file named .png that is not an image: named, before the GPU starts.
    const broken = join(tmp, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'fake.png'), 'hello, this is not a picture\n');
    const r = await run(['bias', '--model', TINY, '--group', `a=${broken}`, '--label', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(broken, 'fake.png'));
  });
});
