/**
 * What a scene holds and where: 1-3 objects in groups of identical ones (a group of two is "two blue
 * squares"), each group a different (shape, colour) pair, placed so that bounding circles keep a gap:
 * masks and boxes never overlap.
 */
import type { Placement } from './raster.ts';
import type { Rng } from './random.ts';
import {
  COLOUR_NAMES,
  SHAPES,
  SIZE_CLASSES,
  SIZE_NAMES,
  type Colour,
  type Shape,
  type SizeClass,
} from './vocabulary.ts';

export interface PlannedObject extends Placement {
  colour: Colour;
  sizeClass: SizeClass;
  /** Index into the layout's groups. */
  group: number;
}

export interface Group {
  shape: Shape;
  colour: Colour;
  count: number;
}

export interface Layout {
  groups: Group[];
  objects: PlannedObject[];
}

/** How n objects split into groups of identical ones. */
function groupSizes(n: number, rng: Rng): number[] {
  const r = rng.float();
  if (n === 1) return [1];
  if (n === 2) return r < 0.3 ? [2] : [1, 1];
  return r < 0.2 ? [3] : r < 0.45 ? [2, 1] : [1, 1, 1];
}

const PLACEMENT_TRIES = 200;

export function planLayout(rng: Rng, size: number, minObjects: number, maxObjects: number): Layout {
  const n = rng.int(minObjects, maxObjects);
  const groups: Group[] = [];
  for (const count of groupSizes(n, rng)) {
    let shape: Shape, colour: Colour;
    do {
      shape = rng.pick(SHAPES);
      colour = rng.pick(COLOUR_NAMES);
    } while (groups.some((g) => g.shape === shape && g.colour === colour));
    groups.push({ shape, colour, count });
  }
  const margin = Math.max(1, size * 0.02),
    gap = Math.max(1, size * 0.03);
  const objects: PlannedObject[] = [];
  groups.forEach((g, group) => {
    for (let k = 0; k < g.count; k++) {
      let sizeClass = rng.pick(SIZE_NAMES);
      for (let round = 0; ; round++) {
        if (round > 20) throw new Error(`no room for ${n} objects in ${size} px`); // unreachable: three small ones fit

        const radius = size * SIZE_CLASSES[sizeClass] * rng.range(0.92, 1.08);
        const spot = place(rng, size, radius, margin, gap, objects);
        if (spot) {
          objects.push({
            shape: g.shape,
            colour: g.colour,
            sizeClass,
            group,
            cx: spot[0],
            cy: spot[1],
            radius,
            rotation: 0,
          });
          break;
        }
        // No room at this size: the next smaller class always fits three objects.
        sizeClass = sizeClass === 'large' ? 'medium' : 'small';
      }
    }
  });
  return { groups, objects };
}

function place(
  rng: Rng,
  size: number,
  radius: number,
  margin: number,
  gap: number,
  placed: readonly PlannedObject[],
): [number, number] | null {
  const lo = radius + margin,
    hi = size - radius - margin;
  for (let t = 0; t < PLACEMENT_TRIES; t++) {
    const cx = rng.range(lo, hi),
      cy = rng.range(lo, hi);
    const clear = placed.every((o) => {
      const d = o.radius + radius + gap,
        dx = o.cx - cx,
        dy = o.cy - cy;
      return dx * dx + dy * dy >= d * d;
    });
    if (clear) return [cx, cy];
  }
  return null;
}

export type Relation = 'left of' | 'right of' | 'above' | 'below';

/**
 * Where `a` is relative to `b`, only when their bounding circles are apart along that axis (so the
 * words hold for any rotation), and along the axis they are further apart on; otherwise null.
 */
export function relation(a: Placement, b: Placement): Relation | null {
  const dx = b.cx - a.cx,
    dy = b.cy - a.cy,
    reach = a.radius + b.radius;
  if (Math.abs(dx) >= Math.abs(dy) && Math.abs(dx) >= reach) return dx > 0 ? 'left of' : 'right of';
  if (Math.abs(dy) > Math.abs(dx) && Math.abs(dy) >= reach) return dy > 0 ? 'above' : 'below';
  return null;
}
