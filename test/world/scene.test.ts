/**
 * The procedural world without shifts: determinism (a pinned hash), truth that agrees with the
 * pixels (masks, boxes, colours), captions that name what is drawn, and every class covered.
 */
import { describe, expect, it } from 'vitest';
import { ClipError } from '../../src/errors.ts';
import {
  BACKGROUND_TONES,
  BACKGROUNDS,
  CAPTION_TEMPLATES,
  COLOUR_NAMES,
  COLOURS,
  SHAPES,
  SIZE_NAMES,
  createRng,
  generateScene,
  generateWorld,
  zeroShotPrompts,
  type Scene,
  type SceneObject,
} from '../../src/model/world/index.ts';
import { sinCosDegrees } from '../../src/model/world/trig.ts';
import { parseCaption } from './parse-caption.ts';
import { groupsOf, interior, pixelsNot, same, sameBytes, worldHash } from './helpers.ts';

const WORLD = generateWorld({ n: 400, seed: 2024 });

describe('world: determinism', () => {
  it('gives the same bytes for the same seed, and other bytes for another seed', () => {
    const a = generateWorld({ n: 16, seed: 7, size: 48 }),
      b = generateWorld({ n: 16, seed: 7, size: 48 });
    expect(worldHash(a)).toBe(worldHash(b));
    expect(worldHash(generateWorld({ n: 16, seed: 8, size: 48 }))).not.toBe(worldHash(a));
  });

  it('matches the pinned hash of a small world (pixels, masks and truth are the same on every machine)', () => {
    expect(worldHash(generateWorld({ n: 24, seed: 1234 }))).toBe(PINNED.clean);
    expect(worldHash(generateWorld({ n: 8, seed: 99, size: 96, shift: 'rotation' }))).toBe(PINNED.rotation);
  });

  it('makes scene i depend only on the seed and the options, not on the world size', () => {
    const short = generateWorld({ n: 4, seed: 31 }),
      long = generateWorld({ n: 12, seed: 31 });
    expect(worldHash(short)).toBe(worldHash(long.slice(0, 4)));
  });

  it('computes sine and cosine without Math.sin (implementation-approximated) to within 1e-15', () => {
    let worst = 0;
    for (let d = -720; d <= 720; d += 0.25) {
      const [s, c] = sinCosDegrees(d);
      const r = (d * Math.PI) / 180;
      worst = Math.max(worst, Math.abs(s - Math.sin(r)), Math.abs(c - Math.cos(r)));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('draws uniform integers from the seeded generator', () => {
    const rng = createRng(5),
      counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.int(0, 5)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });
});

/** Whether pixel (x, y) can hold some of the object: its centre within a pixel of the bounding circle. */
function near(o: SceneObject, x: number, y: number): boolean {
  const dx = x + 0.5 - o.centre[0],
    dy = y + 0.5 - o.centre[1],
    r = o.radius + 1;
  return dx * dx + dy * dy <= r * r;
}

describe('world: truth agrees with the pixels', () => {
  it('has boxes that are the bounding boxes of the masks, and masks that never overlap', () => {
    for (const s of WORLD) {
      const owner = new Int8Array(s.size * s.size).fill(-1);
      s.objects.forEach((o, k) => {
        let x0 = s.size,
          y0 = s.size,
          x1 = 0,
          y1 = 0,
          area = 0;
        let overlaps = 0;
        for (let i = 0; i < o.mask.length; i++) {
          if (!o.mask[i]) continue;
          if (owner[i] !== -1) overlaps++;
          owner[i] = k;
          const x = i % s.size,
            y = Math.floor(i / s.size);
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x + 1);
          y1 = Math.max(y1, y + 1);
          area++;
        }
        expect(overlaps).toBe(0);
        expect(o.box).toEqual([x0, y0, x1, y1]);
        expect(area).toBeGreaterThan(10);
        // The box lies inside the bounding circle's square, around the centre.
        expect(o.box[0]).toBeGreaterThanOrEqual(Math.floor(o.centre[0] - o.radius));
        expect(o.box[2]).toBeLessThanOrEqual(Math.ceil(o.centre[0] + o.radius));
      });
    }
  });

  it('paints the object colour inside each mask and leaves the background outside every mask', () => {
    let inside = 0,
      outside = 0;
    for (const s of WORLD) {
      for (const o of s.objects) {
        const inner = interior(o.mask, s.size);
        expect(pixelsNot(s, inner, COLOURS[o.colour])).toEqual([]);
        inside += inner.length;
      }
      if (s.background.kind !== 'plain') continue;
      const away: [number, number][] = [];
      for (let y = 0; y < s.size; y++)
        for (let x = 0; x < s.size; x++) if (!s.objects.some((o) => near(o, x, y))) away.push([x, y]);
      expect(pixelsNot(s, away, s.background.colours[0])).toEqual([]);
      outside += away.length;
    }
    expect(inside).toBeGreaterThan(50_000);
    expect(outside).toBeGreaterThan(200_000);
  });

  it('puts a mask pixel where the colour covers at least half of it (anti-aliased edges)', () => {
    let edges = 0;
    const wrong: string[] = [];
    for (const s of WORLD.filter((x) => x.background.kind === 'plain')) {
      const bg = s.background.colours[0];
      for (const o of s.objects) {
        const c = COLOURS[o.colour];
        const span = Math.max(...c.map((v, ch) => Math.abs(v - bg[ch])));
        const ch = c.findIndex((v, k) => Math.abs(v - bg[k]) === span); // the channel that tells them apart best
        for (let i = 0; i < o.mask.length; i++) {
          const v = s.pixels[4 * i + ch];
          const t = (v - bg[ch]) / (c[ch] - bg[ch]); // the covered fraction, 0..1
          if (t <= 0 || t >= 1 || s.objects.some((p) => p !== o && near(p, i % s.size, Math.floor(i / s.size))))
            continue;
          edges++;
          // Rounding to bytes moves t by at most 1/span either way; allow two.
          if (o.mask[i] ? t < 0.5 - 2 / span : !s.objects.some((p) => p.mask[i]) && t > 0.5 + 2 / span)
            wrong.push(`${o.colour} ${o.shape} ${i}: ${t}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(edges).toBeGreaterThan(5000); // the edges are blended, not aliased
  });

  it('uses training backgrounds only, and reports their luminance', () => {
    for (const s of WORLD) {
      expect(BACKGROUNDS).toContain(s.background.kind);
      for (const c of s.background.colours) expect(BACKGROUND_TONES.some((t) => same(t, c))).toBe(true);
      expect(s.background.luminance).toBeGreaterThan(40);
      expect(s.background.luminance).toBeLessThan(215);
      expect(s.shift).toBe('none');
    }
  });
});

function checkCaption(s: Scene): void {
  const claims = parseCaption(s.caption);
  const groups = groupsOf(s.objects);
  expect(claims.phrases.length, s.caption).toBe(groups.size);
  expect(
    claims.phrases.reduce((n, p) => n + p.count, 0),
    s.caption,
  ).toBe(s.objects.length);
  // Each phrase names a different group, by count and by every word it uses.
  const unused = new Map(groups);
  for (const p of claims.phrases) {
    const key = [...unused.keys()].find((k) => {
      const [colour, shape] = k.split(' ');
      return unused.get(k) === p.count && (!p.colour || p.colour === colour) && (!p.shape || p.shape === shape);
    });
    expect(key, `${s.caption}: ${JSON.stringify(p)} vs ${[...groups.keys()]}`).toBeDefined();
    unused.delete(key!);
    if (p.size) expect(s.objects.find((o) => `${o.colour} ${o.shape}` === key)!.size).toBe(p.size);
  }
  if (claims.background) expect(s.background.kind, s.caption).toBe(claims.background);
  if (claims.relation) {
    const [a, b] = s.objects;
    const [ax0, ay0, ax1, ay1] = a.box,
      [bx0, by0, bx1, by1] = b.box;
    const holds = { 'left of': ax1 <= bx0, 'right of': bx1 <= ax0, above: ay1 <= by0, below: by1 <= ay0 }[
      claims.relation
    ];
    expect(holds, `${s.caption}: ${a.box} vs ${b.box}`).toBe(true);
  }
}

describe('world: captions', () => {
  it('name what is drawn: every object counted, every colour, shape, size, relation and background true', () => {
    for (const s of WORLD) checkCaption(s);
  });

  it('use every template, and each scene has one that fits it', () => {
    const used = new Set(WORLD.map((s) => s.template));
    expect([...used].sort()).toEqual(CAPTION_TEMPLATES.map((t) => t.id).sort());
    expect(new Set(WORLD.map((s) => s.caption)).size).toBeGreaterThan(250); // varied, not a handful of strings
  });

  it('exports the zero-shot prompts of the acceptance tests', () => {
    expect(zeroShotPrompts('shape', SHAPES)).toEqual(['a circle', 'a square', 'a triangle', 'a cross', 'a star']);
    expect(zeroShotPrompts('colour', ['red', 'orange'])).toEqual(['a red shape', 'an orange shape']);
  });
});

describe('world: coverage of the classes', () => {
  it('draws every shape, colour, size, count and background about evenly', () => {
    const objects = WORLD.flatMap((s) => s.objects);
    const share = (values: string[], classes: readonly string[]) => {
      for (const c of classes) {
        const n = values.filter((v) => v === c).length;
        expect(n, c).toBeGreaterThan((0.6 * values.length) / classes.length);
        expect(n, c).toBeLessThan((1.4 * values.length) / classes.length);
      }
    };
    share(
      objects.map((o) => o.shape),
      SHAPES,
    );
    share(
      objects.map((o) => o.colour),
      COLOUR_NAMES,
    );
    share(
      WORLD.map((s) => s.background.kind),
      BACKGROUNDS,
    );
    share(
      WORLD.map((s) => String(s.objects.length)),
      ['1', '2', '3'],
    );
    for (const size of SIZE_NAMES)
      expect(objects.filter((o) => o.size === size).length, size).toBeGreaterThan(objects.length / 6);
    // Counts in captions: groups of two and three identical objects occur.
    const groupSizes = WORLD.flatMap((s) => [...groupsOf(s.objects).values()]);
    for (const n of [1, 2, 3]) expect(groupSizes.filter((g) => g === n).length, `groups of ${n}`).toBeGreaterThan(15);
  });

  it('honours --objects and sizes from 32 to 512 px', () => {
    for (const s of generateWorld({ n: 30, seed: 3, objects: 1 })) expect(s.objects).toHaveLength(1);
    for (const s of generateWorld({ n: 30, seed: 3, objects: [2, 3] }))
      expect(s.objects.length).toBeGreaterThanOrEqual(2);
    for (const size of [32, 224, 512]) {
      const s = generateScene(createRng(size), { size });
      expect(s.pixels).toHaveLength(size * size * 4);
      for (const o of s.objects) expect(o.box[2]).toBeLessThanOrEqual(size);
      checkCaption(s);
    }
  });

  it('paints only the given background tones, and changes nothing else (for controlled bias experiments)', () => {
    const dark = [
      [30, 30, 36],
      [52, 48, 44],
    ] as const;
    const toned = generateWorld({ n: 40, seed: 2024, tones: dark });
    toned.forEach((s, i) => {
      const c = WORLD[i];
      for (const tone of s.background.colours) expect(dark.some((t) => same(t, tone))).toBe(true);
      expect(s.background.luminance).toBeLessThan(60);
      expect([s.caption, s.background.kind]).toEqual([c.caption, c.background.kind]);
      expect(s.objects.map((o) => [o.shape, o.colour, o.box])).toEqual(
        c.objects.map((o) => [o.shape, o.colour, o.box]),
      );
      expect(s.objects.every((o, k) => sameBytes(o.mask, c.objects[k].mask))).toBe(true);
    });
  });

  it('rejects bad options with a ClipError naming them', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => generateWorld({ n: 0, seed: 1 }), /n >= 1/],
      [() => generateWorld({ n: 2, seed: -1 }), /seed/],
      [() => generateWorld({ n: 2, seed: 1.5 }), /seed/],
      [() => generateWorld({ n: 2, seed: 1, size: 31 }), /32 to 512/],
      [() => generateWorld({ n: 2, seed: 1, size: 600 }), /32 to 512/],
      [() => generateWorld({ n: 2, seed: 1, objects: [0, 2] }), /1-3/],
      [() => generateWorld({ n: 2, seed: 1, objects: 4 }), /1-3/],
      [() => generateScene(createRng(1), { shift: 'fog' as 'blur' }), /unknown world shift "fog"/],
      [() => generateScene(createRng(1), { tones: [] }), /tones/],
      [() => generateScene(createRng(1), { tones: [[0, 0, 256]] }), /tones/],
      [() => generateScene(createRng(1), { captions: 'colour' as 'shape' }), /unknown caption style "colour"/],
    ];
    for (const [f, message] of bad) {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ClipError);
      expect((error as ClipError).code).toBe('input');
      expect((error as ClipError).message).toMatch(message);
    }
  });
});

/** Recomputed only when the world is changed on purpose (say why in the commit). */
const PINNED = {
  clean: '98f76b17c137ba3e04be39a97fdd1b237ab9234d610cd67978cd2e60bf1b8b71',
  rotation: 'c1e615be577290029c736902c2f74665b7bb660211e28d4577bc54a3cb74db24',
};
