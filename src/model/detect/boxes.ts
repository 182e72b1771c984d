/**
 * From a similarity map on a coarse grid to boxes, in pure TypeScript (no GPU, no DOM):
 *
 *   grid map [gh, gw] --bilinear upsampling--> [H, W] --threshold--> mask
 *     --connected components (4- or 8-connected)--> one box per component, score = max inside
 *     --non-maximum suppression by IoU--> boxes --transform--> original image pixels.
 *
 * Coordinates: map pixel (row i, column j) covers [j, j + 1) x [i, i + 1), so a box
 * {x, y, w, h} covers the pixels x..x+w-1, y..y+h-1 and its edges are x and x + w.
 *
 * Box score is the **maximum** of the map inside the component (not the mean): it does not fall
 * as a region grows, so a large object and a small one with the same peak similarity score alike,
 * and it does not depend on the threshold that cut the region out (the mean does). `score: 'mean'`
 * is available where a region's average is wanted.
 */
import type { Mat3 } from 'wgpu-matrix';
import { modelToImage } from '../preprocess/preprocess.ts';

export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  /** Pixels in the component (not the box area). */
  area: number;
}

export type Connectivity = 4 | 8;

export interface BoxOptions {
  /** Pixels with a value >= threshold belong to regions. */
  threshold: number;
  /** 8 (default): diagonal neighbours join a region; 4: only edge neighbours. */
  connectivity?: Connectivity;
  /** 'max' (default) or 'mean' of the map over the component. */
  score?: 'max' | 'mean';
  /** Boxes overlapping a higher-scored one by more than this IoU are dropped (default 0.5). */
  iouThreshold?: number;
  /** Components with fewer pixels are dropped (default 1: none). */
  minArea?: number;
}

/**
 * Bilinear resize of a row-major [h, w] map to [outH, outW], as PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False)`: output pixel centres are mapped onto
 * input pixel centres (src = (dst + 0.5) · in/out − 0.5, clamped at the edges).
 */
export function upsampleBilinear(
  src: ArrayLike<number>,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  if (src.length !== h * w) throw new RangeError(`upsampleBilinear: ${src.length} values for [${h}, ${w}]`);
  if (!(outH >= 1 && outW >= 1 && Number.isInteger(outH) && Number.isInteger(outW))) {
    throw new RangeError(`upsampleBilinear: output size [${outH}, ${outW}]`);
  }
  const ys = axis(h, outH);
  const xs = axis(w, outW);
  const out = new Float32Array(outH * outW);
  for (let i = 0; i < outH; i++) {
    const { i0, i1, t } = ys[i];
    for (let j = 0; j < outW; j++) {
      const { i0: j0, i1: j1, t: u } = xs[j];
      const top = src[i0 * w + j0] * (1 - u) + src[i0 * w + j1] * u;
      const bottom = src[i1 * w + j0] * (1 - u) + src[i1 * w + j1] * u;
      out[i * outW + j] = top * (1 - t) + bottom * t;
    }
  }
  return out;
}

function axis(n: number, out: number): { i0: number; i1: number; t: number }[] {
  const scale = n / out;
  return Array.from({ length: out }, (_, d) => {
    const s = Math.max(0, (d + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(s), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    return { i0, i1, t: i1 === i0 ? 0 : s - i0 };
  });
}

/**
 * Connected components of a mask [h, w] (non-zero = foreground). Returns a label per pixel
 * (-1 background, else 0..count-1, numbered in raster order of their first pixel) and the count.
 */
export function connectedComponents(
  mask: ArrayLike<number | boolean>,
  h: number,
  w: number,
  connectivity: Connectivity = 8,
): { labels: Int32Array; count: number } {
  if (mask.length !== h * w) throw new RangeError(`connectedComponents: ${mask.length} values for [${h}, ${w}]`);
  if (connectivity !== 4 && connectivity !== 8)
    throw new RangeError(`connectivity must be 4 or 8, got ${connectivity}`);
  const labels = new Int32Array(h * w).fill(-1);
  const stack = new Int32Array(h * w);
  const dy = connectivity === 8 ? [-1, -1, -1, 0, 0, 1, 1, 1] : [-1, 0, 0, 1];
  const dx = connectivity === 8 ? [-1, 0, 1, -1, 1, -1, 0, 1] : [0, -1, 1, 0];
  let count = 0;
  for (let start = 0; start < h * w; start++) {
    if (!mask[start] || labels[start] !== -1) continue;
    const label = count++;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top];
      const y = (p / w) | 0,
        x = p - y * w;
      for (let k = 0; k < dy.length; k++) {
        const ny = y + dy[k],
          nx = x + dx[k];
        if (ny < 0 || ny >= h || nx < 0 || nx >= w) continue;
        const q = ny * w + nx;
        if (mask[q] && labels[q] === -1) {
          labels[q] = label;
          stack[top++] = q;
        }
      }
    }
  }
  return { labels, count };
}

