/**
 * AdamW with PyTorch's semantics (torch.optim.AdamW, decoupled weight decay), in place, float64:
 *   p ← p − lr·wd·p
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
 * then p ← min(p, clampMax) (CLIP clamps the logit scale at ln 100). `gradScale` multiplies g first
 * (clipping by the global norm).
 */
export interface AdamwHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay (0 for tensors outside the decay mask). */
  weightDecay: number;
  /** 1-based step number, for the bias corrections. */
  step: number;
  gradScale?: number;
  clampMax?: number;
}

export function adamwRef(p: Float64Array, g: ArrayLike<number>, m: Float64Array, v: Float64Array, h: AdamwHyper): void {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = Math.sqrt(1 - h.beta2 ** h.step);
  const scale = h.gradScale ?? 1;
  const max = h.clampMax ?? Infinity;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] * scale;
    let x = p[i] * (1 - h.lr * h.weightDecay);
    m[i] = h.beta1 * m[i] + (1 - h.beta1) * gi;
    v[i] = h.beta2 * v[i] + (1 - h.beta2) * gi * gi;
    x -= ((h.lr / bc1) * m[i]) / (Math.sqrt(v[i]) / bc2 + h.eps);
    p[i] = Math.min(x, max);
  }
}
