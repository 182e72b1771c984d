/**
 * Explainability: where in an image a text matches, from our own backward pass on the GPU.
 * `ClipModel.gradcam` is the entry point; this module holds the logic (record.ts: forward with the
 * kept activations + backward, one pass; legrad.ts: LeGrad's per-layer backwards, one pass;
 * surgery.ts: CLIP Surgery's forward; gradcam.ts: the methods' maps).
 *
 * Target (pytorch-grad-cam's choice for ViTs): A = the `layer_norm1` output of vision layer
 * `layer` (negative counts from the end, default −1), score = logits_per_image[image, text],
 * G = dScore/dA (exact, as autograd: see test/model/gradcam.test.ts against PyTorch's goldens).
 */
import { mat3, type Mat3 } from 'wgpu-matrix';
import { ClipError } from '../../errors.ts';
import type { ImageInput } from '../platform.ts';
import type { ClipInternals } from '../internals.ts';
import {
  DEFAULT_LAYER,
  GRADCAM_METHODS,
  channelWeights,
  legradMap,
  normalizeCam,
  relevanceMap,
  weightedActivations,
  type GradCamMethod,
} from './gradcam.ts';
import { recordLegrad } from './legrad.ts';
import { recordExplanation } from './record.ts';
import { recordSurgery } from './surgery.ts';
import { refineGridMaps, refineOptions, type PamrOptions, type RefineOption } from '../detect/refine.ts';

export * from './gradcam.ts';
export * from './overlay.ts';
export { recordExplanation, type ExplainInputs, type ExplainRecord } from './record.ts';
export { recordLegrad, type LegradRecord } from './legrad.ts';
export { SURGERY_BLOCKS, recordSurgery, type SurgeryRecord } from './surgery.ts';

export interface GradCamOptions {
  /**
   * Target vision layer (the first layer read, for relevance, LeGrad and CLIP Surgery): 0..L−1, or
   * negative from the end. Default per method (DEFAULT_LAYER): −1; LeGrad −2; CLIP Surgery −6
   * (clamped to the first layer).
   */
  layer?: number;
  /** 'gradcam' (default), 'gradcam++', 'relevance', 'legrad' or 'surgery'. */
  method?: GradCamMethod;
  /** Cut an over-long text as clip.tokenize(truncate=True) does, instead of failing. */
  truncate?: boolean;
  /** Also return A, G and the channel weights (gradcam, gradcam++, relevance; for checks and other CAM variants). */
  tensors?: boolean;
  /**
   * Also refine the map by the image's pixels with PAMR (`true`: 10 steps at dilations 1..24, or its
   * options): `refined` holds the map at the model input's pixels and pooled back to the grid.
   */
  refine?: RefineOption;
}

export interface GradCam {
  method: GradCamMethod;
  /** The target layer, 0-based (for relevance, LeGrad and CLIP Surgery: the first layer read). */
  layer: number;
  /** logits_per_image[image, text] = exp(logit_scale) · cos(image, text), of the plain model. */
  score: number;
  /** [rows, cols] of the patch grid. */
  grid: [number, number];
  /** The raw map, one value per patch, row-major (CLS dropped). */
  cam: Float32Array;
  /** (cam − min) / (1e-7 + max(cam − min)). */
  camNorm: Float32Array;
  /** Grid coordinates (cell edges at integers, 0..grid) -> pixels of the original image. */
  transform: Mat3;
  image: { width: number; height: number };
  /**
   * With `refine`: the map upsampled to the model's input (S x S pixels of its view of the image,
   * `transform`'s cell units times the patch size) and refined by those pixels with PAMR, and its mean
   * over each grid cell (row-major, as `cam`).
   */
  refined?: { options: Required<PamrOptions>; size: number; map: Float32Array; cells: Float32Array };
  /** With `tensors: true`. */
  tensors?: {
    /** A [T, D], CLS row first. */
    activations: Float32Array;
    /** G = dScore/dA [T, D]. */
    gradients: Float32Array;
    /** Channel weights [D] (null for relevance). */
    weights: Float32Array | null;
    shape: [number, number];
  };
}

