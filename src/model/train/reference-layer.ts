/**
 * CPU oracle (float64) of one pre-LN encoder layer for training: the forward keeps what the backward
 * needs, the backward returns dX and every parameter's gradient. Composed from the kernels' oracles,
 * in the order of `encoderLayer` (q | k | v packed into one [3D, D] matrix as the GPU weights are).
 */
import { activationBackwardRef, activationRef } from '../../kernels/activation/reference.ts';
import { attentionBackwardRef, attentionRef } from '../../kernels/attention/reference.ts';
import { layernormBackwardRef, layernormRef } from '../../kernels/layernorm/reference.ts';
import {
  matmulBackwardBiasRef,
  matmulBackwardInputRef,
  matmulBackwardWeightRef,
  matmulRef,
} from '../../kernels/matmul/reference.ts';
import type { HiddenAct } from '../config.ts';

type F = Float64Array;

/** Sees each named intermediate and returns it, or a perturbed copy (scripts/measure/fp32-floor.measure.ts). */
export type Probe = (name: string, a: F) => F;
export const noProbe: Probe = (_name, a) => a;

/** One layer's parameters (or their gradients), keyed like `LayerWeights`. */
export interface LayerParamsRef {
  ln1w: F;
  ln1b: F;
  qkvw: F;
  qkvb: F;
  outw: F;
  outb: F;
  ln2w: F;
  ln2b: F;
  fc1w: F;
  fc1b: F;
  fc2w: F;
  fc2b: F;
}

export interface LayerShape {
  B: number;
  T: number;
  D: number;
  M: number;
  heads: number;
  eps: number;
  act: HiddenAct;
  causal: boolean;
}

export interface LayerSavedRef {
  x: F;
  h: F;
  qkv: F;
  a: F;
  x1: F;
  h2: F;
  f: F;
  g: F;
}

export const addRef = (a: F, b: ArrayLike<number>): F => a.map((v, i) => v + b[i]);

export function layerForwardRef(
  x: F,
  p: LayerParamsRef,
  s: LayerShape,
  probe: Probe = noProbe,
): { y: F; saved: LayerSavedRef } {
  const { B, T, D, M, heads, eps, act, causal } = s;
  const n = B * T;
  const h = probe('h', layernormRef(x, p.ln1w, p.ln1b, D, eps));
  const qkv = probe('qkv', matmulRef(h, p.qkvw, p.qkvb, n, 3 * D, D));
  const a = probe('a', attentionRef(qkv, B, T, D, heads, causal));
  const x1 = probe('x1', addRef(x, matmulRef(a, p.outw, p.outb, n, D, D)));
  const h2 = probe('h2', layernormRef(x1, p.ln2w, p.ln2b, D, eps));
  const f = probe('f', matmulRef(h2, p.fc1w, p.fc1b, n, M, D));
  const g = probe('g', activationRef(f, act));
  const y = probe('y', addRef(x1, matmulRef(g, p.fc2w, p.fc2b, n, D, M)));
  return { y, saved: { x, h, qkv, a, x1, h2, f, g } };
}

export function layerBackwardRef(
  dy: F,
  sv: LayerSavedRef,
  p: LayerParamsRef,
  s: LayerShape,
  probe: Probe = noProbe,
): { dx: F; grads: LayerParamsRef } {
  const { B, T, D, M, heads, eps, act, causal } = s;
  const n = B * T;
  const dg = probe('dg', matmulBackwardInputRef(dy, p.fc2w, n, D, M));
  const fc2w = matmulBackwardWeightRef(dy, sv.g, n, D, M);
  const fc2b = matmulBackwardBiasRef(dy, n, D);
  const df = probe('df', activationBackwardRef(sv.f, dg, act));
  const dh2 = probe('dh2', matmulBackwardInputRef(df, p.fc1w, n, M, D));
  const fc1w = matmulBackwardWeightRef(df, sv.h2, n, M, D);
  const fc1b = matmulBackwardBiasRef(df, n, M);
  const ln2 = layernormBackwardRef(sv.x1, p.ln2w, dh2, D, eps);
  ln2.dx = probe('ln2.dx', ln2.dx);
  const dx1 = probe('dx1', addRef(dy, ln2.dx));
  const da = probe('da', matmulBackwardInputRef(dx1, p.outw, n, D, D));
  const outw = matmulBackwardWeightRef(dx1, sv.a, n, D, D);
  const outb = matmulBackwardBiasRef(dx1, n, D);
  const dqkv = probe('dqkv', attentionBackwardRef(sv.qkv, da, B, T, D, heads, causal).dqkv);
  const dh = probe('dh', matmulBackwardInputRef(dqkv, p.qkvw, n, 3 * D, D));
  const qkvw = matmulBackwardWeightRef(dqkv, sv.h, n, 3 * D, D);
  const qkvb = matmulBackwardBiasRef(dqkv, n, 3 * D);
  const ln1 = layernormBackwardRef(sv.x, p.ln1w, dh, D, eps);
  ln1.dx = probe('ln1.dx', ln1.dx);
  return {
    dx: addRef(dx1, ln1.dx),
    grads: {
      ln1w: ln1.dgamma,
      ln1b: ln1.dbeta,
      qkvw,
      qkvb,
      outw,
      outb,
      ln2w: ln2.dgamma,
      ln2b: ln2.dbeta,
      fc1w,
      fc1b,
      fc2w,
      fc2b,
    },
  };
}
