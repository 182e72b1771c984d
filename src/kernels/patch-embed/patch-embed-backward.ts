import { positionsBackward } from '../embedding/embedding-backward.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import v1 from './patch-embed-backward.wgsl?raw';
import v2 from './patch-embed-backward-v2.wgsl?raw';

export interface PatchEmbedBackwardShape {
  B: number;
  C: number;
  S: number;
  P: number;
  D: number;
}

export type PatchEmbedBackwardVersion = 'v1' | 'v2';

const params = (s: PatchEmbedBackwardShape) => [s.B, s.C, s.S, s.P, s.D, Math.floor(s.S / s.P)];

/**
 * The conv weights' gradient: v1 an invocation per weight (GPUs), v2 register-blocked like matmul
 * backward v2 (CPU adapters: a training step of the shipped model on llvmpipe spent 14% of its time in
 * v1, `CLIP_WEBGPU_PROFILE=1`, 2026-12-03; BENCHMARKS.md has v2's numbers).
 */
export const PATCH_EMBED_BACKWARD: KernelOp<PatchEmbedBackwardShape, PatchEmbedBackwardVersion> = {
  op: 'patch-embed-backward',
  versions: {
    v1: {
      note: 'an invocation per weight, the batch and patches in order',
      code: v1,
      params,
      workgroups: (s) => grid(Math.ceil((s.D * s.C * s.P * s.P) / 256)),
    },
    v2: {
      note: 'an 8x16 register block of dW per invocation, pixels read in place as vec4 (P, S, D % 4 == 0)',
      code: v2,
      params,
      supports: (s) => s.P % 4 === 0 && s.S % 4 === 0 && s.D % 4 === 0,
      fallback: 'v1',
      workgroups: (s) => [Math.ceil((s.C * s.P * s.P) / 128), Math.ceil(s.D / 8)],
    },
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

/**
 * Backward of `patchEmbed` given its pixels [B, C, S, S] and dY [B, 1+G², D], accumulated into the
 * gradients: the conv weights w [D, C, P, P], the class embedding cls [D] and the positions pos [1+G², D].
 */
export function patchEmbedBackward(
  pass: Pass,
  pixels: Tensor,
  dy: Tensor,
  w: Tensor,
  cls: Tensor,
  pos: Tensor,
  version?: PatchEmbedBackwardVersion,
): void {
  const [B, C, S] = pixels.shape;
  const [D, C2, P] = w.shape;
  const G = Math.floor(S / P);
  if (C2 !== C || dy.size !== B * (1 + G * G) * D)
    throw new Error(`patchEmbedBackward: pixels [${pixels.shape}], w [${w.shape}], dY [${dy.shape}]`);
  runKernel(pass, PATCH_EMBED_BACKWARD, { B, C, S, P, D }, [pixels, dy, w], version);
  const dy3 = dy.view([B, 1 + G * G, D]);
  positionsBackward(pass, dy3, pos);
  positionsBackward(pass, dy3, cls, 1);
}
