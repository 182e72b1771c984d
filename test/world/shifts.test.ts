/**
 * Each shift changes the scene as described and nothing else: the same seed gives the same objects,
 * places and caption as the clean scene (clean and shifted scenes are pairs).
 */
import { describe, expect, it } from 'vitest';
import {
  COLOURS,
  SHIFTS,
  UNSEEN_BACKGROUNDS,
  UNSEEN_TONES,
  generateWorld,
  type Scene,
  type ShiftName,
} from '../../src/model/world/index.ts';
import { SYMMETRY_DEGREES } from '../../src/model/world/shapes.ts';
import { interior, pixelAt, pixelsNot, same, sameBytes } from './helpers.ts';

const SIZE = 128,
  N = 40;
const clean = generateWorld({ n: N, seed: 5, size: SIZE });
const shifted = Object.fromEntries(
  SHIFTS.map((shift) => [shift, generateWorld({ n: N, seed: 5, size: SIZE, shift })]),
) as Record<ShiftName, Scene[]>;

const sameMasks = (a: Scene, b: Scene) => a.objects.every((o, k) => sameBytes(o.mask, b.objects[k].mask));

/** Sum of squared differences between horizontal and vertical neighbours: the energy of the edges (blur spreads it). */
function variation(s: Scene): number {
  let v = 0;
  for (let y = 0; y < s.size - 1; y++) {
    for (let x = 0; x < s.size - 1; x++) {
      const p = pixelAt(s, x, y),
        r = pixelAt(s, x + 1, y),
        d = pixelAt(s, x, y + 1);
      for (let c = 0; c < 3; c++) v += (p[c] - r[c]) ** 2 + (p[c] - d[c]) ** 2;
    }
  }
  return v;
}

const meanAbsDiff = (a: Scene, b: Scene) => {
  let sum = 0,
    n = 0;
  for (let i = 0; i < a.pixels.length; i++)
    if (i % 4 !== 3) {
      sum += Math.abs(a.pixels[i] - b.pixels[i]);
      n++;
    }
  return sum / n;
};

