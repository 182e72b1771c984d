/**
 * PAMR on the GPU (reference.ts has the definition): the affinity weights of the image once, then
 * `iterations` refinement steps ping-ponging between two buffers, all in one pass.
 */
import { ClipError } from '../../errors.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import { PAMR_DEFAULTS, type PamrOptions } from './reference.ts';
import affinitySource from './pamr-affinity.wgsl?raw';
import stepSource from './pamr-step.wgsl?raw';

export { PAMR_DEFAULTS, pamrAffinityReference, pamrReference, type PamrOptions } from './reference.ts';

/** pamr-affinity.wgsl keeps 8 weights per dilation in registers. */
export const PAMR_MAX_DILATIONS = 16;

/** Checked options with the defaults filled in. */
export function pamrOptions(options: PamrOptions = {}): Required<PamrOptions> {
  const iterations = options.iterations ?? PAMR_DEFAULTS.iterations;
  const dilations = options.dilations ?? PAMR_DEFAULTS.dilations;
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > 1000)
    throw new ClipError('input', `PAMR iterations must be an integer in 0..1000, got ${iterations}`);
  if (
    !Array.isArray(dilations) ||
    dilations.length < 1 ||
    dilations.length > PAMR_MAX_DILATIONS ||
    !dilations.every((d) => Number.isInteger(d) && d >= 1 && d <= 4096)
  )
    throw new ClipError(
      'input',
      `PAMR dilations must be 1..${PAMR_MAX_DILATIONS} integers in 1..4096 pixels, got ${JSON.stringify(dilations)}`,
    );
  return { iterations, dilations };
}

/** The affinity weights [8·|dilations|, H, W] of an image [K, H, W] (for checks; `pamr` records its own). */
export function pamrAffinity(pass: Pass, image: Tensor, dilations: readonly number[]): Tensor {
  const [K, H, W] = image.shape;
  const d = pass.input([dilations.length], Uint32Array.from(dilations));
  const w = pass.tmp([8 * dilations.length, H, W]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('pamr-affinity', affinitySource),
    ctx.uniform([H, W, K, dilations.length]),
    [image, d, w],
    grid(Math.ceil((H * W) / 256)),
  );
  return w;
}

/** PAMR of a mask [C, H, W] by an image [K, H, W] of the same size: the refined mask [C, H, W]. */
export function pamr(pass: Pass, image: Tensor, mask: Tensor, options: PamrOptions = {}): Tensor {
  const { iterations, dilations } = pamrOptions(options);
  if (
    image.shape.length !== 3 ||
    mask.shape.length !== 3 ||
    image.shape[1] !== mask.shape[1] ||
    image.shape[2] !== mask.shape[2]
  )
    throw new Error(`pamr: image [${image.shape}] and mask [${mask.shape}] must be [K, H, W] and [C, H, W]`);
  const [C, H, W] = mask.shape;
  const w = pamrAffinity(pass, image, dilations);
  const d = pass.input([dilations.length], Uint32Array.from(dilations));
  const ctx = pass.ctx;
  const pipeline = ctx.pipeline('pamr-step', stepSource);
  const params = ctx.uniform([H, W, C, dilations.length]);
  const buffers = [pass.tmp([C, H, W]), iterations > 1 ? pass.tmp([C, H, W]) : null];
  let from = mask;
  for (let it = 0; it < iterations; it++) {
    const to = buffers[it % 2]!;
    pass.dispatch(pipeline, params, [w, d, from, to], grid(Math.ceil((C * H * W) / 256)));
    from = to;
  }
  return from;
}