export async function gradcam(
  access: ClipInternals,
  image: ImageInput,
  text: string | Float32Array,
  options: GradCamOptions = {},
): Promise<GradCam> {
  const { model, config } = access;
  const L = config.vision.numLayers;
  const method = options.method ?? 'gradcam';
  if (!GRADCAM_METHODS.includes(method)) {
    throw new ClipError('input', `Unknown Grad-CAM method "${method}" (known: ${GRADCAM_METHODS.join(', ')}).`);
  }
  const requested = options.layer ?? Math.max(DEFAULT_LAYER[method], -L);
  if (!Number.isInteger(requested) || requested < -L || requested >= L) {
    throw new ClipError(
      'input',
      `layer must be an integer in ${-L}..${L - 1} (the vision tower has ${L} layers), got ${requested}`,
    );
  }
  const layer = requested < 0 ? L + requested : requested;
  const refine = refineOptions(options.refine);
  const P = config.projectionDim;
  let textEmbed: Float32Array;
  if (typeof text === 'string') [textEmbed] = await model.encodeText([text], { truncate: options.truncate });
  else if (text instanceof Float32Array && text.length === P) textEmbed = text;
  else throw new ClipError('input', `text must be a string or a Float32Array embedding of ${P} values.`);
  // CLIP Surgery's redundant feature: the empty string's embedding.
  const empty = method === 'surgery' ? (await model.encodeText(['']))[0] : null;

  const [prepared] = await model.prepareImages([image]);
  const S = config.vision.imageSize;
  const patch = config.vision.patchSize;
  const g = Math.floor(S / patch);
  const T = 1 + g * g;
  const D = config.vision.hiddenSize;

  const pass = access.ctx.pass();
  const inputs = {
    pixels: pass.input([1, 3, S, S], prepared.pixels),
    text: pass.input([1, P], textEmbed),
    w: access.weights.vision,
    cfg: config.vision,
    zeroIndex: access.zeros(1),
    logitScale: access.logitScale,
    layer,
  };
  let score: Float32Array;
  let cam: Float32Array;
  let tensors: GradCam['tensors'];
  if (method === 'legrad') {
    const rec = recordLegrad(pass, inputs);
    const [s, ...grads] = await pass.run([rec.score, ...rec.gradProbs]);
    score = s;
    cam = legradMap(grads, config.vision.numHeads, T);
  } else if (method === 'surgery') {
    const direction = pass.input([1, P], surgeryDirection(textEmbed, empty!));
    const rec = recordSurgery(pass, { ...inputs, direction });
    const [s, sim] = await pass.run([rec.score, rec.similarity]);
    score = s;
    cam = sim.slice(1);
  } else {
    const rec = recordExplanation(pass, { ...inputs, relevance: method === 'relevance' });
    const [s, A, G, R] = await pass.run([
      rec.score,
      rec.activations,
      rec.gradients,
      ...(rec.relevanceT ? [rec.relevanceT] : []),
    ]);
    score = s;
    let weights: Float32Array | null = null;
    if (method === 'relevance') cam = relevanceMap(R, T);
    else {
      const w64 = channelWeights(A, G, T, D, method);
      weights = Float32Array.from(w64);
      cam = weightedActivations(A, w64, T, D);
    }
    tensors = { activations: A, gradients: G, weights, shape: [T, D] };
  }
  return {
    method,
    layer,
    score: score[0],
    grid: [g, g],
    cam,
    camNorm: normalizeCam(cam),
    ...(refine ? { refined: await refineCam(access, cam, g, patch, prepared.pixels, refine) } : {}),
    transform: mat3.multiply(prepared.transform, mat3.scaling([patch, patch])),
    image: { ...prepared.original },
    ...(options.tensors && tensors ? { tensors } : {}),
  };
}

/** A g x g map upsampled to the S x S model input, refined by its pixels (PAMR), and pooled per cell. */
async function refineCam(
  access: ClipInternals,
  cam: Float32Array,
  g: number,
  patch: number,
  pixels: Float32Array,
  options: Required<PamrOptions>,
): Promise<NonNullable<GradCam['refined']>> {
  const S = access.config.vision.imageSize;
  // The grid covers g·patch pixels of the input (all of it when S is a multiple of the patch).
  const span = g * patch;
  const [map] = await refineGridMaps(access.ctx, pixels, S, [cam], [g, g], S, options, span);
  const cells = new Float32Array(g * g);
  for (let y = 0; y < span; y++)
    for (let x = 0; x < span; x++) cells[Math.floor(y / patch) * g + Math.floor(x / patch)] += map[y * S + x];
  for (let k = 0; k < cells.length; k++) cells[k] /= patch * patch;
  return { options, size: S, map, cells };
}

/** unit(text) − unit(empty): CLIP Surgery's single-text feature surgery direction. */
export function surgeryDirection(text: ArrayLike<number>, empty: ArrayLike<number>): Float32Array {
  const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
  const [nt, ne] = [norm(text), norm(empty)];
  return Float32Array.from({ length: text.length }, (_, i) => text[i] / nt - empty[i] / ne);
}
