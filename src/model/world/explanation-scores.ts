/**
 * How good an explanation map is, against a world's ground truth and against the model itself:
 * - the pointing game (Zhang et al. 2016): the map's peak cell lies in the named object's box;
 * - deletion and insertion (Petsiuk et al. 2018, RISE): cells are removed from the image (replaced by a
 *   heavily blurred copy) in the map's order, most relevant first, and the model's probability of the object's
 *   name is recorded at each step; deletion's area under that curve should be low (the evidence goes
 *   first), insertion's (cells put back into the blurred image in the same order) high.
 * A seeded random order is the baseline every map should beat. One implementation for `eval --task
 * explain`, the meaning tests and the model card.
 */
import type { ClipModel } from '../clip.ts';
import { refineOptions, type RefineOption } from '../detect/refine.ts';
import type { GradCamMethod } from '../explain/index.ts';
import type { RawImage } from '../preprocess/preprocess.ts';

/** An image and the objects a prompt names in it (boxes [x0, y0, x1, y1] in pixels, x1/y1 exclusive). */
export interface NamedImage {
  image: RawImage;
  objects: { prompt: string; box: readonly number[] }[];
}

export type ExplanationMethod = GradCamMethod | 'random';

export interface ExplanationScore {
  method: ExplanationMethod;
  /** Whether the maps were refined by the image (PAMR) and their means per patch ordered. */
  refine: boolean;
  /** Pointing game hits / trials (for 'random': a random cell). */
  pointing: number;
  /** Mean area under the probability curve while cells are deleted (lower is better). */
  deletion: number;
  /** Mean area under the probability curve while cells are inserted (higher is better). */
  insertion: number;
  trials: number;
}

export interface ExplanationScoreOptions {
  /** The prompts the probability is taken over (softmax at the model's logit scale); must hold every object's prompt. */
  labels: readonly string[];
  /** Points on each curve besides the start (default 16; at most the number of cells). */
  steps?: number;
  /** Seed of the random baseline's orders (default 0). */
  seed?: number;
  /** Order the patches by the map refined by the image (PAMR) and averaged per patch (not for 'random'). */
  refine?: RefineOption;
}

/** The cells of a [rows, cols] grid, most relevant first (ties: lower index first). */
export function cellOrder(cam: ArrayLike<number>): number[] {
  return Array.from({ length: cam.length }, (_, i) => i).sort((a, b) => cam[b] - cam[a] || a - b);
}

/** A seeded permutation of n cells (mulberry32). */
export function randomOrder(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The image blurred by a box filter of `radius` pixels (edges clamped): what a deleted cell shows. */
export function boxBlur(image: RawImage, radius: number): RawImage {
  const { width: W, height: H, channels: C } = image;
  const pass = (src: ArrayLike<number>, horizontal: boolean): Float32Array => {
    const out = new Float32Array(W * H * C);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let d = -radius; d <= radius; d++) {
            const xx = horizontal ? Math.min(W - 1, Math.max(0, x + d)) : x;
            const yy = horizontal ? y : Math.min(H - 1, Math.max(0, y + d));
            sum += src[(yy * W + xx) * C + c];
          }
          out[(y * W + x) * C + c] = sum / (2 * radius + 1);
        }
    return out;
  };
  const data = Uint8ClampedArray.from(pass(pass(image.data, true), false), (v) => Math.round(v));
  return { width: W, height: H, channels: C, data };
}

/** The pixel rectangle [x0, y0, x1, y1) of cell k of a [rows, cols] grid laid over a W x H image. */
export function cellRect(k: number, [rows, cols]: readonly number[], W: number, H: number): number[] {
  const r = Math.floor(k / cols),
    c = k % cols;
  return [
    Math.floor((c * W) / cols),
    Math.floor((r * H) / rows),
    Math.floor(((c + 1) * W) / cols),
    Math.floor(((r + 1) * H) / rows),
  ];
}

/** `base` with the cells `cells` copied from `from`. */
export function pasteCells(
  base: RawImage,
  from: RawImage,
  cells: readonly number[],
  grid: readonly number[],
): RawImage {
  const data = Uint8ClampedArray.from(base.data);
  const { width: W, height: H, channels: C } = base;
  for (const k of cells) {
    const [x0, y0, x1, y1] = cellRect(k, grid, W, H);
    for (let y = y0; y < y1; y++) {
      const i = (y * W + x0) * C;
      data.set(from.data.slice(i, (y * W + x1) * C) as ArrayLike<number>, i);
    }
  }
  return { width: W, height: H, channels: C, data };
}

