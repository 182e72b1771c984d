/**
 * Training-free semantic segmentation: a label per pixel for a set of text labels, from the patch
 * tokens of the last vision block as one of the methods of methods.ts changes it (MaskCLIP,
 * SCLIP, ClearCLIP, NACLIP, or the raw tokens), or from each label's relevance map (relevance.ts).
 * `ClipModel.segment` is the entry point.
 *
 *   image -> (whole, or sliding windows) resized to the model's input, no crop
 *         -> vision tower with the method's last block -> post_layernorm -> projection
 *         -> cosine with each label's text embedding: logits [labels][rows][cols] on the patch grid
 *            (relevance: each label's weighted relevance map instead)
 *         -> upsampled bilinearly to the image [-> refined by its pixels: PAMR, `refine`]
 *         -> argmax, background -> mask [height][width]
 */
import { ClipError } from '../../errors.ts';
import { upsampleBilinear } from '../detect/boxes.ts';
import { cropImage } from '../detect/crops.ts';
import { recordDenseSimilarity } from '../detect/patches.ts';
import {
  refineMaps,
  refineOptions,
  resizePlanes,
  rgbPlanes,
  type PamrOptions,
  type RefineOption,
} from '../detect/refine.ts';
import type { ClipInternals } from '../internals.ts';
import { platform, type ImageInput } from '../platform.ts';
import { preprocessImage, resizeLikePIL, type RawImage } from '../preprocess/preprocess.ts';
import { DEFAULT_TEMPLATE } from '../templates.ts';
import { labelMask } from './mask.ts';
import { SEGMENT_METHODS, lastBlockHooks, patchGrid, type LastBlockMethod, type SegmentMethod } from './methods.ts';
import { RELEVANCE_BACKGROUND, RELEVANCE_REFINE, relevanceMaps } from './relevance.ts';
import { checkSlide, slideGrid, slideWindows, stitchWindows, type SlideOptions, type SlideWindow } from './windows.ts';

export { BACKGROUND, labelMask, type MaskOptions } from './mask.ts';
export { IouCounter, type IouScore } from './evaluate.ts';
export { RELEVANCE_BACKGROUND, RELEVANCE_REFINE, weightRelevance } from './relevance.ts';
export {
  LAST_BLOCK_METHODS,
  NACLIP_STD,
  SEGMENT_METHODS,
  lastBlockHooks,
  neighbourhoodBias,
  patchGrid,
  type LastBlockMethod,
  type SegmentMethod,
} from './methods.ts';
export { checkSlide, slideGrid, slideWindows, stitchWindows, type SlideOptions, type SlideWindow } from './windows.ts';

/** SCLIP's and NACLIP's `logit_scale` for the probabilities a threshold is compared with. */
export const SEGMENT_LOGIT_SCALE = 40;
/** `refine` works on at most this many pixels (larger images: scaled down for it, the result scaled back). */
export const REFINE_MAX_PIXELS = 1 << 20;
/** Windows encoded per GPU pass. */
const WINDOWS_PER_PASS = 8;

export interface SegmentOptions {
  /** How the last block is changed (default 'naclip'). */
  method?: SegmentMethod;
  /**
   * A background label (a name, encoded like the labels; its pixels become background) or a
   * probability threshold in [0, 1] (pixels whose best label is less likely become background).
   * Default: none, every pixel gets a label.
   * With 'relevance' a number is the share of the image's best weighted map below which a pixel is
   * background (default RELEVANCE_BACKGROUND, 0.5; 0: every pixel gets a label), and a background
   * label competes like the labels, that share still applying.
   */
  background?: string | number;
  /** Sliding windows in image pixels (default: the whole image in one view). */
  slide?: SlideOptions;
  /** Templates, ensembled as in classification (default ["a photo of a {}."]). */
  templates?: readonly string[];
  /** Cut over-long prompts instead of failing. */
  truncate?: boolean;
  /**
   * Multiplies the cosines before the softmax that a threshold is compared with (default 40). Unused by
   * 'relevance', which weights its maps by the model's own zero-shot probabilities.
   */
  logitScale?: number;
  /**
   * The labels' text embeddings in hand (then `templates` and `truncate` are unused and no text is
   * encoded): one per label, then the background label's, any scale. Evaluations reuse them.
   */
  embeddings?: readonly Float32Array[];
  /**
   * Refine the upsampled maps by the image's pixels with PAMR before each pixel's label is chosen, as
   * SCLIP does (`true`: 10 steps at dilations 1..24; relevance: RELEVANCE_REFINE, 40 steps): masks
   * follow the objects' edges instead of the patch grid. At the image's size up to REFINE_MAX_PIXELS;
   * relevance's at the model's pixel density (each view scaled to the model's input size).
   */
  refine?: RefineOption;
}

