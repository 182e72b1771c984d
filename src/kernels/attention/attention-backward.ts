import { ClipError } from '../../errors.ts';
import type { Pass, Tensor } from '../runtime.ts';
import { ATTENTION_MAX_HEAD_DIM, ATTENTION_MAX_TOKENS } from './attention.ts';
import source from './attention-backward.wgsl?raw';
import kvSource from './attention-backward-kv.wgsl?raw';

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
  opts: { causal?: boolean; gradProbs?: boolean; out?: Tensor } = {},
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
  const params = ctx.uniform([T, heads, hd, 3 * D, 0, D, 2 * D, opts.causal ? 1 : 0, hd ** -0.5], [8]);
  pass.dispatch(
    ctx.pipeline('attention-backward', source, { WRITE_DP: gradProbs ? 1 : 0 }),
    params,
    [qkv, dy, probs, dscores, dqkv, gradProbs ?? ctx.placeholder()],
    [T, heads, B],
  );
  pass.dispatch(
    ctx.pipeline('attention-backward-kv', kvSource),
    ctx.uniform([T, heads, hd, 3 * D, 0, D, 2 * D]),
    [qkv, dy, probs, dscores, dqkv],
    [T, heads, B],
  );
  pass.free(dscores);
  return { dqkv, probs, gradProbs };
}
