import { ClipError } from '../../errors.ts';
import { type AdapterSummary, type Pass, type Tensor } from '../runtime.ts';
import v1 from './attention.wgsl?raw';
import v2 from './attention-v2.wgsl?raw';
import v3 from './attention-v3.wgsl?raw';
import v4 from './attention-v4.wgsl?raw';
import v5 from './attention-v5.wgsl?raw';

export const ATTENTION_MAX_TOKENS = 1024;
export const ATTENTION_MAX_HEAD_DIM = 256;

/**
 * Every version, oldest first; the harness validates and times each against the CPU reference.
 * v1: one workgroup per query row, scores in workgroup memory, tree reductions (any head size).
 * v2: barrier-free, one invocation per query row, online softmax, vec4 registers (head size 4k <= 64).
 * v3, v4: as v2 with 4 / 8 query rows per invocation (each k/v load feeds 4 / 8 rows): the CPU adapters.
 * v5: as v2 with k/v tiles staged in workgroup memory (flash-attention style): GPUs.
 * Versions other than v1 fall back to v1 for head sizes they do not support (`attentionSupports`).
 */
export const ATTENTION_VERSIONS = { v1, v2, v3, v4, v5 } as const;
export type AttentionVersion = keyof typeof ATTENTION_VERSIONS;

/** Query rows per invocation of the barrier-free versions. */
const ROWS: Record<AttentionVersion, number> = { v1: 1, v2: 1, v3: 4, v4: 8, v5: 1 };

/** The fastest version measured on each kind of adapter (BENCHMARKS.md). */
export function chooseAttentionVersion(adapter: AdapterSummary): AttentionVersion {
  switch (adapter.family) {
    case 'llvmpipe': return 'v4';
    case 'swiftshader': return 'v4';
    default: return 'v5';
  }
}

/** Whether `version` runs heads of size `hd` itself; otherwise the dispatcher runs v1. */
export function attentionSupports(version: AttentionVersion, hd: number): boolean {
  return version === 'v1' || (hd % 4 === 0 && hd <= 64); // 16 unrolled vec4 registers
}

/**
 * Multi-head attention on a fused projection: qkv [B, T, 3D] holds q | k | v per token
 * (heads are contiguous hd-slices of each), y [B, T, D]. Scale hd^-0.5, optional causal mask.
 */
export function attention(
  pass: Pass, qkv: Tensor, heads: number, opts: { causal?: boolean; out?: Tensor; version?: AttentionVersion } = {},
): Tensor {
  const [B, T, D3] = qkv.shape;
  const D = D3 / 3;
  const hd = D / heads;
  if (!Number.isInteger(hd)) throw new Error(`attention: hidden ${D} is not divisible by ${heads} heads`);
  if (T > ATTENTION_MAX_TOKENS) throw new ClipError('input', `attention supports at most ${ATTENTION_MAX_TOKENS} tokens, got ${T}`);
  if (hd > ATTENTION_MAX_HEAD_DIM) throw new ClipError('input', `attention supports head size at most ${ATTENTION_MAX_HEAD_DIM}, got ${hd}`);
  const y = opts.out ?? pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  let version = opts.version ?? ctx.kernelVersion('attention', ATTENTION_VERSIONS, chooseAttentionVersion);
  if (!attentionSupports(version, hd)) version = 'v1';
  const params = ctx.uniform([T, heads, hd, 3 * D, 0, D, 2 * D, opts.causal ? 1 : 0, hd ** -0.5], [8]);
  if (version === 'v1') {
    pass.dispatch(ctx.pipeline('attention', v1), params, [qkv, y], [T, heads, B]);
  } else if (version === 'v5') {
    pass.dispatch(ctx.pipeline('attention-v5', v5, { HD4: hd / 4 }), params, [qkv, y], [Math.ceil(T / 64), heads, B]);
  } else {
    // v3/v4: one SIMD row of invocations per workgroup on the CPU adapters (llvmpipe 8 lanes, SwiftShader 4),
    // so a workgroup spans few query rows: less padding past T, and causal rows need few more keys than
    // their workgroup's last row (on SwiftShader, WG 4 beat WG 8 for the causal text shapes).
    const WG = version === 'v2' ? 64 : ({ llvmpipe: 8, swiftshader: 4, gpu: 32 } as const)[ctx.adapter.family];
    const rows = WG * ROWS[version];
    pass.dispatch(ctx.pipeline(`attention-${version}`, ATTENTION_VERSIONS[version], { HD4: hd / 4, WG }), params, [qkv, y],
      [Math.ceil(T / rows), heads, B]);
  }
  return y;
}
