/**
 * CLIP's symmetric contrastive loss (paper, Figure 3) on the cosine matrix S [B, B] of a batch
 * (S[i, j] = cos(image i, text j); image i belongs with text i) and the raw logit scale s:
 *   logits = e^s · S
 *   loss = (CE(logits, arange) + CE(logitsᵀ, arange)) / 2
 * Backward: with R = softmax over each row and C = softmax over each column of the logits,
 *   dlogits = (R − I + C − I) / 2B,   dS = e^s · dlogits,   ds = Σ dlogits ⊙ logits.
 */
export interface ContrastiveLossRef {
  loss: number;
  /** [B, B] logits_per_image. */
  logits: Float64Array;
  /** [B, B] dLoss/dS. */
  dS: Float64Array;
  /** dLoss/ds for the raw (log) scale. */
  dScale: number;
}

export function contrastiveLossRef(S: ArrayLike<number>, B: number, logitScale: number): ContrastiveLossRef {
  const e = Math.exp(logitScale);
  const logits = Float64Array.from({ length: B * B }, (_, k) => e * S[k]);
  const rowLse = new Float64Array(B);
  const colLse = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    rowLse[i] = logSumExp(B, (j) => logits[i * B + j]);
    colLse[i] = logSumExp(B, (j) => logits[j * B + i]);
  }
  let loss = 0;
  for (let i = 0; i < B; i++) loss += rowLse[i] + colLse[i] - 2 * logits[i * B + i];
  loss /= 2 * B;
  const dS = new Float64Array(B * B);
  let dScale = 0;
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      const l = logits[i * B + j];
      const eye = i === j ? 2 : 0;
      const dl = (Math.exp(l - rowLse[i]) + Math.exp(l - colLse[j]) - eye) / (2 * B);
      dS[i * B + j] = e * dl;
      dScale += dl * l;
    }
  }
  return { loss, logits, dS, dScale };
}

function logSumExp(n: number, at: (j: number) => number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, at(j));
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(at(j) - m);
  return m + Math.log(s);
}
