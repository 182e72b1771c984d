import { grid, type AdapterSummary, type Pass, type Tensor } from '../runtime.ts';
import { matmul } from '../matmul/matmul.ts';
import v1 from './patch-embed.wgsl?raw';
import v2 from './patch-embed-v2.wgsl?raw';
import v3 from './patch-embed-v3.wgsl?raw';
import v4 from './patch-embed-v4.wgsl?raw';
import v5 from './patch-embed-v5.wgsl?raw';
import v6 from './patch-embed-v6.wgsl?raw';
import finish from './patch-embed-finish.wgsl?raw';

/** Every version, oldest first; the harness validates and times each against the CPU reference. */
export const PATCH_EMBED_VERSIONS = { v1, v2, v3, v4, v5, v6 } as const;
export type PatchEmbedVersion = keyof typeof PATCH_EMBED_VERSIONS;

/**
 * Whether `version` runs this shape (image S, patch P, width D) on this adapter; else `patchEmbed`
 * runs v4 where the adapter has subgroups, v3 elsewhere (both run any shape, and both beat v1).
 */
export function patchEmbedSupports(version: PatchEmbedVersion, adapter: AdapterSummary, S: number, P: number, D: number): boolean {
  switch (version) {
    case 'v1': case 'v3': return true;
    case 'v2': case 'v5': return P % 4 === 0 && S % 4 === 0 && D % 4 === 0;
    case 'v6': return P % 4 === 0 && S % 4 === 0 && D % 8 === 0;
    case 'v4': return adapter.features.includes('subgroups');
  }
}

/**
 * The fastest version measured on each kind of adapter (BENCHMARKS.md): on the CPU emulators im2col
 * + matmul (v3), since matmul v3/v4 landed: B/32 batch 1 in 15.3 ms vs 19.1 for v6 (the largest direct
 * register block) and 147 for v1 on llvmpipe, 99 vs 106 vs 1016 ms on SwiftShader (same runs, 14:04 and
 * 14:10 UTC); v3 also takes any shape (L/14's 14-pixel patches). On GPUs a subgroup per
 * 4x4 block (v4: coalesced loads, thousands of subgroups even at batch 1; on an H100 2.4-20x faster
 * than v1 and 1.1-4x faster than every other version, L/14 included), v6 without subgroups.
 */
export function choosePatchEmbedVersion(adapter: AdapterSummary): PatchEmbedVersion {
  switch (adapter.family) {
    case 'llvmpipe': case 'swiftshader': return 'v3';
    default: return adapter.features.includes('subgroups') ? 'v4' : 'v6';
  }
}

/**
 * pixels [B, C, S, S], W [D, C, P, P], cls [D], pos [1 + (S/P)², D] -> embeddings [B, 1 + (S/P)², D].
 */
export function patchEmbed(
  pass: Pass, pixels: Tensor, w: Tensor, cls: Tensor, pos: Tensor, opts: { version?: PatchEmbedVersion } = {},
): Tensor {
  const [B, C, S] = pixels.shape;
  const [D, Cw, P] = w.shape;
  const G = Math.floor(S / P);
  if (C !== Cw) throw new Error(`patchEmbed: ${C} channels, weights for ${Cw}`);
  if (pos.size !== (1 + G * G) * D) throw new Error(`patchEmbed: positions [${pos.shape}] for ${G}x${G} patches`);
  const T = 1 + G * G;
  const y = pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  let version = opts.version ?? ctx.kernelVersion('patch-embed', PATCH_EMBED_VERSIONS, choosePatchEmbedVersion);
  if (!patchEmbedSupports(version, ctx.adapter, S, P, D)) version = ctx.adapter.features.includes('subgroups') ? 'v4' : 'v3';
  if (version === 'v1') { // one invocation per output value
    pass.dispatch(ctx.pipeline('patch-embed-v1', v1), ctx.uniform([B, C, S, P, G, D]), [pixels, w, cls, pos, y], grid(Math.ceil((B * T * D) / 256)));
  } else if (version === 'v2' || version === 'v5' || version === 'v6') {
    // Register blocks of `ch` channels x `pt` patches, 64 invocations a workgroup, then one
    // invocation per vec4 of the B class-token rows.
    const [ch, pt] = { v2: [4, 4], v5: [4, 8], v6: [8, 8] }[version];
    const n = Math.ceil((B * G * G) / pt) * (D / ch) + B * (D / 4);
    const code = PATCH_EMBED_VERSIONS[version];
    pass.dispatch(ctx.pipeline(`patch-embed-${version}`, code, { C, P }), ctx.uniform([B, S, G, D]), [pixels, w, cls, pos, y], grid(Math.ceil(n / 64)));
  } else if (version === 'v4') { // a subgroup per 4 channels x 4 patches; the largest possible subgroup size bounds the dispatch
    const { workgroupSize, itemsPerGroup } = ctx.subgroupGeometry();
    const tiles = Math.ceil(D / 4) * Math.ceil((B * G * G) / 4);
    pass.dispatch(ctx.pipeline('patch-embed-v4', v4, { C, P, WG: workgroupSize }), ctx.uniform([B, S, G, D, tiles]), [pixels, w, cls, pos, y],
      grid(Math.ceil(tiles / itemsPerGroup)));
  } else { // v3: im2col, matmul, class token + positions
    const K = C * P * P;
    const cols = pass.tmp([B * G * G, K]);
    const n = B * G * G * K;
    pass.dispatch(ctx.pipeline('patch-embed-v3', v3, { C, P }), ctx.uniform([B, S, G, n]), [pixels, cols], grid(Math.ceil(n / 256)));
    const conv = matmul(pass, cols, w.view([D, K]), null);
    pass.free(cols);
    pass.dispatch(ctx.pipeline('patch-embed-finish', finish), ctx.uniform([B, T, D]), [conv, cls, pos, y], grid(Math.ceil((B * T * D) / 256)));
    pass.free(conv);
  }
  return y;
}