export interface Segmentation {
  method: SegmentMethod;
  labels: string[];
  /** [rows, cols] of `logits`: the patch grid (or the sliding windows' output grid). */
  grid: [number, number];
  /**
   * Cosine similarity of each grid cell with each label: [labels][rows][cols] row-major ('relevance':
   * each label's relevance map over its maximum times the label's probability for the view).
   */
  logits: Float32Array;
  /** The background label and its map [rows][cols], or the threshold; undefined without either. */
  background?: { label: string; logits: Float32Array } | { threshold: number };
  /** 'relevance': the share of the image's best weighted map below which a pixel is background. */
  relevanceShare?: number;
  /** Label index per image pixel, [height][width] row-major; BACKGROUND (-1) for background. */
  mask: Int16Array;
  image: { width: number; height: number };
  /** The views the model saw: one, or the sliding windows. */
  windows: SlideWindow[];
  /**
   * With `refine`: the PAMR options, the size [height, width] the maps were refined at, and the refined
   * maps [labels (then the background label's)][height][width] the mask was chosen from.
   */
  refined?: { options: Required<PamrOptions>; size: [number, number]; maps: Float32Array };
  /** `logits` upsampled bilinearly to `size` (default: the image's): [labels][height][width]. */
  upsample(size?: { width: number; height: number }): Float32Array;
}

