import { ClipError } from '../../errors.ts';
import {
  ATTENTION_MAX_HEAD_DIM,
  ATTENTION_MAX_TOKENS,
  scoreOffsets,
  type AttentionScores,
} from '../attention/attention.ts';
import type { Pass, Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import v1 from './attention-bias.wgsl?raw';

/** Batch, tokens, heads, head size, which scores (as attention's `scores`). */
export interface AttentionBiasShape {
  B: number;
  T: number;
  heads: number;
  hd: number;
  scores: AttentionScores;
}

/**
 * One version: it runs only the last vision block of NACLIP segmentation (model/segment), where
 * a workgroup per query row is fast enough; a barrier-free version would follow attention v2-v4.
 */
export const ATTENTION_BIAS: KernelOp<AttentionBiasShape, 'v1'> = {
  op: 'attention-bias',
  versions: {
    v1: {
      note: "attention v1's workgroup per query row with an additive [T, T] bias on the scores (any head size)",
      code: v1,
      params: (s) => {
        const D = s.heads * s.hd;
        return [s.T, s.heads, s.hd, 3 * D, ...scoreOffsets(s.scores, D), 2 * D, s.hd ** -0.5];
      },
      floats: [7],
      workgroups: (s) => [s.T, s.heads, s.B],
    },
  },
  choice: { llvmpipe: 'v1', swiftshader: 'v1', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

/**
 * Multi-head attention with an additive bias on the scores: qkv [B, T, 3D], bias [T, T] (the same
 * for every head and image) -> y [B, T, D], y = softmax(scores · hd^-0.5 + bias) v per head.
 */
export function attentionBias(
  pass: Pass,
  qkv: Tensor,
  bias: Tensor,
  heads: number,
  opts: { scores?: AttentionScores; out?: Tensor } = {},
): Tensor {
  const [B, T, D3] = qkv.shape;
  const D = D3 / 3;
  const hd = D / heads;
  if (!Number.isInteger(hd)) throw new Error(`attentionBias: hidden ${D} is not divisible by ${heads} heads`);
  if (bias.size !== T * T) throw new Error(`attentionBias: bias [${bias.shape}] for ${T} tokens`);
  if (T > ATTENTION_MAX_TOKENS)
    throw new ClipError('input', `attention supports at most ${ATTENTION_MAX_TOKENS} tokens, got ${T}`);
  if (hd > ATTENTION_MAX_HEAD_DIM)
    throw new ClipError('input', `attention supports head size at most ${ATTENTION_MAX_HEAD_DIM}, got ${hd}`);
  const y = opts.out ?? pass.tmp([B, T, D]);
  runKernel(pass, ATTENTION_BIAS, { B, T, heads, hd, scores: opts.scores ?? 'qk' }, [qkv, bias, y]);
  return y;
}
