/**
 * The pre-LN transformer block both towers share (HF CLIPEncoderLayer / OpenAI ResidualAttentionBlock):
 *   x = x + out_proj(attn(layer_norm1(x)))
 *   x = x + fc2(act(fc1(layer_norm2(x))))
 * The residual adds and the activation run fused into the matmuls' epilogues (same arithmetic as the
 * separate add/activation kernels); explain/record.ts keeps them separate where it needs the pre-activation.
 */
import { attention, layernorm, matmul, type Activation } from '../kernels/index.ts';
import type { Pass, Tensor } from '../kernels/runtime.ts';
import type { LayerWeights } from './weights.ts';

export interface EncoderOptions {
  heads: number;
  eps: number;
  act: Activation;
  causal: boolean;
  /** Called with every layer's output (hidden_states[i + 1]); the tensor lives until the pass is run. */
  onLayer?: (i: number, x: Tensor) => void;
}

export function encoderLayer(pass: Pass, x: Tensor, w: LayerWeights, o: EncoderOptions): Tensor {
  const h = layernorm(pass, x, w.ln1.w, w.ln1.b, o.eps);                    // [B, T, D]
  const qkv = matmul(pass, h, w.qkv.w, w.qkv.b);                              // [B, T, 3D]
  const a = attention(pass, qkv, o.heads, { causal: o.causal });              // [B, T, D]
  const x1 = matmul(pass, a, w.out.w, w.out.b, { residual: x });              // x + out_proj(a)   [B, T, D]
  const h2 = layernorm(pass, x1, w.ln2.w, w.ln2.b, o.eps);                  // [B, T, D]
  const g = matmul(pass, h2, w.fc1.w, w.fc1.b, { act: o.act });               // act(fc1(h2))      [B, T, M]
  const x2 = matmul(pass, g, w.fc2.w, w.fc2.b, { residual: x1 });             // x1 + fc2(g)       [B, T, D]
  pass.free(h, qkv, a, h2, g);
  return x2;
}

/** Run all layers; intermediate layer outputs are freed unless `onLayer` keeps them. */
export function encoder(pass: Pass, x: Tensor, layers: readonly LayerWeights[], o: EncoderOptions): Tensor {
  for (let i = 0; i < layers.length; i++) {
    const next = encoderLayer(pass, x, layers[i], o);
    if (o.onLayer) o.onLayer(i, next);
    else if (i > 0) pass.free(x);
    x = next;
  }
  return x;
}
