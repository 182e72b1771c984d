/**
 * Shapes as point-in-shape tests in a unit frame: the object's centre at the origin, its bounding
 * circle of radius 1, u to the right, v downwards. The sizes make the shapes look about as large
 * as one another; placement only needs the bounding circle.
 */
import { sinCosDegrees } from './trig.ts';
import type { Shape } from './vocabulary.ts';

type Polygon = readonly (readonly [number, number])[];

function regularPolygon(radii: readonly number[], count: number, startDegrees: number): Polygon {
  const points: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const [s, c] = sinCosDegrees(startDegrees + (360 * i) / count);
    const r = radii[i % radii.length];
    points.push([r * c, r * s]);
  }
  return points;
}

/** Pointing up (the first vertex at -90°, v down). */
const TRIANGLE = regularPolygon([1], 3, -90);
/** Five points; the inner radius is fatter than a regular star's 0.38 so the arms survive at 64 px. */
const STAR = regularPolygon([1, 0.45], 10, -90);

const CIRCLE_R2 = 0.85 * 0.85;
const SQUARE_HALF = 0.7;
const CROSS_HALF_LENGTH = 0.9,
  CROSS_HALF_WIDTH = 0.3;

/** Even-odd crossing test (the star is not convex). */
function inPolygon(poly: Polygon, u: number, v: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ui, vi] = poly[i],
      [uj, vj] = poly[j];
    if (vi > v !== vj > v && u < ((uj - ui) * (v - vi)) / (vj - vi) + ui) inside = !inside;
  }
  return inside;
}

export function shapeContains(shape: Shape, u: number, v: number): boolean {
  switch (shape) {
    case 'circle':
      return u * u + v * v <= CIRCLE_R2;
    case 'square':
      return Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
    case 'cross': {
      const au = Math.abs(u),
        av = Math.abs(v);
      return (au <= CROSS_HALF_WIDTH && av <= CROSS_HALF_LENGTH) || (av <= CROSS_HALF_WIDTH && au <= CROSS_HALF_LENGTH);
    }
    case 'triangle':
      return inPolygon(TRIANGLE, u, v);
    case 'star':
      return inPolygon(STAR, u, v);
  }
}

/** The rotation after which a shape looks the same (a circle: any). */
export const SYMMETRY_DEGREES: Record<Shape, number> = { circle: 0, square: 90, cross: 90, triangle: 120, star: 72 };
