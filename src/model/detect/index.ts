/**
 * Zero-shot patch detection: which parts of an image match each query, as a map on a grid and
 * as boxes. `ClipModel.detect` is the entry point; this module holds the logic.
 *
 *   patches (default)  every output token of the last vision layer through post_layernorm and the
 *                      visual projection, cosine with each query: a G x G map (7 x 7 for ViT-B/32).
 *   values             the same head on MaskCLIP's value path of the last block (sharper maps).
 *   sclip, clearclip,  the same head on the segmentation methods' last block (segment/methods.ts).
 *   naclip
 *   gradcam, gradcam++, the explanation map of each query (explain/): one backward pass (or, for
 *   relevance, legrad, CLIP Surgery, one forward) per query; the map is in the method's own units.
 *   surgery            Grad-CAM's paper localises objects this way (a box around the map's thresholded
 *                      region); on the world's two-object scenes these maps give the best boxes.
 *   crops              an N x N grid of crops (optionally + overlapping 2 x 2-cell windows), each
 *                      classified against the queries + a background prompt: probabilities.
 *
 * Boxes (boxes.ts): per query, the map is upsampled bilinearly to `mapSize` x `mapSize`
 * (with `refine`, then refined by the pixels of the model's view with PAMR: refine.ts),
 * thresholded, split into 8-connected regions, one box per region scored by the maximum of the map
 * inside it, non-maximum suppression, then mapped into the original image's pixels.
 */
import { mat3, type Mat3 } from 'wgpu-matrix';
import { ClipError } from '../../errors.ts';
import { platform, type ImageInput } from '../platform.ts';
import { DEFAULT_TEMPLATE } from '../templates.ts';
import type { ClipInternals } from '../internals.ts';
import { boxToImage, boxesFromGrid, nms, regionBoxes, type Connectivity } from './boxes.ts';
import { refineGridMaps, refineOptions, type PamrOptions, type RefineOption } from './refine.ts';
import type { PreprocessedImage } from '../preprocess/preprocess.ts';
import { cellScores, classifyCrops, cropWindows } from './crops.ts';
import { patchRows, recordDenseSimilarity } from './patches.ts';
import { lastBlockHooks, type LastBlockMethod } from '../segment/methods.ts';
import { gradcam, GRADCAM_METHODS, type GradCam, type GradCamMethod } from '../explain/index.ts';

export * from './boxes.ts';
export { cellScores, classifyCrops, cropImage, cropWindows, type CropWindow } from './crops.ts';
export { maskclipValues, patchRows, recordDenseSimilarity, type DenseMode } from './patches.ts';
export {
  refineGridMaps,
  refineMaps,
  refineOptions,
  resizePlanes,
  rgbPlanes,
  type PamrOptions,
  type RefineOption,
} from './refine.ts';

export type DenseDetectMode = 'patches' | 'values' | 'sclip' | 'clearclip' | 'naclip';
export type DetectMode = DenseDetectMode | GradCamMethod | 'crops';

/** Modes whose map is the dense head on a last block, and that block's segmentation method. */
const DENSE: Record<DenseDetectMode, LastBlockMethod> = {
  patches: 'raw',
  values: 'maskclip',
  sclip: 'sclip',
  clearclip: 'clearclip',
  naclip: 'naclip',
};
const isDense = (mode: DetectMode): mode is DenseDetectMode => Object.hasOwn(DENSE, mode);
/** Whether a mode's map is an explanation (in its method's own units, often far below 0.01). */
export const isExplanationMode = (mode: DetectMode): mode is GradCamMethod =>
  (GRADCAM_METHODS as readonly string[]).includes(mode);
export const DETECT_MODES: readonly DetectMode[] = [
  ...(Object.keys(DENSE) as DenseDetectMode[]),
  ...GRADCAM_METHODS,
  'crops',
];

