/**
 * The bias experiment's data: `world --spurious triangle:dark=0.9` (tones drawn from the shapes,
 * deterministic, recorded in truth.json) and `toneGroup` (one scene on dark and on light). No GPU.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipError } from '../../src/errors.ts';
import { TONE_GROUPS, generateWorld, parseSpurious, type Scene } from '../../src/model/world/index.ts';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { same, sameBytes } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'clip-world-spurious-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 600;
const spurious = parseSpurious('triangle:dark=0.9');
const BIASED = generateWorld({ n: N, seed: 7, spurious });
const CLEAN = generateWorld({ n: N, seed: 7 });
const hasTriangle = (s: Scene) => s.objects.some((o) => o.shape === 'triangle');

function darkShare(scenes: Scene[]): number {
  return scenes.filter((s) => s.background.tone === 'dark').length / scenes.length;
}

describe('world --spurious', () => {
  it("puts ~90% of the triangle scenes on dark and ~90% of the others on light, in the groups' tones", () => {
    const withT = BIASED.filter(hasTriangle),
      without = BIASED.filter((s) => !hasTriangle(s));
    expect(withT.length).toBeGreaterThan(100);
    // Binomial: 3.5 standard deviations of n >= 100 draws at p = 0.9 is under 0.11.
    expect(Math.abs(darkShare(withT) - 0.9)).toBeLessThan(0.11);
    expect(Math.abs(darkShare(without) - 0.1)).toBeLessThan(0.06);
    for (const s of BIASED) {
      const tones = TONE_GROUPS[s.background.tone!];
      for (const c of s.background.colours) expect(tones.some((t) => same(t, c))).toBe(true);
      if (s.background.tone === 'dark') expect(s.background.luminance).toBeLessThan(90);
      else expect(s.background.luminance).toBeGreaterThan(170);
    }
  });

  it("changes only the background: objects, masks and captions are the clean world's", () => {
    BIASED.forEach((s, i) => {
      const c = CLEAN[i];
      expect([s.caption, s.background.kind]).toEqual([c.caption, c.background.kind]);
      expect(s.objects.map((o) => [o.shape, o.colour, o.box])).toEqual(
        c.objects.map((o) => [o.shape, o.colour, o.box]),
      );
      expect(s.objects.every((o, k) => sameBytes(o.mask, c.objects[k].mask))).toBe(true);
      expect(c.background.tone).toBeUndefined(); // the clean world records no tone group
    });
  });

  it('p = 0.5 is the control: tones independent of the shapes; p = 1 and 0 are all or nothing', () => {
    const control = generateWorld({ n: N, seed: 7, spurious: parseSpurious('triangle:dark=0.5') });
    expect(Math.abs(darkShare(control.filter(hasTriangle)) - 0.5)).toBeLessThan(0.15);
    expect(Math.abs(darkShare(control.filter((s) => !hasTriangle(s))) - 0.5)).toBeLessThan(0.1);
    const all = generateWorld({ n: 60, seed: 7, spurious: parseSpurious('star:light=1') });
    for (const s of all) expect(s.background.tone).toBe(s.objects.some((o) => o.shape === 'star') ? 'light' : 'dark');
  });

  it('toneGroup draws one scene on dark or on light, the same scene otherwise', () => {
    const dark = generateWorld({ n: 20, seed: 3, toneGroup: 'dark' });
    const light = generateWorld({ n: 20, seed: 3, toneGroup: 'light' });
    dark.forEach((d, i) => {
      expect(d.background.tone).toBe('dark');
      expect(light[i].background.tone).toBe('light');
      expect(d.caption).toBe(light[i].caption);
      expect(d.objects.map((o) => o.box)).toEqual(light[i].objects.map((o) => o.box));
    });
  });

  it('rejects bad specs and mixed tone options with a ClipError naming them', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => parseSpurious('triangle'), /SHAPE:TONE=P/],
      [() => parseSpurious('hexagon:dark=0.9'), /unknown shape "hexagon"/],
      [() => parseSpurious('triangle:grey=0.9'), /unknown tone "grey"/],
      [() => parseSpurious('triangle:dark=1.5'), /from 0 to 1/],
      [() => generateWorld({ n: 1, seed: 1, spurious, toneGroup: 'dark' }), /not several/],
      [() => generateWorld({ n: 1, seed: 1, toneGroup: 'dim' as 'dark' }), /unknown tone group "dim"/],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(ClipError);
      expect(f).toThrow(message);
    }
  });

  it('the CLI: deterministic, truth.json records the spec and each tone, --json counts them, --help documents it', async () => {
    const args = (out: string) => [
      'world',
      '--out',
      out,
      '--n',
      '40',
      '--seed',
      '7',
      '--spurious',
      'triangle:dark=0.9',
      '--json',
    ];
    const a = parseJson(await run(args(join(tmp, 'a'))));
    const b = parseJson(await run(args(join(tmp, 'b'))));
    expect(a.sha256).toBe(b.sha256);
    expect(a.spurious.spec).toBe('triangle:dark=0.9');
    const truth = JSON.parse(readFileSync(join(tmp, 'a', 'truth.json'), 'utf8'));
    expect(truth.spurious).toEqual({ shape: 'triangle', tone: 'dark', p: 0.9, spec: 'triangle:dark=0.9' });
    truth.scenes.forEach((s: { background: { tone: string } }, i: number) =>
      expect(s.background.tone).toBe(BIASED[i].background.tone),
    );
    const counted = Object.values(a.spurious.tones as Record<string, Record<string, number>>)
      .flatMap((t) => Object.values(t))
      .reduce((x, y) => x + y, 0);
    expect(counted).toBe(40);
    const plain = parseJson(await run(['world', '--out', join(tmp, 'c'), '--n', '5', '--seed', '7', '--json']));
    expect(plain.spurious).toBeUndefined();
    expect(readFileSync(join(tmp, 'c', 'truth.json'), 'utf8')).not.toContain('spurious');

    expectOneLineError(await run(['world', '--out', join(tmp, 'd'), '--n', '5', '--spurious', 'triangle:dark']), [
      '--spurious',
      'triangle:dark=0.9',
    ]);
    const help = await run(['world', '--help']);
    expect(help.stdout).toContain('--spurious SHAPE:TONE=P');
    expect(help.stdout).toContain('triangle:dark=0.5 is the control');
  });
});
