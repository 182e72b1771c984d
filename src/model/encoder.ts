/**
 * The pre-LN transformer block both towers share (HF CLIPEncoderLayer / OpenAI ResidualAttentionBlock):
 *   x1 = x + out_proj(attn(layer_norm1(x)))
 *   y  = x1 + fc2(act(fc1(layer_norm2(x1))))
 * The residual adds and the activation run fused into the matmuls' epilogues (same arithmetic as the
 * separate add/activation kernels): 7 dispatches per layer. Plain inference, Grad-CAM/relevance,
 * detection and training all run this one layer; hooks say what a layer keeps and whether
 * something replaces its attention.
 */
import { activation, attention, layernorm, matmul, type Activation } from '../kernels/index.ts';
import type { Pass, Tensor } from '../kernels/runtime.ts';
import type { LayerWeights } from './weights.ts';

/**
 * Every intermediate of one layer, named as in `encoderLayer` (shapes for D = hidden, M = mlp):
 *   x [B, T, D] input, h = layer_norm1(x), qkv [B, T, 3D], a = attention(qkv) [B, T, D],
 *   x1 = x + out_proj(a), h2 = layer_norm2(x1), f = fc1(h2) [B, T, M] (pre-activation), g = act(f).
 * The layer's output is the next layer's x (the encoder's result after the last layer).
 */
export interface LayerTensors {
  x: Tensor;
  h: Tensor;
  qkv: Tensor;
  a: Tensor;
  x1: Tensor;
  h2: Tensor;
  f: Tensor;
  g: Tensor;
}
export type LayerTensorName = keyof LayerTensors;
export const LAYER_TENSOR_NAMES: readonly LayerTensorName[] = ['x', 'h', 'qkv', 'a', 'x1', 'h2', 'f', 'g'];

/** What one layer does besides plain inference. */
export interface LayerHooks {
  /**
   * Intermediates to keep past the layer (the backward of Grad-CAM or of a training step needs them).
   * Keeping `f` runs fc1 and the activation as two dispatches: the fused epilogue writes only
   * act(f), and the activation's backward needs f itself. Everything else stays fused.
   */
  keep?: readonly LayerTensorName[];
  /**
   * Receives the kept tensors once the layer is recorded; from then on they belong to the receiver
   * (free them with `pass.free` once nothing later reads them, or read them back). Kept tensors
   * without a receiver live until the pass is run.
   */
  kept?: (layer: number, tensors: Partial<LayerTensors>) => void;
  /**
   * Replaces the softmax attention: qkv [B, T, 3D] -> [B, T, D] (MaskCLIP's value path, detect/).
   * What it returns is freed with the layer's other intermediates.
   */
  attention?: (pass: Pass, qkv: Tensor) => Tensor;
  /** false: the attention's output is not added to x: x1 = out_proj(a) (ClearCLIP, NACLIP). */
  residual?: boolean;
  /** false: the layer ends after the attention, y = x1 (no layer_norm2, MLP or its residual). */
  mlp?: boolean;
}

/** Hooks per layer (0-based); undefined for a layer that runs as plain inference. */
export type EncoderHooks = (layer: number) => LayerHooks | undefined;

export interface EncoderOptions {
  heads: number;
  eps: number;
  act: Activation;
  causal: boolean;
  hooks?: EncoderHooks;
}

/**
 * One layer on x [B, T, D] -> y [B, T, D] with what `hooks.keep` names. x stays the caller's; every
 * other intermediate is freed (later dispatches of the pass reuse its buffer) unless kept.
 */
export function encoderLayer(
  pass: Pass,
  x: Tensor,
  w: LayerWeights,
  o: EncoderOptions,
  hooks?: LayerHooks,
): { y: Tensor; kept: Partial<LayerTensors> } {
  const keep = hooks?.keep ?? [];
  const h = layernorm(pass, x, w.ln1.w, w.ln1.b, o.eps); // [B, T, D]
  const qkv = matmul(pass, h, w.qkv.w, w.qkv.b); // [B, T, 3D]
  const a = hooks?.attention // [B, T, D]
    ? hooks.attention(pass, qkv)
    : attention(pass, qkv, o.heads, { causal: o.causal });
  const x1 = matmul(pass, a, w.out.w, w.out.b, hooks?.residual === false ? {} : { residual: x }); // x + out_proj(a)
  if (hooks?.mlp === false) return finish(pass, { x, h, qkv, a }, keep, x1);
  const h2 = layernorm(pass, x1, w.ln2.w, w.ln2.b, o.eps); // [B, T, D]
  let f: Tensor | undefined;
  let g: Tensor;
  if (keep.includes('f')) {
    f = matmul(pass, h2, w.fc1.w, w.fc1.b); // fc1(h2)           [B, T, M]
    g = activation(pass, f, o.act); // act(f)            [B, T, M]
  } else {
    g = matmul(pass, h2, w.fc1.w, w.fc1.b, { act: o.act }); // act(fc1(h2))      [B, T, M]
  }
  const y = matmul(pass, g, w.fc2.w, w.fc2.b, { residual: x1 }); // x1 + fc2(g)       [B, T, D]
  return finish(pass, { x, h, qkv, a, x1, h2, f, g }, keep, y);
}

/** Hands over what `keep` names and frees the layer's other intermediates (not x, not y). */
function finish(
  pass: Pass,
  all: Partial<LayerTensors>,
  keep: readonly LayerTensorName[],
  y: Tensor,
): { y: Tensor; kept: Partial<LayerTensors> } {
  const kept: Partial<LayerTensors> = {};
  for (const name of LAYER_TENSOR_NAMES) {
    const t = all[name];
    if (!t) continue;
    if (keep.includes(name)) kept[name] = t;
    else if (name !== 'x') pass.free(t);
  }
  return { y, kept };
}

/**
 * Run all layers on x [B, T, D]. The encoder takes x over: each layer's input is freed after that
 * layer unless its hooks keep it (then it goes to `kept`, as the layer's other kept tensors).
 * With no layers it returns x itself.
 */
export function encoder(pass: Pass, x: Tensor, layers: readonly LayerWeights[], o: EncoderOptions): Tensor {
  for (let i = 0; i < layers.length; i++) {
    const hooks = o.hooks?.(i);
    const { y, kept } = encoderLayer(pass, x, layers[i], o, hooks);
    if (!kept.x) pass.free(x);
    if (hooks?.kept) hooks.kept(i, kept);
    x = y;
  }
  return x;
}

/** What a tower's trace asks of its layers (in) and gets back (out). */
export interface LayerTrace {
  /** In: intermediates every layer also keeps, e.g. all of LAYER_TENSOR_NAMES for a training step. */
  keep?: readonly LayerTensorName[];
  /** Out: per layer, its input x and what `keep` names. */
  layers?: Partial<LayerTensors>[];
  /** Out: hidden_states as HF returns them, L + 1 of [B, T, D] (each layer's input, then the last output). */
  hiddenStates?: Tensor[];
}

/** Hooks that keep every layer's input (the hidden states) and `trace.keep` into `trace`. */
export function traceHooks(trace: LayerTrace): EncoderHooks {
  const keep: LayerTensorName[] = ['x', ...(trace.keep ?? []).filter((n) => n !== 'x')];
  trace.layers = [];
  trace.hiddenStates = [];
  const hooks: LayerHooks = {
    keep,
    kept: (i, t) => {
      trace.layers![i] = t;
      trace.hiddenStates!.push(t.x!);
    },
  };
  return () => hooks;
}
