import { ClipError } from '../../model/errors.ts';
import { type Pass, type Tensor } from '../runtime.ts';
import source from './attention.wgsl?raw';

export const ATTENTION_MAX_TOKENS = 1024;
export const ATTENTION_MAX_HEAD_DIM = 256;

/**
 * Multi-head attention on a fused projection: qkv [B, T, 3D] holds q | k | v per token
 * (heads are contiguous hd-slices of each), y [B, T, D]. Scale hd^-0.5, optional causal mask.
 */
export function attention(pass: Pass, qkv: Tensor, heads: number, opts: { causal?: boolean; out?: Tensor } = {}): Tensor {
  const [B, T, D3] = qkv.shape;
  const D = D3 / 3;
  const hd = D / heads;
  if (!Number.isInteger(hd)) throw new Error(`attention: hidden ${D} is not divisible by ${heads} heads`);
  if (T > ATTENTION_MAX_TOKENS) throw new ClipError('input', `attention supports at most ${ATTENTION_MAX_TOKENS} tokens, got ${T}`);
  if (hd > ATTENTION_MAX_HEAD_DIM) throw new ClipError('input', `attention supports head size at most ${ATTENTION_MAX_HEAD_DIM}, got ${hd}`);
  const y = opts.out ?? pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  const params = ctx.uniform([T, heads, hd, 3 * D, 0, D, 2 * D, opts.causal ? 1 : 0, hd ** -0.5], [8]);
  pass.dispatch(ctx.pipeline('attention', source), params, [qkv, y], [T, heads, B]);
  return y;
}
