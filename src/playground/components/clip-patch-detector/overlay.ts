/**
 * What <clip-patch-detector> draws over the image, in the image's own pixels: one rectangle per
 * grid cell (the map's cells taken through the detection's map -> image transform), the colour and
 * strength of each cell, and the outline of the part of the image the grid covers (patch modes see
 * the centre crop only). Pure functions of a Detection: no DOM, no GPU.
 */
import type { Detection } from '../../../model/detect/index.ts';
import { modelToImage } from '../../../model/preprocess/preprocess.ts';
import { seriesColour } from '../shared/colours.ts';

export interface CellRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

type Geometry = Pick<Detection, 'grid' | 'image' | 'mapSize' | 'mapToImage'>;

/** Every cell of the grid (row-major) as a rectangle in image pixels, clipped to the image. */
export function cellRects(d: Geometry): CellRect[] {
  const [rows, cols] = d.grid;
  const { width, height } = d.image;
  const out: CellRect[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [ax, ay] = modelToImage(d.mapToImage, (c * d.mapSize) / cols, (r * d.mapSize) / rows);
      const [bx, by] = modelToImage(d.mapToImage, ((c + 1) * d.mapSize) / cols, ((r + 1) * d.mapSize) / rows);
      const x0 = clamp(Math.min(ax, bx), width),
        x1 = clamp(Math.max(ax, bx), width);
      const y0 = clamp(Math.min(ay, by), height),
        y1 = clamp(Math.max(ay, by), height);
      out.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
    }
  }
  return out;
}

/** The rectangle the whole grid covers (the centre crop for patches/values, the image for crops). */
export function gridExtent(cells: readonly CellRect[]): CellRect {
  const x0 = Math.min(...cells.map((c) => c.x)),
    y0 = Math.min(...cells.map((c) => c.y));
  const x1 = Math.max(...cells.map((c) => c.x + c.w)),
    y1 = Math.max(...cells.map((c) => c.y + c.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Lowest and highest score of each query over the cells. */
export function queryRanges(d: Pick<Detection, 'queries' | 'patchSimilarity'>): { min: number; max: number }[] {
  return d.queries.map((_, q) => {
    let min = Infinity,
      max = -Infinity;
    for (const row of d.patchSimilarity) {
      min = Math.min(min, row[q]);
      max = Math.max(max, row[q]);
    }
    return { min, max };
  });
}

/** The query with the highest score in a cell (ties: the first). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

export interface CellPaint {
  colour: string;
  opacity: number;
  query: number;
}

/**
 * How one cell is painted: with `query` >= 0 that query's colour, stronger where its score is
 * higher (relative to its own range; crops: the probability itself); with `query` < 0 the colour of
 * the cell's best query, stronger where that query is near its own best.
 */
export function paintCell(
  row: ArrayLike<number>,
  query: number,
  ranges: readonly { min: number; max: number }[],
  probabilities: boolean,
): CellPaint {
  const q = query >= 0 ? query : argmax(row);
  const { min, max } = ranges[q];
  const t = probabilities ? clamp(row[q], 1) : max > min ? (row[q] - min) / (max - min) : 1;
  const opacity = query >= 0 ? 0.04 + 0.66 * t : 0.22 + 0.4 * t;
  return { colour: seriesColour(q), opacity, query: q };
}

function clamp(v: number, hi: number): number {
  return Math.min(hi, Math.max(0, v));
}
