import { grid, type Pass, type Tensor } from '../runtime.ts';
import { matmul } from '../matmul/matmul.ts';
import { runKernel, type KernelOp, type KernelVersion } from '../versions.ts';
import v1 from './patch-embed.wgsl?raw';
import v2 from './patch-embed-v2.wgsl?raw';
import v3 from './patch-embed-v3.wgsl?raw';
import v4 from './patch-embed-v4.wgsl?raw';
import v5 from './patch-embed-v5.wgsl?raw';
import v6 from './patch-embed-v6.wgsl?raw';
import finish from './patch-embed-finish.wgsl?raw';

/** Batch, channels, image size S, patch size P, width D (G = S/P patches a side, T = 1 + G² tokens). */
export interface PatchEmbedShape {
  B: number;
  C: number;
  S: number;
  P: number;
  D: number;
  /** W is compact (f16, bf16, int8: matmul's packed formats): only v3's matmul reads it, the others fall back. */
  compact?: boolean;
}

export type PatchEmbedVersion = 'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6';

const patches = (s: PatchEmbedShape) => Math.floor(s.S / s.P);
const tokens = (s: PatchEmbedShape) => 1 + patches(s) ** 2;

/**
 * v2, v5, v6: register blocks of `ch` channels x `pt` patches, 64 invocations a workgroup, then one
 * invocation per vec4 of the B class-token rows.
 */
function registerBlocked(
  code: string,
  note: string,
  ch: number,
  pt: number,
  benchOnly = true,
): KernelVersion<PatchEmbedShape, PatchEmbedVersion> {
  return {
    note,
    code,
    supports: (s) => !s.compact && s.P % 4 === 0 && s.S % 4 === 0 && s.D % ch === 0 && s.D % 4 === 0,
    fallback: 'v4',
    constants: (s) => ({ C: s.C, P: s.P }),
    params: (s) => [s.B, s.S, patches(s), s.D],
    workgroups: (s) => grid(Math.ceil((Math.ceil((s.B * patches(s) ** 2) / pt) * (s.D / ch) + s.B * (s.D / 4)) / 64)),
    ...(benchOnly ? { benchOnly: true as const } : {}),
  };
}

