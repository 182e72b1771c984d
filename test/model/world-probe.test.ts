/**
 * The world-backgrounds bias preset: its probe set (balanced shapes, each scene on dark and on light,
 * deterministic) and its plumbing through `clip-webgpu bias` on the tiny fixture (llvmpipe). The
 * fixture is random: no rate is asserted, only the report's shape (scripts/bias-experiment.sh runs it
 * on trained models).
 */
import { describe, expect, it } from 'vitest';
import { BIAS_PRESETS, toneProbeItems, toneProbeScenes } from '../../src/model/bias/index.ts';
import { SHAPES, TONE_GROUPS } from '../../src/model/world/index.ts';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { TINY } from '../helpers/fixtures.ts';

/** FNV-1a of the pixels: comparing numbers is much cheaper than deep-equal on typed arrays. */
function checksum(s: { pixels: Uint8ClampedArray }): number {
  let h = 0x811c9dc5;
  for (const v of s.pixels) h = Math.imul(h ^ v, 0x01000193) >>> 0;
  return h;
}

const luma = (p: Uint8ClampedArray, i: number) => 0.299 * p[4 * i] + 0.587 * p[4 * i + 1] + 0.114 * p[4 * i + 2];

describe('world-backgrounds probe set', () => {
  it('the same single-object scenes on dark and on light, the same number of each shape', () => {
    const scenes = toneProbeScenes({ perShape: 4 });
    expect(scenes).toHaveLength(2 * 5 * 4);
    const dark = scenes.filter((s) => s.group === 'dark'),
      light = scenes.filter((s) => s.group === 'light');
    for (const shape of SHAPES) {
      expect(dark.filter((s) => s.shape === shape)).toHaveLength(4);
      expect(light.filter((s) => s.shape === shape)).toHaveLength(4);
    }
    dark.forEach((d, i) => {
      const l = light[i];
      expect(l.id).toBe(d.id.replace('dark/', 'light/'));
      // Corner pixel 0 is background (objects never touch the edge): dark there, light on the pair.
      expect(luma(d.pixels, 0)).toBeLessThan(100);
      expect(luma(l.pixels, 0)).toBeGreaterThan(160);
      // Where the two differ is background only: the object's pixels are the same in both.
      let same = 0;
      for (let k = 0; k < d.size * d.size; k++) if (d.pixels[4 * k] === l.pixels[4 * k]) same++;
      expect(same).toBeGreaterThan(10); // the object
    });
    // Deterministic; another seed gives other scenes.
    expect(toneProbeScenes({ perShape: 4 }).map(checksum)).toEqual(scenes.map(checksum));
    expect(checksum(toneProbeScenes({ perShape: 1, seed: 1 })[0])).not.toBe(checksum(scenes[0]));
    expect(TONE_GROUPS.dark.length).toBeGreaterThan(0);
  });

  it('leaves shapes out on request; items decode from raw pixels; bad options are ClipErrors', async () => {
    const items = toneProbeItems({ perShape: 2, shapes: ['circle', 'star'] });
    expect(items.map((i) => i.id)).toEqual([
      'dark/circle-00',
      'dark/circle-01',
      'dark/star-00',
      'dark/star-01',
      'light/circle-00',
      'light/circle-01',
      'light/star-00',
      'light/star-01',
    ]);
    const raw = (await items[0].load!()) as { width: number; channels: number; data: Uint8ClampedArray };
    expect([raw.width, raw.channels, raw.data.length]).toEqual([64, 4, 64 * 64 * 4]);
    expect((await items[0].bytes()).length).toBe(64 * 64 * 4);
    expect(() => toneProbeScenes({ perShape: 0 })).toThrow(/per shape/);
    expect(() => toneProbeScenes({ shapes: ['hexagon' as 'star'] })).toThrow(/probe shapes/);
    expect(BIAS_PRESETS['world-backgrounds'].labels).toEqual(SHAPES);
    expect(BIAS_PRESETS['world-backgrounds'].templates).toEqual(['a {}']);
  });
});

describe('clip-webgpu bias --preset world-backgrounds', () => {
  const base = ['bias', '--model', TINY, '--preset', 'world-backgrounds', '--adapter', 'gles'];

  it('generates the probe set: groups dark and light, labels the shapes, Wilson intervals, disparities', async () => {
    const r = parseJson(await run([...base, '--probe-n', '2', '--probe-shapes', 'circle,square,cross,star', '--json']));
    expect(r.labels).toEqual([...SHAPES]);
    expect(Object.keys(r.groups)).toEqual(['dark', 'light']);
    for (const g of Object.values(r.groups) as { n: number; ci: Record<string, [number, number]> }[]) {
      expect(g.n).toBe(8);
      for (const [lo, hi] of Object.values(g.ci)) expect(0 <= lo && lo <= hi && hi <= 1).toBe(true);
    }
    expect(Object.keys(r.disparity)).toEqual([...SHAPES]);
    expect(r.images.filter((i: { path: string }) => i.path.includes('triangle'))).toEqual([]);

    const text = await run([...base, '--probe-n', '1', '--summary-only']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('2 groups, 10 images, 5 labels, template "a {}"');
    expect(text.stdout).toMatch(/"triangle"\s+dark\s+5/);
  });

  it('--probe-* need the generated set; unknown shapes are one line', async () => {
    expectOneLineError(await run([...base, '--probe-shapes', 'circle,hexagon']), ['--probe-shapes', 'hexagon']);
    expectOneLineError(
      await run(['bias', '--model', TINY, '--preset', 'doctor-nurse', '--group', `a=${TINY}`, '--probe-n', '3']),
      ['--probe-n', 'world-backgrounds'],
    );
    expectOneLineError(await run(['bias', '--model', TINY, '--preset', 'doctor-nurse']), ['--group NAME=DIR']);
  });
});