/** One box per connected region of `map >= threshold`, before NMS, in raster order of the regions. */
export function regionBoxes(map: ArrayLike<number>, h: number, w: number, options: BoxOptions): PixelBox[] {
  const { threshold, connectivity = 8, score = 'max', minArea = 1 } = options;
  const mask = new Uint8Array(h * w);
  for (let i = 0; i < mask.length; i++) mask[i] = map[i] >= threshold ? 1 : 0;
  const { labels, count } = connectedComponents(mask, h, w, connectivity);
  const acc = Array.from({ length: count }, () => ({
    x0: Infinity,
    y0: Infinity,
    x1: -1,
    y1: -1,
    max: -Infinity,
    sum: 0,
    n: 0,
  }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = labels[y * w + x];
      if (l < 0) continue;
      const a = acc[l],
        v = map[y * w + x];
      if (x < a.x0) a.x0 = x;
      if (x > a.x1) a.x1 = x;
      if (y < a.y0) a.y0 = y;
      if (y > a.y1) a.y1 = y;
      if (v > a.max) a.max = v;
      a.sum += v;
      a.n++;
    }
  }
  return acc
    .filter((a) => a.n >= minArea)
    .map((a) => ({
      x: a.x0,
      y: a.y0,
      w: a.x1 - a.x0 + 1,
      h: a.y1 - a.y0 + 1,
      score: score === 'max' ? a.max : a.sum / a.n,
      area: a.n,
    }));
}

export function iou(
  a: { x: number; y: number; w: number; h: number },
  b: { x: number; y: number; w: number; h: number },
): number {
  const iw = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const ih = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = iw * ih;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS: highest score first (ties: earlier first); drop boxes with IoU > iouThreshold to a kept one. */
export function nms<B extends { x: number; y: number; w: number; h: number; score: number }>(
  boxes: readonly B[],
  iouThreshold = 0.5,
): B[] {
  const order = boxes.map((_, i) => i).sort((i, j) => boxes[j].score - boxes[i].score || i - j);
  const kept: B[] = [];
  for (const i of order) {
    if (kept.every((k) => iou(k, boxes[i]) <= iouThreshold)) kept.push(boxes[i]);
  }
  return kept;
}

/**
 * The whole chain for one map: upsample the grid [gh, gw] to [outH, outW] (default: no upsampling),
 * threshold, components, boxes, NMS. Boxes are in the upsampled map's pixels, highest score first.
 */
export function boxesFromGrid(
  grid: ArrayLike<number>,
  gh: number,
  gw: number,
  options: BoxOptions & { size?: [outH: number, outW: number] },
): PixelBox[] {
  const [outH, outW] = options.size ?? [gh, gw];
  const map = outH === gh && outW === gw ? grid : upsampleBilinear(grid, gh, gw, outH, outW);
  return nms(regionBoxes(map, outH, outW, options), options.iouThreshold ?? 0.5);
}

/**
 * A box in map pixels -> original image pixels through `transform` (map pixel coordinates ->
 * image pixel coordinates, e.g. `PreprocessedImage.transform` when the map has the model's input
 * size), clipped to the image. The transforms used here only scale and translate, so the box's
 * corners are enough.
 */
export function boxToImage<B extends { x: number; y: number; w: number; h: number }>(
  box: B,
  transform: Mat3,
  image: { width: number; height: number },
): B {
  const [ax, ay] = modelToImage(transform, box.x, box.y);
  const [bx, by] = modelToImage(transform, box.x + box.w, box.y + box.h);
  const x0 = clamp(Math.min(ax, bx), 0, image.width),
    x1 = clamp(Math.max(ax, bx), 0, image.width);
  const y0 = clamp(Math.min(ay, by), 0, image.height),
    y1 = clamp(Math.max(ay, by), 0, image.height);
  return { ...box, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
