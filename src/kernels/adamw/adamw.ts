import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './adamw.wgsl?raw';

/** The per-step AdamW values, as the kernel reads them from `hyper` ([7] f32). */
export function adamwHyper(h: {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number;
}): Float32Array {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  return Float32Array.of(h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, h.lr / bc1, 1 / Math.sqrt(bc2));
}

export interface AdamwTensors {
  param: Tensor;
  grad: Tensor;
  /** First and second moments, same size as `param`. */
  m: Tensor;
  v: Tensor;
}

/**
 * One AdamW step on one parameter tensor (in place), reading the step's values from `hyper`
 * (`adamwHyper`) and the clip factor from `norm` (`gradNorm`); zeroes the gradient afterwards.
 */
export function adamw(
  pass: Pass,
  t: AdamwTensors,
  hyper: Tensor,
  norm: Tensor,
  o: { decay: boolean; clampMax?: number },
): void {
  const n = t.param.size;
  if (t.grad.size !== n || t.m.size !== n || t.v.size !== n)
    throw new Error(`adamw: sizes ${[t.param, t.grad, t.m, t.v].map((x) => x.size)}`);
  const ctx = pass.ctx;
  const clamp = o.clampMax !== undefined;
  pass.dispatch(
    ctx.pipeline('adamw', source),
    ctx.uniform([n, o.decay ? 1 : 0, clamp ? 1 : 0, clamp ? o.clampMax! : 0], [3]),
    [hyper, norm, t.param, t.grad, t.m, t.v],
    grid(Math.ceil(n / 256)),
  );
}
