/**
 * The linear probe's optimizer and regularization, shared by the GPU fit and its float64 reference.
 *
 * The CLIP paper fits scikit-learn's L-BFGS logistic regression with an L2 penalty swept on a
 * validation split. We have no validation split at 1–16 shots, so one fixed setting instead: full-batch
 * AdamW (our training kernel) from zero weights, on L2-normalized embeddings (the cosine geometry the
 * zero-shot classifier uses), with decoupled weight decay on W (not on b) as the regularizer. The loss
 * is convex; zero init makes the fit deterministic without a seed.
 */
export interface ProbeHyper {
  /** Full-batch AdamW steps. */
  steps: number;
  lr: number;
  /** Decoupled weight decay on W (p ← p − lr·wd·p each step); b is not decayed. */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const PROBE_HYPER: Readonly<ProbeHyper> = {
  steps: 300,
  lr: 0.05,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

/** A fitted probe: logits = x·Wᵀ + b on the L2-normalized embedding x. */
export interface LinearProbe {
  classes: number;
  dim: number;
  /** [classes, dim] row-major (PyTorch Linear layout). */
  weight: Float32Array;
  /** [classes]. */
  bias: Float32Array;
  /** Mean cross-entropy on the training rows at the last step (before its update). */
  loss: number;
  steps: number;
}

/** Copies of the rows of `x` [n, dim] scaled to unit length (zero rows stay zero). */
export function normalizeRows(x: ArrayLike<number>, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r * dim < x.length; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[r * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[r * dim + j] = x[r * dim + j] * inv;
  }
  return out;
}
