/**
 * CPU oracle of one encoder layer (encoder.ts), composed of the kernels' own CPU oracles: float64
 * when given float64, never GPU code. The explanation's oracle and the detection tests run it;
 * it returns every intermediate under the names of `LayerTensors`.
 */
import { activationRef } from '../kernels/activation/reference.ts';
import { addRef } from '../kernels/add/reference.ts';
import { attentionRef } from '../kernels/attention/reference.ts';
import { gatherRowsRef } from '../kernels/gather-rows/reference.ts';
import { layernormRef } from '../kernels/layernorm/reference.ts';
import { matmulRef } from '../kernels/matmul/reference.ts';
import type { Activation } from '../kernels/activation/activation.ts';
import type { LayerTensorName } from './encoder.ts';

type F = Float32Array;
/** One layer's weights on the CPU, [weight, bias] as HF stores them (qkv packed q | k | v). */
export interface CpuLayer {
  ln1: [F, F];
  qkv: [F, F];
  out: [F, F];
  ln2: [F, F];
  fc1: [F, F];
  fc2: [F, F];
}

export interface LayerRefOptions {
  /** Sequences and tokens: x is [B, T, D]. */
  B: number;
  T: number;
  heads: number;
  eps: number;
  act: Activation;
  causal: boolean;
  /** 'values': MaskCLIP's value path replaces the attention (detect/patches.ts). */
  attention?: 'softmax' | 'values';
}

export type LayerRef = Record<LayerTensorName | 'y', Float64Array>;

export function encoderLayerRef(x: Float64Array, w: CpuLayer, o: LayerRefOptions): LayerRef {
  const { B, T } = o;
  const D = w.ln1[0].length;
  const M = w.fc1[1].length;
  const rows = B * T;
  const h = layernormRef(x, w.ln1[0], w.ln1[1], D, o.eps);
  const qkv = matmulRef(h, w.qkv[0], w.qkv[1], rows, 3 * D, D);
  const a =
    o.attention === 'values'
      ? gatherRowsRef(qkv, new Uint32Array(rows).fill(2), rows, 3, D) // v of every token
      : attentionRef(qkv, B, T, D, o.heads, o.causal);
  const x1 = addRef(x, matmulRef(a, w.out[0], w.out[1], rows, D, D));
  const h2 = layernormRef(x1, w.ln2[0], w.ln2[1], D, o.eps);
  const f = matmulRef(h2, w.fc1[0], w.fc1[1], rows, M, D);
  const g = activationRef(f, o.act);
  const y = addRef(x1, matmulRef(g, w.fc2[0], w.fc2[1], rows, D, M));
  return { x, h, qkv, a, x1, h2, f, g, y };
}
