/**
 * Explainability: where in an image a text matches, from our own backward pass on the GPU.
 * `ClipModel.gradcam` is the entry point; this module holds the logic (record.ts: forward with the
 * kept activations + backward, one pass; gradcam.ts: the three methods' maps).
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
  GRADCAM_METHODS,
  channelWeights,
  normalizeCam,
  relevanceMap,
  weightedActivations,
  type GradCamMethod,
} from './gradcam.ts';
import { recordExplanation } from './record.ts';

export * from './gradcam.ts';
export * from './overlay.ts';
export { recordExplanation, type ExplainInputs, type ExplainRecord } from './record.ts';

export interface GradCamOptions {
  /** Target vision layer: 0..L−1, or negative from the end (default −1, the last). */
  layer?: number;
  /** 'gradcam' (default), 'gradcam++' or 'relevance'. */
  method?: GradCamMethod;
  /** Cut an over-long text as clip.tokenize(truncate=True) does, instead of failing. */
  truncate?: boolean;
  /** Also return A, G and the channel weights (for checks and other CAM variants). */
  tensors?: boolean;
}

export interface GradCam {
  method: GradCamMethod;
  /** The target layer, 0-based. */
  layer: number;
  /** logits_per_image[image, text] = exp(logit_scale) · cos(image, text). */
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
  const requested = options.layer ?? -1;
  if (!Number.isInteger(requested) || requested < -L || requested >= L) {
    throw new ClipError(
      'input',
      `layer must be an integer in ${-L}..${L - 1} (the vision tower has ${L} layers), got ${requested}`,
    );
  }
  const layer = requested < 0 ? L + requested : requested;
  const P = config.projectionDim;
  let textEmbed: Float32Array;
  if (typeof text === 'string') [textEmbed] = await model.encodeText([text], { truncate: options.truncate });
  else if (text instanceof Float32Array && text.length === P) textEmbed = text;
  else throw new ClipError('input', `text must be a string or a Float32Array embedding of ${P} values.`);

  const [prepared] = await model.prepareImages([image]);
  const S = config.vision.imageSize;
  const patch = config.vision.patchSize;
  const g = Math.floor(S / patch);
  const T = 1 + g * g;
  const D = config.vision.hiddenSize;

  const pass = access.ctx.pass();
  const rec = recordExplanation(pass, {
    pixels: pass.input([1, 3, S, S], prepared.pixels),
    text: pass.input([1, P], textEmbed),
    w: access.weights.vision,
    cfg: config.vision,
    zeroIndex: access.zeros(1),
    logitScale: access.logitScale,
    layer,
    relevance: method === 'relevance',
  });
  const [score, A, G, R] = await pass.run([
    rec.score,
    rec.activations,
    rec.gradients,
    ...(rec.relevanceT ? [rec.relevanceT] : []),
  ]);

  let weights: Float32Array | null = null;
  let cam: Float32Array;
  if (method === 'relevance') cam = relevanceMap(R, T);
  else {
    const w64 = channelWeights(A, G, T, D, method);
    weights = Float32Array.from(w64);
    cam = weightedActivations(A, w64, T, D);
  }
  return {
    method,
    layer,
    score: score[0],
    grid: [g, g],
    cam,
    camNorm: normalizeCam(cam),
    transform: mat3.multiply(prepared.transform, mat3.scaling([patch, patch])),
    image: { ...prepared.original },
    ...(options.tensors
      ? { tensors: { activations: A, gradients: G, weights, shape: [T, D] as [number, number] } }
      : {}),
  };
}