/** Area under y over x = 0..1 at equally spaced points (trapezoids). */
export function curveArea(ys: readonly number[]): number {
  if (ys.length < 2) return ys[0] ?? 0;
  let s = 0;
  for (let i = 1; i < ys.length; i++) s += (ys[i - 1] + ys[i]) / 2;
  return s / (ys.length - 1);
}

/** How many cells are changed at each point of a curve: 0, then `steps` equal strides up to all n. */
export function stepCounts(n: number, steps: number): number[] {
  const k = Math.max(1, Math.min(n, Math.round(steps)));
  return Array.from({ length: k + 1 }, (_, i) => Math.round((i * n) / k));
}

/** Is the map's peak cell on the object: the cell's centre in its box, or the box inside the cell? */
export function pointsAt(rect: readonly number[], box: readonly number[]): boolean {
  const cx = (rect[0] + rect[2]) / 2,
    cy = (rect[1] + rect[3]) / 2;
  const centreIn = cx >= box[0] && cx < box[2] && cy >= box[1] && cy < box[3];
  const boxInCell = box[0] >= rect[0] && box[1] >= rect[1] && box[2] <= rect[2] && box[3] <= rect[3];
  return centreIn || boxInCell;
}

/** Pointing game, deletion and insertion of one explanation method over every named object. */
export async function explanationScore(
  model: ClipModel,
  items: readonly NamedImage[],
  method: ExplanationMethod,
  options: ExplanationScoreOptions,
): Promise<ExplanationScore> {
  const labels = [...options.labels];
  const labelEmbeds = await model.labelEmbeddings(labels, { templates: ['{}'] });
  const scale = model.logitScale.exp;
  const probability = (e: Float32Array, target: number): number => {
    const n = Math.hypot(...e);
    const logits = labelEmbeds.map((l) => (scale * l.reduce((s, v, i) => s + v * e[i], 0)) / n);
    const max = Math.max(...logits);
    const z = logits.reduce((s, v) => s + Math.exp(v - max), 0);
    return Math.exp(logits[target] - max) / z;
  };
  const side = Math.floor(model.config.vision.imageSize / model.config.vision.patchSize);
  const grid = [side, side]; // the patch grid the maps are on
  let hits = 0,
    deletion = 0,
    insertion = 0,
    trials = 0;
  for (const [n, item] of items.entries()) {
    const { image } = item;
    // A heavy blur (a quarter of the image a side): a deleted cell keeps only the scene's colour cast.
    const blurred = boxBlur(image, Math.max(1, Math.round(image.width / 4)));
    for (const [o, object] of item.objects.entries()) {
      const target = labels.indexOf(object.prompt);
      if (target < 0) throw new Error(`explanationScore: "${object.prompt}" is not among the labels`);
      let order: number[];
      if (method === 'random') {
        order = randomOrder(grid[0] * grid[1], (options.seed ?? 0) + 7919 * n + o);
      } else {
        const cam = await model.gradcam(image, object.prompt, { method, refine: options.refine });
        if (cam.cam.length !== side * side) throw new Error(`explanationScore: a ${cam.grid} map for a ${grid} grid`);
        order = cellOrder(cam.refined?.cells ?? cam.cam);
      }
      if (pointsAt(cellRect(order[0], grid, image.width, image.height), object.box)) hits++;
      const counts = stepCounts(order.length, options.steps ?? 16);
      const deleted = counts.map((k) => pasteCells(image, blurred, order.slice(0, k), grid));
      const inserted = counts.map((k) => pasteCells(blurred, image, order.slice(0, k), grid));
      const embeds = await model.encodeImage([...deleted, ...inserted]);
      const p = embeds.map((e) => probability(e, target));
      deletion += curveArea(p.slice(0, counts.length));
      insertion += curveArea(p.slice(counts.length));
      trials++;
    }
  }
  const mean = (s: number) => s / Math.max(1, trials);
  const refine = method !== 'random' && refineOptions(options.refine) !== null;
  return { method, refine, pointing: mean(hits), deletion: mean(deletion), insertion: mean(insertion), trials };
}
