/**
 * `clip-webgpu world`: the folder it writes (open_clip CSV, PNGs that decode to the generated pixels,
 * masks, truth.json), its --json summary, and one-line errors for bad arguments. No GPU.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { cli, expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { generateWorld, sceneTruth } from '../../src/model/world/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'clip-world-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('clip-webgpu world', () => {
  it('writes captions.csv, images, masks and truth.json that agree with generateWorld, and a --json summary', async () => {
    const out = join(tmp, 'w1');
    const summary = parseJson(
      await run(['world', '--out', out, '--n', '12', '--seed', '3', '--size', '48', '--shift', 'texture', '--json']),
    );
    const scenes = generateWorld({ n: 12, seed: 3, size: 48, shift: 'texture' });
    expect(summary).toMatchObject({
      out,
      n: 12,
      seed: 3,
      size: 48,
      shift: 'texture',
      objects: [1, 3],
      csv: 'captions.csv',
      truth: 'truth.json',
    });
    expect(summary.masks).toBe(scenes.reduce((n, s) => n + s.objects.length, 0));
    expect(Object.values(summary.counts.objectsPerScene as Record<string, number>).reduce((a, b) => a + b)).toBe(12);

    const rows = readFileSync(join(out, 'captions.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows[0]).toEqual(['filepath', 'title']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(scenes.map((s) => s.caption));
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8'));
    expect(truth).toMatchObject({
      format: 'clip-webgpu-world/1',
      seed: 3,
      n: 12,
      size: 48,
      shift: 'texture',
      csv: 'captions.csv',
    });
    rows.slice(1).forEach(([file], i) => {
      const s = scenes[i];
      const t = truth.scenes[i];
      expect(t).toEqual(
        JSON.parse(
          JSON.stringify(
            sceneTruth(
              s,
              file,
              t.objects.map((o: { mask: string }) => o.mask),
            ),
          ),
        ),
      );
      const png = PNG.sync.read(readFileSync(join(out, file)));
      expect([png.width, png.height]).toEqual([48, 48]);
      expect(Buffer.compare(png.data, Buffer.from(s.pixels.buffer))).toBe(0); // RGB PNG, read back with alpha 255
      s.objects.forEach((o, k) => {
        const mask = PNG.sync.read(readFileSync(join(out, t.objects[k].mask)));
        expect([...mask.data.filter((_, j) => j % 4 === 0)]).toEqual([...o.mask].map((v) => v * 255));
      });
    });

    // The same arguments give the same bytes.
    const again = parseJson(
      await run([
        'world',
        '--out',
        join(tmp, 'w2'),
        '--n',
        '12',
        '--seed',
        '3',
        '--size',
        '48',
        '--shift',
        'texture',
        '--json',
      ]),
    );
    expect(again.sha256).toBe(summary.sha256);
    for (const f of ['captions.csv', 'truth.json', 'images/00007.png', 'masks/00007-0.png']) {
      expect(readFileSync(join(tmp, 'w2', f)).equals(readFileSync(join(out, f))), f).toBe(true);
    }
  });

  it('runs from the installed bin and prints one line without --json', async () => {
    const out = join(tmp, 'bin');
    const r = await cli(['world', '--out', out, '--n', '3', '--seed', '1', '--objects', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*: 3 scenes \(64 px, shift none, 2-2 objects\), captions\.csv, truth\.json, images\/, masks\/ \(6\); sha256 [0-9a-f]{16}\n$/,
    );
    expect(existsSync(join(out, 'images', '00002.png'))).toBe(true);
  });

  it('--captions shape: the same images and truth, captions that name the shapes alone, with their counts', async () => {
    const [plain, shapes] = [join(tmp, 'plain'), join(tmp, 'shapes')];
    parseJson(await run(['world', '--out', plain, '--n', '40', '--seed', '5', '--json']));
    parseJson(await run(['world', '--out', shapes, '--n', '40', '--seed', '5', '--captions', 'shape', '--json']));
    const truth = (dir: string) => JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const [a, b] = [truth(plain), truth(shapes)];
    expect(b.captions).toBe('shape');
    expect(a.captions).toBeUndefined();
    const captions = readFileSync(join(shapes, 'captions.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const words = ['a', 'two', 'three'];
    b.scenes.forEach((scene: { file: string; caption: string; objects: { shape: string }[] }, i: number) => {
      expect(readFileSync(join(shapes, scene.file))).toEqual(readFileSync(join(plain, a.scenes[i].file)));
      expect({ ...scene, caption: '', template: '' }).toEqual({ ...a.scenes[i], caption: '', template: '' });
      expect(scene).toMatchObject({ template: 'shape-only' });
      expect(captions[i]).toBe(`${scene.file}\t${scene.caption}`);
      // "a triangle and two circles": each shape once, with its count, in the scene's order; no colour.
      const counts = new Map<string, number>();
      for (const o of scene.objects) counts.set(o.shape, (counts.get(o.shape) ?? 0) + 1);
      const parts = [...counts].map(([shape, n]) =>
        n === 1 ? `a ${shape}` : `${words[n - 1]} ${shape === 'cross' ? 'crosses' : `${shape}s`}`,
      );
      const want = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
      expect(scene.caption).toBe(want);
    });
  });

  it('answers bad arguments with one line naming the problem', async () => {
    const full = join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'x.txt'), 'x');
    const cases: [string[], (string | RegExp)[], number][] = [
      [['--n', '3'], ['--out DIR'], 2],
      [['--out', join(tmp, 'e1')], ['--n N'], 2],
      [['--out', join(tmp, 'e1'), '--n', '0'], ['--n must be at least 1'], 2],
      [['--out', join(tmp, 'e1'), '--n', 'many'], ['--n must be an integer'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--size', '16'], ['--size must be from 32 to 512'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--size', '1024'], ['--size must be from 32 to 512'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--seed', '-1'], [/--seed/], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--shift', 'fog'], ['--shift must be one of', 'sketch'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--objects', '0-2'], ['--objects must be'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--objects', '4'], ['--objects must be'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--objects', '3-1'], ['--objects must be'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--count', '2'], ['unknown option --count'], 2],
      [['--out', join(tmp, 'e1'), '--n', '2', '--captions', 'colour'], ['--captions must be one of world, shape'], 2],
      [['--out', full, '--n', '2'], [full, 'not empty'], 1],
    ];
    for (const [args, names, code] of cases) expectOneLineError(await run(['world', ...args]), names, code);
    expect(existsSync(join(tmp, 'e1'))).toBe(false); // nothing written on a bad command line
  });
});
