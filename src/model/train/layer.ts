/**
 * One encoder layer for training: the forward is `encoderLayer` itself, keeping what the backward
 * needs (fc1 and its activation then run apart: the backward needs the pre-activation f), and the
 * backward accumulates every parameter's gradient.
 */
import { activation, add } from '../../kernels/index.ts';
import { activationBackward } from '../../kernels/activation/activation-backward.ts';
import { attentionBackward } from '../../kernels/attention/attention-backward.ts';
import { layernormBackward } from '../../kernels/layernorm/layernorm-backward.ts';
import { matmulBackwardBias, matmulBackwardInput, matmulBackwardWeight } from '../../kernels/matmul/matmul-backward.ts';
import type { Pass, Tensor } from '../../kernels/runtime.ts';
import { encoderLayer, type EncoderOptions, type LayerTensorName } from '../encoder.ts';
import type { LayerWeights, Linear } from '../weights.ts';
import type { TrainableParams } from './grads.ts';

export type LayerOptions = Omit<EncoderOptions, 'hooks'>;

/** The layer's input x, layer_norm1(x), qkv, the attention output, x1 = x + attn, layer_norm2(x1), fc1's output. */
export interface KeptLayer {
  x: Tensor;
  h: Tensor;
  qkv: Tensor;
  a: Tensor;
  x1: Tensor;
  h2: Tensor;
  f: Tensor;
}

/** What the backward reads of each layer: every intermediate but act(f), which it recomputes. */
const KEEP: readonly LayerTensorName[] = ['x', 'h', 'qkv', 'a', 'x1', 'h2', 'f'];

/** The inference layer (`encoderLayer`), keeping what `layerBackward` needs. */
export function layerForwardKeep(
  pass: Pass,
  x: Tensor,
  w: LayerWeights,
  o: LayerOptions,
): { y: Tensor; kept: KeptLayer } {
  const { y, kept } = encoderLayer(pass, x, w, o, { keep: KEEP });
  return { y, kept: kept as KeptLayer };
}

/** dW and db of a Linear from its input x and dY, into the gradients; returns dX. */
export function linearBackward(pass: Pass, dy: Tensor, x: Tensor, l: Linear, grads: TrainableParams): Tensor {
  grads.accumulate(pass, l.w, matmulBackwardWeight(pass, dy, x));
  if (l.b) grads.accumulate(pass, l.b, matmulBackwardBias(pass, dy));
  return matmulBackwardInput(pass, dy, l.w);
}

/** LayerNorm backward with its γ, β gradients accumulated; returns dX. */
export function layernormBackwardInto(
  pass: Pass,
  x: Tensor,
  n: { w: Tensor; b: Tensor },
  dy: Tensor,
  eps: number,
  grads: TrainableParams,
): Tensor {
  const r = layernormBackward(pass, x, n.w, dy, eps, { params: true });
  grads.accumulate(pass, n.w, r.dgamma!);
  grads.accumulate(pass, n.b, r.dbeta!);
  return r.dx;
}

/** Backward of one layer from dY: accumulates its parameters' gradients, returns dX, frees `kept`. */
export function layerBackward(
  pass: Pass,
  dy: Tensor,
  k: KeptLayer,
  w: LayerWeights,
  o: LayerOptions,
  grads: TrainableParams,
): Tensor {
  const g = activation(pass, k.f, o.act); // recomputed, not kept
  const dg = linearBackward(pass, dy, g, w.fc2, grads); // [B, T, M]
  const df = activationBackward(pass, k.f, dg, o.act);
  pass.free(g, dg, k.f);
  const dh2 = linearBackward(pass, df, k.h2, w.fc1, grads); // [B, T, D]
  const dx1b = layernormBackwardInto(pass, k.x1, w.ln2, dh2, o.eps, grads);
  const dx1 = add(pass, dy, dx1b); // residual + MLP path
  pass.free(df, dh2, dx1b, k.h2, k.x1);
  const da = linearBackward(pass, dx1, k.a, w.out, grads); // [B, T, D]
  const att = attentionBackward(pass, k.qkv, da, o.heads, { causal: o.causal });
  pass.free(da, att.probs, k.a, k.qkv);
  const dh = linearBackward(pass, att.dqkv, k.h, w.qkv, grads); // [B, T, D]
  const dxb = layernormBackwardInto(pass, k.x, w.ln1, dh, o.eps, grads);
  const dx = add(pass, dx1, dxb); // residual + attention path
  pass.free(att.dqkv, dh, dxb, dx1, k.h);
  return dx;
}
