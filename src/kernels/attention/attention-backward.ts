import { ClipError } from '../../errors.ts';
import type { Pass, Tensor } from '../runtime.ts';
import { runKernel, type KernelOp, type KernelVersion } from '../versions.ts';
import { ATTENTION_MAX_HEAD_DIM, ATTENTION_MAX_TOKENS } from './attention.ts';
import source from './attention-backward.wgsl?raw';
import kvSource from './attention-backward-kv.wgsl?raw';
import sourceV2 from './attention-backward-v2.wgsl?raw';
import kvSourceV2 from './attention-backward-kv-v2.wgsl?raw';

export interface AttentionBackwardShape {
  B: number;
  T: number;
  heads: number;
  hd: number;
  causal: boolean;
  /** Also write dScore/dP (attention relevance). */
  gradProbs: boolean;
}

export type AttentionBackwardVersion = 'v1' | 'v2';

/** Both parts' params: the fused qkv's layout (q, k, v at 0, D, 2D of each 3D row), then part 1's mask and scale. */
const params = (s: AttentionBackwardShape) => {
  const D = s.heads * s.hd;
  return [s.T, s.heads, s.hd, 3 * D, 0, D, 2 * D, s.causal ? 1 : 0, s.hd ** -0.5];
};

/**
 * Two dispatches a version (`record`): per query (probabilities recomputed, softmax backward, dq), then
 * per key (dk, dv); `rows` queries or keys a workgroup. Tensors: qkv, dY, P, scale·dS, dqkv, dP.
 */
function twoParts(
  version: AttentionBackwardVersion,
  note: string,
  part1: string,
  part2: string,
  rows: number,
  more: Partial<KernelVersion<AttentionBackwardShape, AttentionBackwardVersion>> = {},
): KernelVersion<AttentionBackwardShape, AttentionBackwardVersion> {
  const workgroups = (s: AttentionBackwardShape) => [Math.ceil(s.T / rows), s.heads, s.B];
  return {
    note,
    code: part1,
    params,
    floats: [8],
    constants: (s) => ({ WRITE_DP: s.gradProbs ? 1 : 0 }),
    workgroups,
    record(pass, s, [qkv, dy, probs, dscores, dqkv, dprobs]) {
      const ctx = pass.ctx;
      const p = params(s);
      pass.dispatch(
        ctx.pipeline(`attention-backward-${version}`, part1, { WRITE_DP: s.gradProbs ? 1 : 0 }),
        ctx.uniform(p, [8]),
        [qkv, dy, probs, dscores, dqkv, dprobs],
        workgroups(s),
      );
      pass.dispatch(
        ctx.pipeline(`attention-backward-kv-${version}`, part2),
        ctx.uniform(p.slice(0, 7)),
        [qkv, dy, probs, dscores, dqkv],
        workgroups(s),
      );
    },
    ...more,
  };
}

/**
 * v1: a workgroup of 64 per query (part 1: reductions in workgroup memory) and per key (part 2), for
 * GPUs; v2: an invocation per query / key, vec4 registers, no barriers, for the CPU adapters, where a
 * training step of the shipped model spent 29% of its time in v1 (`CLIP_WEBGPU_PROFILE=1`, llvmpipe,
 * 2026-12-03; BENCHMARKS.md has v2's numbers).
 */
export const ATTENTION_BACKWARD: KernelOp<AttentionBackwardShape, AttentionBackwardVersion> = {
  op: 'attention-backward',
  versions: {
    v1: twoParts('v1', 'a workgroup per query (reductions in workgroup memory), then one per key', source, kvSource, 1),
    v2: twoParts(
      'v2',
      'an invocation per query, then per key: vec4 registers, no barriers (hd % 4 == 0, hd <= 64)',
      sourceV2,
      kvSourceV2,
      8,
      {
        supports: (s) => s.hd % 4 === 0 && s.hd <= 64,
        fallback: 'v1',
      },
    ),
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

export interface AttentionGrads {
  /** [B, T, 3D]: dq | dk | dv per token, the layout of the fused qkv input. */
  dqkv: Tensor;
  /** [B, H, T, T], softmax(q kᵀ · scale) recomputed (masked entries 0). Lives until the pass runs. */
  probs: Tensor;
  /** [B, H, T, T], dScore/dP (every entry, as autograd gives it), with `gradProbs: true`. */
  gradProbs?: Tensor;
}

/**
 * Backward of `attention` on the fused qkv [B, T, 3D] given dY [B, T, D]. Two dispatches: per query
 * (probabilities recomputed, softmax backward, dq), then per key (dk, dv). The probabilities are
 * returned (and their gradient with `gradProbs`) for attention relevance; free them when done.
 */
export function attentionBackward(
  pass: Pass,
  qkv: Tensor,
  dy: Tensor,
  heads: number,
  opts: { causal?: boolean; gradProbs?: boolean; out?: Tensor; version?: AttentionBackwardVersion } = {},
): AttentionGrads {
  const [B, T, D3] = qkv.shape;
  const D = D3 / 3;
  const hd = D / heads;
  if (!Number.isInteger(hd)) throw new Error(`attentionBackward: hidden ${D} is not divisible by ${heads} heads`);
  if (dy.size !== B * T * D) throw new Error(`attentionBackward: dY [${dy.shape}] for qkv [${qkv.shape}]`);
  if (T > ATTENTION_MAX_TOKENS)
    throw new ClipError('input', `attention supports at most ${ATTENTION_MAX_TOKENS} tokens, got ${T}`);
  if (hd > ATTENTION_MAX_HEAD_DIM)
    throw new ClipError('input', `attention supports head size at most ${ATTENTION_MAX_HEAD_DIM}, got ${hd}`);
  const ctx = pass.ctx;
  const dqkv = opts.out ?? pass.tmp([B, T, 3 * D]);
  const probs = pass.tmp([B, heads, T, T]);
  const dscores = pass.tmp([B, heads, T, T]);
  const gradProbs = opts.gradProbs ? pass.tmp([B, heads, T, T]) : undefined;
  const shape = { B, T, heads, hd, causal: !!opts.causal, gradProbs: !!gradProbs };
  const tensors = [qkv, dy, probs, dscores, dqkv, gradProbs ?? ctx.placeholder()];
  runKernel(pass, ATTENTION_BACKWARD, shape, tensors, opts.version);
  pass.free(dscores);
  return { dqkv, probs, gradProbs };
}