/**
 * Default relative threshold of each mode's map (crops: absolute 0.5). Cosine maps keep 0.5. The
 * explanation maps' units differ by method; theirs were chosen on a validation world (two-object
 * scenes, seed 2026302; scripts/measure/detect-maps.measure.ts), never on the meaning tests'
 * held-out scenes: the threshold with the most IoU >= 0.5 boxes over two trained models (the
 * shipped one and its shape-first candidate).
 */
export const DEFAULT_RELATIVE_THRESHOLD: Record<Exclude<DetectMode, 'crops'>, number> = {
  patches: 0.5,
  values: 0.5,
  sclip: 0.5,
  clearclip: 0.5,
  naclip: 0.5,
  gradcam: 0.55,
  'gradcam++': 0.5,
  relevance: 0.2,
  legrad: 0.6,
  surgery: 0.65,
};

/**
 * Default relative threshold of each mode's map refined by PAMR (`refine`), chosen as above on the
 * validation world (seed 2026302, 408 named objects; scripts/measure/pamr-detect.measure.ts) with
 * the shipped model: PAMR spreads a map's peak over its region, so the cosine maps' regions are cut
 * higher than unrefined (0.7–0.9).
 */
export const DEFAULT_REFINED_RELATIVE_THRESHOLD: Record<Exclude<DetectMode, 'crops'>, number> = {
  patches: 0.7,
  values: 0.7,
  sclip: 0.8,
  clearclip: 0.9,
  naclip: 0.9,
  gradcam: 0.8,
  'gradcam++': 0.6,
  relevance: 0.2,
  legrad: 0.8,
  surgery: 0.8,
};

/** A name (encoded with the templates) or an embedding in hand (text or image, any scale) with its label. */
export type DetectQuery = string | { label: string; embedding: Float32Array };

export interface DetectBoxOptions {
  /**
   * Absolute threshold in the map's units (cosine for the dense modes, the explanation method's
   * own units, probability for crops).
   */
  threshold?: number;
  /**
   * Threshold as a fraction of each query's own range: min + r · (max − min). Used when
   * `threshold` is not given; default per mode in DEFAULT_RELATIVE_THRESHOLD. Crops default to
   * `threshold` 0.5.
   */
  relativeThreshold?: number;
  /** 8 (default) or 4. */
  connectivity?: Connectivity;
  /** NMS IoU (default 0.5). */
  iouThreshold?: number;
  /** Region score: 'max' (default) or 'mean' of the map inside it. */
  score?: 'max' | 'mean';
}

export interface DetectOptions extends DetectBoxOptions {
  mode?: DetectMode;
  /** Templates for string queries, ensembled as in classification (default ["a photo of a {}."]). */
  templates?: readonly string[];
  /** Cut over-long prompts instead of failing. */
  truncate?: boolean;
  /**
   * Side of the square map boxes are found on: the grid is upsampled bilinearly to it
   * (default: the model's input size; the grid size itself gives patch-aligned boxes).
   */
  mapSize?: number;
  /** crops: cells per side (default 3). */
  cropGrid?: number;
  /** crops: also the overlapping 2 x 2-cell windows (a second scale; default false). */
  overlap?: boolean;
  /** crops: the background prompt, put through the templates like the queries (default "background"). */
  background?: string;
  /**
   * Refine each query's map by the image with PAMR before the boxes are found (`true`: PAMR's
   * defaults, 10 steps at dilations 1..24): regions follow the object's edges, not the patch grid.
   * Every mode but crops; its own default thresholds (DEFAULT_REFINED_RELATIVE_THRESHOLD).
   */
  refine?: RefineOption;
}