describe('world shifts', () => {
  it('keep the objects, their places and the caption of the clean scene with the same seed', () => {
    for (const shift of SHIFTS) {
      shifted[shift].forEach((s, i) => {
        const c = clean[i];
        expect(s.shift).toBe(shift);
        const what = (x: Scene) => x.objects.map((o) => [o.shape, o.colour, o.size, o.centre, o.radius]);
        expect(what(s)).toEqual(what(c));
        expect(s.template).toBe(c.template);
        if (shift !== 'unseen-background') expect(s.caption).toBe(c.caption);
        if (shift !== 'rotation') expect(sameMasks(s, c), `${shift} ${i}`).toBe(true);
        expect(meanAbsDiff(s, c), `${shift} scene ${i} unchanged`).toBeGreaterThan(shift === 'rotation' ? -1 : 0); // only circles: rotation changes nothing
      });
    }
  });

  it('sketch: draws outlines only, in the object colour, and leaves the inside as background', () => {
    let checked = 0;
    shifted.sketch.forEach((s, i) => {
      for (const o of s.objects) {
        const colour = [...COLOURS[o.colour]];
        const inner = interior(o.mask, s.size, 5); // the outline is 3.2 px thick at 128 px
        expect(inner.some(([x, y]) => same(pixelAt(s, x, y), colour))).toBe(false);
        if (s.background.kind === 'plain') expect(pixelsNot(s, inner, s.background.colours[0])).toEqual([]);
        const ring = interior(o.mask, s.size, 0).filter(([x, y]) => same(pixelAt(s, x, y), colour));
        expect(ring.length, `${o.colour} ${o.shape} outline in scene ${i}`).toBeGreaterThan(o.radius);
        checked += inner.length;
      }
    });
    expect(checked).toBeGreaterThan(10_000);
  });

  it('noise: changes nearly every pixel by zero-mean noise of at most ±64', () => {
    shifted.noise.forEach((s, i) => {
      const c = clean[i];
      let changed = 0,
        sum = 0,
        largest = 0;
      for (let k = 0; k < s.pixels.length; k++) {
        if (k % 4 === 3) continue;
        const d = s.pixels[k] - c.pixels[k];
        largest = Math.max(largest, Math.abs(d));
        if (d !== 0) changed++;
        sum += d;
      }
      expect(largest).toBeLessThanOrEqual(64);
      expect(changed / (s.size * s.size * 3)).toBeGreaterThan(0.9);
      expect(Math.abs(sum / (s.size * s.size * 3))).toBeLessThan(3);
      expect(meanAbsDiff(s, c)).toBeGreaterThan(15);
    });
  });

  it('blur: smooths the image (under a quarter of the edge energy) and keeps its mean colour', () => {
    shifted.blur.forEach((s, i) => {
      const c = clean[i];
      expect(variation(s)).toBeLessThan(0.25 * variation(c));
      for (let ch = 0; ch < 3; ch++) {
        let a = 0,
          b = 0;
        for (let k = ch; k < s.pixels.length; k += 4) {
          a += s.pixels[k];
          b += c.pixels[k];
        }
        expect(Math.abs(a - b) / (s.size * s.size)).toBeLessThan(1);
      }
    });
  });

  it('rotation: turns every shape but the circle by a visible angle, with masks and boxes that follow', () => {
    let turned = 0;
    shifted.rotation.forEach((s, i) => {
      s.objects.forEach((o, k) => {
        const c = clean[i].objects[k],
          symmetry = SYMMETRY_DEGREES[o.shape];
        const area = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);
        if (symmetry === 0) {
          expect(o.rotation).toBe(0);
          expect(sameBytes(o.mask, c.mask)).toBe(true);
          return;
        }
        expect(o.rotation).toBeGreaterThanOrEqual(15);
        expect(o.rotation).toBeLessThanOrEqual(symmetry - 15);
        expect(sameBytes(o.mask, c.mask)).toBe(false);
        expect(Math.abs(area(o.mask) - area(c.mask)) / area(c.mask)).toBeLessThan(0.1); // the same shape, turned (its edge pixels fall differently)
        expect(pixelsNot(s, interior(o.mask, s.size), COLOURS[o.colour])).toEqual([]);
        turned++;
      });
    });
    expect(turned).toBeGreaterThan(40);
  });

  it('unseen-background: stripes and checkers in tones the training data never has', () => {
    const kinds = new Set<string>();
    for (const s of shifted['unseen-background']) {
      kinds.add(s.background.kind);
      expect(UNSEEN_BACKGROUNDS).toContain(s.background.kind);
      for (const c of s.background.colours) expect(UNSEEN_TONES.some((t) => same(t, c))).toBe(true);
      for (const o of s.objects) expect(pixelsNot(s, interior(o.mask, s.size), COLOURS[o.colour])).toEqual([]);
    }
    expect([...kinds].sort()).toEqual([...UNSEEN_BACKGROUNDS].sort());
  });

  it('texture: fills each shape with a pattern of its colour and a shade of it', () => {
    let textured = 0;
    for (const s of shifted.texture) {
      for (const o of s.objects) {
        if (o.radius < 12) continue; // small shapes hold too few whole pattern cells to count
        const colour = [...COLOURS[o.colour]];
        const inner = interior(o.mask, s.size, 1).map(([x, y]) => pixelAt(s, x, y));
        const plain = inner.filter((p) => same(p, colour)).length;
        expect(plain, `${o.colour} ${o.shape}`).toBeGreaterThan(0.15 * inner.length);
        expect(plain, `${o.colour} ${o.shape}`).toBeLessThan(0.9 * inner.length);
        textured++;
      }
    }
    expect(textured).toBeGreaterThan(20);
  });
});