/** Every version, oldest first (the WGSL headers say more); the benchmark times each against the CPU reference. */
export const PATCH_EMBED: KernelOp<PatchEmbedShape, PatchEmbedVersion> = {
  op: 'patch-embed',
  versions: {
    v1: {
      note: 'one invocation per output value (any shape)',
      code: v1,
      benchOnly: true,
      supports: (s) => !s.compact,
      fallback: 'v3',
      params: (s) => [s.B, s.C, s.S, s.P, patches(s), s.D],
      workgroups: (s) => grid(Math.ceil((s.B * tokens(s) * s.D) / 256)),
    },
    v2: registerBlocked(v2, 'register blocks of 4 channels x 4 patches per invocation', 4, 4),
    v3: {
      note: 'im2col, then matmul (its per-adapter version), then class token + positions (any shape, compact W; CPU adapters)',
      code: v3,
      params: (s) => [s.B, s.S, patches(s), s.B * patches(s) ** 2 * s.C * s.P * s.P],
      constants: (s) => ({ C: s.C, P: s.P }),
      workgroups: (s) => grid(Math.ceil((s.B * patches(s) ** 2 * s.C * s.P * s.P) / 256)),
      record(pass, s, [pixels, w, cls, pos, y]) {
        const ctx = pass.ctx;
        const G = patches(s),
          T = tokens(s),
          K = s.C * s.P * s.P;
        const cols = pass.tmp([s.B * G * G, K]);
        const im2col = PATCH_EMBED.versions.v3;
        pass.dispatch(
          ctx.pipeline('patch-embed-v3', v3, im2col.constants!(s, ctx)),
          ctx.uniform(im2col.params(s)),
          [pixels, cols],
          im2col.workgroups(s, ctx),
        );
        const conv = matmul(pass, cols, w.view([s.D, K]), null);
        pass.free(cols);
        pass.dispatch(
          ctx.pipeline('patch-embed-finish', finish),
          ctx.uniform([s.B, T, s.D]),
          [conv, cls, pos, y],
          grid(Math.ceil((s.B * T * s.D) / 256)),
        );
        pass.free(conv);
      },
    },
    v4: {
      note: 'a subgroup per 4 channels x 4 patches: coalesced loads, thousands of subgroups at batch 1 (GPUs)',
      code: v4,
      supports: (s, adapter) => !s.compact && adapter.features.includes('subgroups'),
      fallback: 'v3',
      // The largest possible subgroup size bounds the dispatch.
      constants: (s, ctx) => ({ C: s.C, P: s.P, WG: ctx.subgroupGeometry().workgroupSize }),
      params: (s) => [s.B, s.S, patches(s), s.D, tiles(s)],
      workgroups: (s, ctx) => grid(Math.ceil(tiles(s) / ctx.subgroupGeometry().itemsPerGroup)),
    },
    v5: registerBlocked(v5, 'as v2 with 4 channels x 8 patches per invocation', 4, 8),
    v6: registerBlocked(v6, 'as v5 with 8 channels x 8 patches per invocation (GPUs without subgroups)', 8, 8, false),
  },
  /**
   * The fastest version measured on each kind of adapter (BENCHMARKS.md): on the CPU emulators im2col
   * + matmul (v3), since matmul v3/v4 landed: B/32 batch 1 in 15.3 ms vs 19.1 for v6 (the largest direct
   * register block) and 147 for v1 on llvmpipe, 99 vs 106 vs 1016 ms on SwiftShader (same runs, 14:04 and
   * 14:10 UTC); v3 also takes any shape (L/14's 14-pixel patches). On GPUs a subgroup per
   * 4x4 block (v4: coalesced loads, thousands of subgroups even at batch 1; on an H100 2.4-20x faster
   * than v1 and 1.1-4x faster than every other version, L/14 included), v6 without subgroups.
   * Shapes a version cannot take fall back to v4 where the adapter has subgroups, else v3.
   */
  choice: { llvmpipe: 'v3', swiftshader: 'v3', gpu: 'v6', 'gpu-subgroups': 'v4' },
};

/** v4's work items: 4 channels x 4 patches each. */
function tiles(s: PatchEmbedShape): number {
  return Math.ceil(s.D / 4) * Math.ceil((s.B * patches(s) ** 2) / 4);
}

export const PATCH_EMBED_VERSIONS = PATCH_EMBED.versions;

/**
 * pixels [B, C, S, S], W [D, C, P, P], cls [D], pos [1 + (S/P)², D] -> embeddings [B, 1 + (S/P)², D].
 * W may be compact (f16, bf16, i8 with one scale per output channel): v3's matmul unpacks it.
 */
export function patchEmbed(
  pass: Pass,
  pixels: Tensor,
  w: Tensor,
  cls: Tensor,
  pos: Tensor,
  opts: { version?: PatchEmbedVersion } = {},
): Tensor {
  const [B, C, S] = pixels.shape;
  const [D, Cw, P] = w.shape;
  const G = Math.floor(S / P);
  if (C !== Cw) throw new Error(`patchEmbed: ${C} channels, weights for ${Cw}`);
  if (pos.size !== (1 + G * G) * D) throw new Error(`patchEmbed: positions [${pos.shape}] for ${G}x${G} patches`);
  const y = pass.tmp([B, 1 + G * G, D]);
  const compact = w.dtype !== 'f32';
  runKernel(
    pass,
    PATCH_EMBED,
    { B, C, S, P, D, ...(compact ? { compact } : {}) },
    [pixels, w, cls, pos, y],
    opts.version,
  );
  return y;
}