export interface DetectionBox {
  query: string;
  queryIndex: number;
  /** Max (or mean) of the map inside the region. */
  score: number;
  /** In the original image's pixels (edges: the box spans [x, x + w) x [y, y + h)). */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Detection {
  mode: DetectMode;
  queries: string[];
  /** [rows, cols] of the map: the patch grid, or the crop grid for crops. */
  grid: [number, number];
  /**
   * Per grid cell (row-major), per query: cosine similarity (dense modes), the explanation map
   * (explanation modes) or the probability of the query against the others + background (crops).
   */
  patchSimilarity: Float32Array[];
  /** The absolute threshold used for each query. */
  thresholds: number[];
  /** Per query, highest score first. */
  boxes: DetectionBox[];
  image: { width: number; height: number };
  /** Side of the square map boxes were found on, and its pixel coordinates -> image pixels. */
  mapSize: number;
  mapToImage: Mat3;
  /** With `refine`: the PAMR options used, and per query the refined map [mapSize][mapSize] boxes are found on. */
  refined?: { options: Required<PamrOptions>; maps: Float32Array[] };
}

export async function detect(
  access: ClipInternals,
  image: ImageInput,
  queries: readonly DetectQuery[],
  options: DetectOptions = {},
): Promise<Detection> {
  const { model } = access;
  const mode = options.mode ?? 'patches';
  if (!DETECT_MODES.includes(mode)) {
    throw new ClipError('input', `Unknown detection mode "${mode}" (known: ${DETECT_MODES.join(', ')}).`);
  }
  if (queries.length === 0) throw new ClipError('input', 'No queries given: detection needs at least one object name.');
  const { config } = access;
  const S = config.vision.imageSize;
  const mapSize = options.mapSize ?? S;
  if (!Number.isInteger(mapSize) || mapSize < 1 || mapSize > 4096) {
    throw new ClipError('input', `mapSize must be an integer in 1..4096, got ${mapSize}`);
  }
  const labels = queries.map((q, i) => {
    if (typeof q === 'string') return q;
    if (!(q.embedding instanceof Float32Array) || q.embedding.length !== config.projectionDim) {
      throw new ClipError(
        'input',
        `Query ${i + 1} ("${q.label}") must have a Float32Array embedding of ${config.projectionDim} values.`,
      );
    }
    return q.label;
  });
  const refine = refineOptions(options.refine);
  if (refine && mode === 'crops')
    throw new ClipError('input', 'refine applies to the map modes, not to crops (whose map is a grid of crops).');
  const names = queries.filter((q): q is string => typeof q === 'string');
  if (mode === 'crops') names.push(options.background ?? 'background');
  const textOptions = { templates: options.templates ?? [DEFAULT_TEMPLATE], truncate: options.truncate };
  const encoded = names.length ? await model.labelEmbeddings(names, textOptions) : [];
  let next = 0;
  const embeds = queries.map((q) => (typeof q === 'string' ? encoded[next++] : q.embedding));

  // The model's view of the image, prepared once for the dense head and the refinement.
  let prepared: PreprocessedImage | undefined;
  const view = async () => (prepared ??= (await model.prepareImages([image]))[0]);
  let grid: [number, number];
  let patchSimilarity: Float32Array[];
  let imageSize: { width: number; height: number };
  let mapToImage: Mat3;
  if (mode === 'crops') {
    const raw = await platform().decodeImage(image);
    const n = options.cropGrid ?? 3;
    const windows = cropWindows(raw.width, raw.height, n, options.overlap ?? false);
    const probs = await classifyCrops(access, raw, windows, [...embeds, encoded[next]]);
    grid = [n, n];
    patchSimilarity = cellScores(windows, probs, n, queries.length);
    imageSize = { width: raw.width, height: raw.height };
    mapToImage = mat3.scaling([raw.width / mapSize, raw.height / mapSize]);
  } else if (isDense(mode)) {
    const prepared = await view();
    const G = S / config.vision.patchSize;
    const T = 1 + G * G;
    const P = config.projectionDim;
    const flat = new Float32Array(queries.length * P);
    embeds.forEach((e, i) => flat.set(e, i * P));
    const pass = access.ctx.pass();
    const pixels = pass.input([1, 3, S, S], prepared.pixels);
    const q = pass.input([queries.length, P], flat);
    const lastBlock = lastBlockHooks(DENSE[mode], config.vision);
    const sim = recordDenseSimilarity(pass, pixels, q, access.weights.vision, config.vision, lastBlock);
    const [out] = await pass.run([sim]);
    grid = [G, G];
    patchSimilarity = patchRows(out, T, queries.length);
    imageSize = { ...prepared.original };
    mapToImage = mat3.multiply(prepared.transform, mat3.scaling([S / mapSize, S / mapSize]));
  } else {
    // One explanation map per query, on the grid of patches; cell edges at integers map to pixels.
    const cams: GradCam[] = [];
    for (const e of embeds) cams.push(await gradcam(access, image, e, { method: mode }));
    grid = cams[0].grid;
    patchSimilarity = Array.from(cams[0].cam, (_, cell) => Float32Array.from(cams, (c) => c.cam[cell]));
    imageSize = { ...cams[0].image };
    mapToImage = mat3.multiply(cams[0].transform, mat3.scaling([grid[1] / mapSize, grid[0] / mapSize]));
  }
  let refined: Detection['refined'];
  if (refine) {
    // Each query's map refined by the model's view of the image (what the grid covers), at the map's size.
    const maps = queries.map((_, qi) => Float32Array.from(patchSimilarity, (row) => row[qi]));
    const pixels = (await view()).pixels;
    refined = { options: refine, maps: await refineGridMaps(access.ctx, pixels, S, maps, grid, mapSize, refine) };
  }
  const partial = { mode, queries: labels, grid, patchSimilarity, image: imageSize, mapSize, mapToImage, refined };
  const defaults: DetectBoxOptions =
    mode === 'crops'
      ? { threshold: 0.5 }
      : { relativeThreshold: (refined ? DEFAULT_REFINED_RELATIVE_THRESHOLD : DEFAULT_RELATIVE_THRESHOLD)[mode] };
  const boxOptions: DetectBoxOptions =
    options.threshold !== undefined || options.relativeThreshold !== undefined ? options : { ...options, ...defaults };
  return { ...partial, ...detectionBoxes(partial, boxOptions) };
}

/**
 * Boxes of a detection's map for other thresholds (a slider), without the GPU. Threshold rules
 * as in DetectOptions; with neither `threshold` nor `relativeThreshold`, relative 0.5.
 */
export function detectionBoxes(
  d: Pick<Detection, 'queries' | 'grid' | 'patchSimilarity' | 'image' | 'mapSize' | 'mapToImage' | 'refined'>,
  options: DetectBoxOptions = {},
): { boxes: DetectionBox[]; thresholds: number[] } {
  const [gh, gw] = d.grid;
  const boxes: DetectionBox[] = [];
  const thresholds: number[] = [];
  d.queries.forEach((query, qi) => {
    const map = d.refined?.maps[qi] ?? Float32Array.from(d.patchSimilarity, (row) => row[qi]);
    let threshold = options.threshold;
    if (threshold === undefined) {
      let lo = Infinity,
        hi = -Infinity;
      for (const v of map) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      threshold = lo + (options.relativeThreshold ?? 0.5) * (hi - lo);
    }
    thresholds.push(threshold);
    const boxOptions = {
      threshold,
      connectivity: options.connectivity,
      iouThreshold: options.iouThreshold,
      score: options.score,
    };
    const found = d.refined
      ? nms(regionBoxes(map, d.mapSize, d.mapSize, boxOptions), options.iouThreshold ?? 0.5)
      : boxesFromGrid(map, gh, gw, { ...boxOptions, size: [d.mapSize, d.mapSize] });
    for (const b of found) {
      const { x, y, w, h } = boxToImage(b, d.mapToImage, d.image);
      boxes.push({ query, queryIndex: qi, score: b.score, x, y, w, h });
    }
  });
  return { boxes, thresholds };
}
