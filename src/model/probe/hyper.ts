/**
 * The linear probe's optimizer and regularization, shared by the GPU fit and its float64 reference.
 *
 * The CLIP paper fits scikit-learn's L-BFGS logistic regression with an L2 penalty swept on a
 * validation split. We have no validation split at 1–16 shots, so one fixed setting instead: full-batch
 * AdamW (our training kernel) from zero weights, with decoupled weight decay on W (not on b) as the
 * regularizer. Inputs: the embeddings L2-normalized (the cosine geometry zero-shot uses), then
 * standardized per dimension with the training rows' mean and deviation (scikit-learn's
 * StandardScaler before LogisticRegression): unit-norm rows of D values give logits too small for a
 * few hundred steps, standardized ones are well conditioned whatever D. The loss is convex; zero
 * init makes the fit deterministic without a seed.
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
  /** The training rows' standardization, applied to every row the probe scores. */
  scaling: FeatureScaling;
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

/** Per-dimension standardization of L2-normalized rows: x' = (x − mean) · invStd. */
export interface FeatureScaling {
  mean: Float32Array;
  /** 1 / standard deviation; 0 for a dimension constant over the training rows (it carries nothing). */
  invStd: Float32Array;
}

/** The standardization of the training rows `features` [n, dim] (raw embeddings). */
export function featureScaling(features: ArrayLike<number>, dim: number): FeatureScaling {
  const x = normalizeRows(features, dim);
  const n = x.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) sq[j] += (x[i * dim + j] - mean[j]) ** 2 / n;
  return {
    mean: Float32Array.from(mean),
    invStd: Float32Array.from(sq, (v) => (Math.sqrt(v) > 1e-6 ? 1 / Math.sqrt(v) : 0)),
  };
}

/** The probe's inputs for raw embeddings `features` [n, dim]: normalized rows, standardized by `s`. */
export function probeInputs(features: ArrayLike<number>, dim: number, s: FeatureScaling): Float32Array {
  const x = normalizeRows(features, dim);
  for (let k = 0; k < x.length; k++) x[k] = (x[k] - s.mean[k % dim]) * s.invStd[k % dim];
  return x;
}
