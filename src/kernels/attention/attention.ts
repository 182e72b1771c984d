import { ClipError } from '../../errors.ts';
import type { Pass, Tensor } from '../runtime.ts';
import { runKernel, type KernelOp, type KernelVersion } from '../versions.ts';
import v1 from './attention.wgsl?raw';
import v2 from './attention-v2.wgsl?raw';
import v3 from './attention-v3.wgsl?raw';
import v4 from './attention-v4.wgsl?raw';
import v5 from './attention-v5.wgsl?raw';

export const ATTENTION_MAX_TOKENS = 1024;
export const ATTENTION_MAX_HEAD_DIM = 256;

/**
 * Which thirds of qkv the scores compare: 'qk' is softmax(q kᵀ) (CLIP); 'qq' and 'kk' are the
 * self-correlations the training-free segmentation methods use in the last block (model/segment),
 * 'vv' CLIP Surgery's value-value attention (model/explain/surgery.ts).
 */
export type AttentionScores = 'qk' | 'qq' | 'kk' | 'vv';

/** Batch, tokens, heads, head size, causal mask; `scores` default 'qk'. */
export interface AttentionShape {
  B: number;
  T: number;
  heads: number;
  hd: number;
  causal: boolean;
  scores?: AttentionScores;
}

/** Offsets of the query and key rows inside a token's q | k | v (hidden size D) for `scores`. */
export function scoreOffsets(scores: AttentionScores | undefined, D: number): [q: number, k: number] {
  if (scores === 'qq') return [0, 0];
  if (scores === 'kk') return [D, D];
  if (scores === 'vv') return [2 * D, 2 * D];
  return [0, D];
}

export type AttentionVersion = 'v1' | 'v2' | 'v3' | 'v4' | 'v5';

const params = (s: AttentionShape) => {
  const D = s.heads * s.hd;
  return [s.T, s.heads, s.hd, 3 * D, ...scoreOffsets(s.scores, D), 2 * D, s.causal ? 1 : 0, s.hd ** -0.5];
};

/** The barrier-free versions keep q and the output in 16 unrolled vec4 registers: head sizes 4k <= 64, else v1. */
function barrierFree(
  code: string,
  note: string,
  rowsPerInvocation: number,
  wg: (family: string) => number,
  benchOnly = false,
): KernelVersion<AttentionShape, AttentionVersion> {
  return {
    note,
    code,
    params,
    floats: [8],
    supports: (s) => s.hd % 4 === 0 && s.hd <= 64,
    fallback: 'v1',
    constants: (s, ctx) => ({ HD4: s.hd / 4, WG: wg(ctx.adapter.family) }),
    workgroups: (s, ctx) => [Math.ceil(s.T / (wg(ctx.adapter.family) * rowsPerInvocation)), s.heads, s.B],
    ...(benchOnly ? { benchOnly: true as const } : {}),
  };
}

/**
 * v3/v4: one SIMD row of invocations per workgroup on the CPU adapters (llvmpipe 8 lanes, SwiftShader 4),
 * so a workgroup spans few query rows: less padding past T, and causal rows need few more keys than
 * their workgroup's last row (on SwiftShader, WG 4 beat WG 8 for the causal text shapes).
 */
const simdRow = (family: string) => (({ llvmpipe: 8, swiftshader: 4 }) as Record<string, number>)[family] ?? 32;

/**
 * Multi-head attention versions, oldest first (the WGSL headers say more); the benchmark times each
 * against the CPU reference.
 */
export const ATTENTION: KernelOp<AttentionShape, AttentionVersion> = {
  op: 'attention',
  versions: {
    v1: {
      note: 'one workgroup per query row, scores in workgroup memory, tree reductions (any head size)',
      code: v1,
      params,
      floats: [8],
      benchOnly: true,
      workgroups: (s) => [s.T, s.heads, s.B],
    },
    v2: barrierFree(
      v2,
      'barrier-free: one invocation per query row, online softmax, vec4 registers (head size 4k <= 64)',
      1,
      () => 64,
      true,
    ),
    v3: barrierFree(
      v3,
      'as v2 with 4 query rows per invocation: each k/v load feeds 4 rows (CPU adapters)',
      4,
      simdRow,
      true,
    ),
    v4: barrierFree(v4, 'as v3 with 8 query rows per invocation', 8, simdRow),
    v5: {
      note: 'as v2 with 32-key k/v tiles staged in workgroup memory (flash-attention style, GPUs)',
      code: v5,
      params,
      floats: [8],
      supports: (s) => s.hd % 4 === 0 && s.hd <= 64,
      fallback: 'v1',
      constants: (s) => ({ HD4: s.hd / 4 }),
      workgroups: (s) => [Math.ceil(s.T / 64), s.heads, s.B],
    },
  },
  /** The fastest version measured on each kind of adapter (BENCHMARKS.md). */
  choice: { llvmpipe: 'v4', swiftshader: 'v4', gpu: 'v5', 'gpu-subgroups': 'v5' },
};

export const ATTENTION_VERSIONS = ATTENTION.versions;

/**
 * Multi-head attention on a fused projection: qkv [B, T, 3D] holds q | k | v per token
 * (heads are contiguous hd-slices of each), y [B, T, D]. Scale hd^-0.5, optional causal mask;
 * `scores` 'qq' / 'kk' / 'vv' compare queries with queries, keys with keys or values with values (every version reads q and k
 * at offsets given in its params, so this is the same WGSL).
 */
export function attention(
  pass: Pass,
  qkv: Tensor,
  heads: number,
  opts: { causal?: boolean; out?: Tensor; version?: AttentionVersion; scores?: AttentionScores } = {},
): Tensor {
  const [B, T, D3] = qkv.shape;
  const D = D3 / 3;
  const hd = D / heads;
  if (!Number.isInteger(hd)) throw new Error(`attention: hidden ${D} is not divisible by ${heads} heads`);
  if (T > ATTENTION_MAX_TOKENS)
    throw new ClipError('input', `attention supports at most ${ATTENTION_MAX_TOKENS} tokens, got ${T}`);
  if (hd > ATTENTION_MAX_HEAD_DIM)
    throw new ClipError('input', `attention supports head size at most ${ATTENTION_MAX_HEAD_DIM}, got ${hd}`);
  const y = opts.out ?? pass.tmp([B, T, D]);
  const shape: AttentionShape = { B, T, heads, hd, causal: !!opts.causal };
  if (opts.scores && opts.scores !== 'qk') shape.scores = opts.scores;
  runKernel(pass, ATTENTION, shape, [qkv, y], opts.version);
  return y;
}
