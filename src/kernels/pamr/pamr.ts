/**
 * PAMR on the GPU (reference.ts has the definition): the affinity weights of the image once, then
 * `iterations` refinement steps ping-ponging between two buffers, all in one pass.
 */
import { ClipError } from '../../errors.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import { PAMR_DEFAULTS, type PamrOptions } from './reference.ts';
import affinitySource from './pamr-affinity.wgsl?raw';
import stepV1 from './pamr-step.wgsl?raw';
import stepV2 from './pamr-step-v2.wgsl?raw';

export { PAMR_DEFAULTS, pamrAffinityReference, pamrReference, type PamrOptions } from './reference.ts';

export interface PamrStepShape {
  H: number;
  W: number;
  /** Mask channels (maps). */
  C: number;
  /** Dilations. */
  ND: number;
}

/** One refinement step; tensors: weights [8·ND, H, W], dilations [ND] (u32), mask [C, H, W], out [C, H, W]. */
export const PAMR_STEP: KernelOp<PamrStepShape, 'v1' | 'v2'> = {
  op: 'pamr-step',
  versions: {
    v1: {
      note: 'an invocation per mask value: neighbours and weights recomputed for every channel',
      code: stepV1,
      params: (s) => [s.H, s.W, s.C, s.ND],
      workgroups: (s) => grid(Math.ceil((s.C * s.H * s.W) / 256)),
    },
    v2: {
      note: "an invocation per pixel: its neighbours' offsets and weights in registers once, then every channel",
      code: stepV2,
      params: (s) => [s.H, s.W, s.C, s.ND],
      workgroups: (s) => grid(Math.ceil((s.H * s.W) / 64)),
    },
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v2', 'gpu-subgroups': 'v2' },
};

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
  return recordAffinity(pass, image, pass.input([dilations.length], Uint32Array.from(dilations)));
}

/** The affinity dispatch, given the dilations [ND] (u32) already on the GPU. */
function recordAffinity(pass: Pass, image: Tensor, dilations: Tensor): Tensor {
  const [K, H, W] = image.shape;
  const ND = dilations.size;
  const w = pass.tmp([8 * ND, H, W]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('pamr-affinity', affinitySource),
    ctx.uniform([H, W, K, ND]),
    [image, dilations, w],
    grid(Math.ceil((H * W) / 256)),
  );
  return w;
}

/** PAMR of a mask [C, H, W] by an image [K, H, W] of the same size: the refined mask [C, H, W]. */
export function pamr(
  pass: Pass,
  image: Tensor,
  mask: Tensor,
  options: PamrOptions & { stepVersion?: 'v1' | 'v2' } = {},
): Tensor {
  const { iterations, dilations } = pamrOptions(options);
  if (
    image.shape.length !== 3 ||
    mask.shape.length !== 3 ||
    image.shape[1] !== mask.shape[1] ||
    image.shape[2] !== mask.shape[2]
  )
    throw new Error(`pamr: image [${image.shape}] and mask [${mask.shape}] must be [K, H, W] and [C, H, W]`);
  const [C, H, W] = mask.shape;
  const d = pass.input([dilations.length], Uint32Array.from(dilations));
  const w = recordAffinity(pass, image, d);
  const buffers = [pass.tmp([C, H, W]), iterations > 1 ? pass.tmp([C, H, W]) : null];
  let from = mask;
  for (let it = 0; it < iterations; it++) {
    const to = buffers[it % 2]!;
    recordStep(pass, w, d, from, to, options.stepVersion);
    from = to;
  }
  return from;
}

/**
 * One refinement step of a mask [C, H, W] by affinity weights [8·ND, H, W] at dilations [ND] (u32)
 * into a new tensor (for the benchmark; `pamr` ping-pongs its steps between two).
 */
export function pamrStep(pass: Pass, weights: Tensor, dilations: Tensor, mask: Tensor, version?: 'v1' | 'v2'): Tensor {
  const out = pass.tmp(mask.shape);
  recordStep(pass, weights, dilations, mask, out, version);
  return out;
}

function recordStep(pass: Pass, w: Tensor, d: Tensor, from: Tensor, to: Tensor, version?: 'v1' | 'v2'): void {
  const [C, H, W] = from.shape;
  runKernel(pass, PAMR_STEP, { H, W, C, ND: d.size }, [w, d, from, to], version);
}
