/**
 * Draws one shape into an RGBA image with 4x4 supersampling (clean edges at 32-512 px) and returns
 * its mask: the pixels the filled shape covers at least half of. Blending is integer arithmetic,
 * so the same placement gives the same bytes everywhere.
 */
import { shapeContains } from './shapes.ts';
import { sinCosDegrees } from './trig.ts';
import type { Rgb, Shape } from './vocabulary.ts';

export interface Placement {
  shape: Shape;
  /** Centre in pixels (continuous coordinates: pixel x covers [x, x+1)). */
  cx: number;
  cy: number;
  /** Radius of the bounding circle in pixels. */
  radius: number;
  /** Degrees, clockwise on screen. */
  rotation: number;
}

export type TexturePattern = 'stripes' | 'checks' | 'dots';

export interface Texture {
  pattern: TexturePattern;
  /** Pattern period in the unit frame (the bounding circle has radius 1). */
  period: number;
  /** The second colour of the pattern. */
  shade: Rgb;
}

export interface ObjectStyle {
  /** Outline thickness in pixels; 0 fills the shape. */
  outline: number;
  texture?: Texture;
}

const SUPERSAMPLE = 4;
const SAMPLES = SUPERSAMPLE * SUPERSAMPLE;
const DIAGONAL = Math.SQRT1_2;
/** Where the outline test looks for the outside: eight directions around a sample. */
const RING: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [DIAGONAL, DIAGONAL],
  [DIAGONAL, -DIAGONAL],
  [-DIAGONAL, DIAGONAL],
  [-DIAGONAL, -DIAGONAL],
];

function textureOn(t: Texture, u: number, v: number): boolean {
  const a = Math.floor(u / t.period),
    b = Math.floor(v / t.period);
  switch (t.pattern) {
    case 'stripes':
      return (Math.floor((u + v) / t.period) & 1) === 0;
    case 'checks':
      return ((a + b) & 1) === 0;
    case 'dots': {
      const du = u / t.period - a - 0.5,
        dv = v / t.period - b - 0.5;
      return du * du + dv * dv > 0.09;
    }
  }
}

/** Whether a point of the shape has the outside within `distance` in one of eight directions. */
function nearEdge(shape: Shape, u: number, v: number, distance: number): boolean {
  for (const [du, dv] of RING) if (!shapeContains(shape, u + du * distance, v + dv * distance)) return true;
  return false;
}

/** Paints `colour` over `pixels` (RGBA, size x size) where the shape is; returns its 0/1 mask. */
export function drawObject(
  pixels: Uint8ClampedArray,
  size: number,
  p: Placement,
  colour: Rgb,
  style: ObjectStyle,
): Uint8Array {
  const mask = new Uint8Array(size * size);
  const [sin, cos] = sinCosDegrees(p.rotation);
  const inv = 1 / p.radius;
  const edge = style.outline * inv; // outline thickness in the unit frame
  const x0 = Math.max(0, Math.floor(p.cx - p.radius) - 1),
    x1 = Math.min(size, Math.ceil(p.cx + p.radius) + 1);
  const y0 = Math.max(0, Math.floor(p.cy - p.radius) - 1),
    y1 = Math.min(size, Math.ceil(p.cy + p.radius) + 1);
  const step = 1 / SUPERSAMPLE;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let filled = 0,
        drawn = 0,
        r = 0,
        g = 0,
        b = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        const dy = (y + (sy + 0.5) * step - p.cy) * inv;
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const dx = (x + (sx + 0.5) * step - p.cx) * inv;
          if (dx * dx + dy * dy > 1) continue; // outside the bounding circle: outside every shape
          const u = cos * dx + sin * dy,
            v = -sin * dx + cos * dy; // back into the shape's own frame
          if (!shapeContains(p.shape, u, v)) continue;
          filled++;
          if (edge > 0 && !nearEdge(p.shape, u, v, edge)) continue;
          drawn++;
          const c = style.texture && !textureOn(style.texture, u, v) ? style.texture.shade : colour;
          r += c[0];
          g += c[1];
          b += c[2];
        }
      }
      const i = y * size + x;
      if (2 * filled >= SAMPLES) mask[i] = 1;
      if (drawn === 0) continue;
      const keep = SAMPLES - drawn,
        o = 4 * i;
      pixels[o] = Math.floor((pixels[o] * keep + r + SAMPLES / 2) / SAMPLES);
      pixels[o + 1] = Math.floor((pixels[o + 1] * keep + g + SAMPLES / 2) / SAMPLES);
      pixels[o + 2] = Math.floor((pixels[o + 2] * keep + b + SAMPLES / 2) / SAMPLES);
    }
  }
  return mask;
}

/** [x0, y0, x1, y1] of a mask's pixels, x1/y1 exclusive (pixel edges); null for an empty mask. */
export function maskBox(mask: Uint8Array, size: number): [number, number, number, number] | null {
  let x0 = size,
    y0 = size,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!mask[y * size + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : [x0, y0, x1 + 1, y1 + 1];
}