export async function segment(
  access: ClipInternals,
  image: ImageInput,
  labels: readonly string[],
  options: SegmentOptions = {},
): Promise<Segmentation> {
  const method = options.method ?? 'naclip';
  if (!SEGMENT_METHODS.includes(method)) {
    throw new ClipError('input', `Unknown segmentation method "${method}" (known: ${SEGMENT_METHODS.join(', ')}).`);
  }
  if (labels.length === 0) throw new ClipError('input', 'No labels given: segmentation needs at least one label.');
  if (labels.length > 32767) throw new ClipError('input', `At most 32767 labels, got ${labels.length}.`);
  const { background } = options;
  let threshold: number | undefined;
  let backgroundLabel: string | undefined;
  const relevance = method === 'relevance';
  if (typeof background === 'number') {
    if (!(background >= 0 && background <= 1)) {
      throw new ClipError(
        'input',
        relevance
          ? `The background share is a number in [0, 1], got ${background}.`
          : `The background threshold is a probability in [0, 1], got ${background}.`,
      );
    }
    if (labels.length < 2 && !relevance) {
      throw new ClipError(
        'input',
        'A background threshold needs at least two labels (with one, its probability is 1 everywhere); give a background label instead.',
      );
    }
    if (!relevance) threshold = background;
  } else if (background !== undefined) {
    if (typeof background !== 'string' || !background.trim()) {
      throw new ClipError('input', 'The background label is empty: give a name (e.g. "background") or a threshold.');
    }
    backgroundLabel = background;
  }
  const logitScale = options.logitScale ?? SEGMENT_LOGIT_SCALE;
  if (!(logitScale > 0 && Number.isFinite(logitScale))) {
    throw new ClipError('input', `logitScale must be a positive number, got ${logitScale}.`);
  }
  const slide = options.slide ? checkSlide(options.slide) : undefined;
  // Relevance's maps peak on a few patches: PAMR needs more steps to spread them over the object.
  const refine = refineOptions(relevance && options.refine === true ? RELEVANCE_REFINE : options.refine);

  const names = backgroundLabel === undefined ? [...labels] : [...labels, backgroundLabel];
  const textOptions = { templates: options.templates ?? [DEFAULT_TEMPLATE], truncate: options.truncate };
  const given = options.embeddings;
  if (given) {
    const P = access.config.projectionDim;
    if (given.length !== names.length || given.some((e) => !(e instanceof Float32Array) || e.length !== P)) {
      throw new ClipError(
        'input',
        `embeddings must be ${names.length} Float32Arrays of ${P} values (one per label${backgroundLabel === undefined ? '' : ', then the background label'}).`,
      );
    }
  }
  const embeds = given ?? (await access.model.labelEmbeddings(names, textOptions));
  const raw = await platform().decodeImage(image);
  const { width, height } = raw;
  const [G] = patchGrid(access.config.vision);
  const windows = slide ? slideWindows(width, height, slide) : [{ x: 0, y: 0, w: width, h: height }];
  const maps = await windowMaps(access, raw, windows, embeds, method);
  const share = relevance ? (typeof background === 'number' ? background : RELEVANCE_BACKGROUND) : undefined;
  const grid: [number, number] = slide ? slideGrid(width, height, slide.window, G) : [G, G];
  const all = windows.length === 1 ? maps[0] : stitchWindows(windows, maps, names.length, G, width, height, grid);

  const cells = grid[0] * grid[1];
  const logits = all.slice(0, labels.length * cells);
  // With refine: every map at the image's size (or scaled down to REFINE_MAX_PIXELS), refined by its pixels;
  // relevance's at the pixel density the model saw (its input size per view), so that PAMR's reach in
  // pixels means the same on a large image as on the model's input.
  let labelMaps = all;
  let mapGrid = grid;
  if (refine) {
    const view = slide ? slide.window : Math.max(width, height);
    const f = Math.min(
      1,
      Math.sqrt(REFINE_MAX_PIXELS / (width * height)),
      relevance ? access.config.vision.imageSize / view : Number.POSITIVE_INFINITY,
    );
    const size = { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
    const pixels = resizePlanes(rgbPlanes(raw), 3, height, width, size.height, size.width);
    const full = upsampleLogits(all, names.length, grid, size);
    labelMaps = await refineMaps(access.ctx, pixels, 3, full, names.length, size.height, size.width, refine);
    mapGrid = [size.height, size.width];
  }
  const mask = labelMask(labelMaps, names.length, mapGrid, raw, {
    threshold,
    backgroundIndex: backgroundLabel === undefined ? undefined : labels.length,
    logitScale,
    share,
  });
  return {
    method,
    labels: [...labels],
    grid,
    logits,
    background:
      backgroundLabel !== undefined
        ? { label: backgroundLabel, logits: all.slice(labels.length * cells) }
        : threshold !== undefined
          ? { threshold }
          : undefined,
    mask,
    image: { width, height },
    windows,
    ...(share !== undefined ? { relevanceShare: share } : {}),
    ...(refine ? { refined: { options: refine, size: mapGrid, maps: labelMaps } } : {}),
    upsample: (size = { width, height }) => upsampleLogits(logits, labels.length, grid, size),
  };
}

/** Every label's map upsampled to `size`: [labels][height][width]. */
export function upsampleLogits(
  logits: Float32Array,
  labels: number,
  grid: [number, number],
  size: { width: number; height: number },
): Float32Array {
  const [gh, gw] = grid;
  const { width, height } = size;
  if (
    !(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1 && width * height <= 1 << 26)
  ) {
    throw new ClipError(
      'input',
      `Upsampling size must be positive whole numbers (at most 2^26 pixels), got ${width}x${height}.`,
    );
  }
  const out = new Float32Array(labels * width * height);
  for (let l = 0; l < labels; l++) {
    out.set(
      upsampleBilinear(logits.subarray(l * gh * gw, (l + 1) * gh * gw), gh, gw, height, width),
      l * width * height,
    );
  }
  return out;
}

/** A window of the image as the model's input: resized to S x S (no crop), normalized [3, S, S]. */
export function windowPixels(raw: RawImage, win: SlideWindow, S: number): Float32Array {
  const whole = win.x === 0 && win.y === 0 && win.w === raw.width && win.h === raw.height;
  const view = whole ? raw : cropImage(raw, win);
  return preprocessImage(view.width === view.height ? view : resizeLikePIL(view, S, S), S).pixels;
}

/** Each window's [labels][G][G] cosine map, WINDOWS_PER_PASS windows per GPU pass ('relevance': its maps). */
async function windowMaps(
  access: ClipInternals,
  raw: RawImage,
  windows: readonly SlideWindow[],
  embeds: readonly Float32Array[],
  method: SegmentMethod,
): Promise<Float32Array[]> {
  const { config, weights, ctx } = access;
  const S = config.vision.imageSize;
  const maps: Float32Array[] = [];
  if (method === 'relevance') {
    for (const win of windows) maps.push(await relevanceMaps(access, windowPixels(raw, win, S), embeds));
    return maps;
  }
  const [G] = patchGrid(config.vision);
  const T = 1 + G * G;
  const P = config.projectionDim;
  const Q = embeds.length;
  const flat = new Float32Array(Q * P);
  embeds.forEach((e, i) => flat.set(e, i * P));
  const hooks = lastBlockHooks(method as LastBlockMethod, config.vision);
  for (let start = 0; start < windows.length; start += WINDOWS_PER_PASS) {
    const batch = windows.slice(start, start + WINDOWS_PER_PASS);
    const B = batch.length;
    const pixels = new Float32Array(B * 3 * S * S);
    batch.forEach((win, i) => pixels.set(windowPixels(raw, win, S), i * 3 * S * S));
    const pass = ctx.pass();
    const input = pass.input([B, 3, S, S], pixels);
    const q = pass.input([Q, P], flat);
    const sim = recordDenseSimilarity(pass, input, q, weights.vision, config.vision, hooks); // [B, T, Q]
    const [out] = await pass.run([sim]);
    for (let b = 0; b < B; b++) {
      const map = new Float32Array(Q * G * G);
      for (let p = 0; p < G * G; p++) {
        for (let l = 0; l < Q; l++) map[l * G * G + p] = out[(b * T + p + 1) * Q + l];
      }
      maps.push(map);
    }
  }
  return maps;
}
