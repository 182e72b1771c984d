/** Shared checks of the world tests: hashing scenes, groups of identical objects, mask geometry. */
import { createHash } from 'node:crypto';
import { sceneTruth, type Scene, type SceneObject } from '../../src/model/world/index.ts';

/** SHA-256 of the scenes' pixels, masks and truth (what must be the same on every machine). */
export function worldHash(scenes: readonly Scene[]): string {
  const h = createHash('sha256');
  scenes.forEach((s, i) => {
    h.update(new Uint8Array(s.pixels.buffer));
    for (const o of s.objects) h.update(o.mask);
    h.update(
      JSON.stringify(
        sceneTruth(
          s,
          `${i}`,
          s.objects.map((_, k) => `${i}-${k}`),
        ),
      ),
    );
  });
  return h.digest('hex');
}

/** (shape, colour) -> how many objects of that kind the scene holds. */
export function groupsOf(objects: readonly SceneObject[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of objects) m.set(`${o.colour} ${o.shape}`, (m.get(`${o.colour} ${o.shape}`) ?? 0) + 1);
  return m;
}

export const pixelAt = (s: Scene, x: number, y: number): [number, number, number] => {
  const o = 4 * (y * s.size + x);
  return [s.pixels[o], s.pixels[o + 1], s.pixels[o + 2]];
};

/** Mask pixels at least `depth` pixels inside (every pixel within that Chebyshev distance is in the mask). */
export function interior(mask: Uint8Array, size: number, depth = 1): [number, number][] {
  const out: [number, number][] = [];
  for (let y = depth; y < size - depth; y++) {
    for (let x = depth; x < size - depth; x++) {
      let all = true;
      for (let dy = -depth; dy <= depth && all; dy++)
        for (let dx = -depth; dx <= depth && all; dx++) all = mask[(y + dy) * size + x + dx] === 1;
      if (all) out.push([x, y]);
    }
  }
  return out;
}

export const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Up to 5 of `points` whose pixel is not `rgb` (one expect per object: per-pixel expects are slow). */
export function pixelsNot(s: Scene, points: Iterable<[number, number]>, rgb: readonly number[]): string[] {
  const bad: string[] = [];
  for (const [x, y] of points) {
    const p = pixelAt(s, x, y);
    if (!same(p, rgb) && bad.push(`(${x},${y})=${p}`) >= 5) break;
  }
  return bad;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
