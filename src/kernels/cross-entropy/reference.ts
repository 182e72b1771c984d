/**
 * Softmax cross-entropy, float64: logits [N, C] (row-major), labels [N];
 *   loss = (1/N) Σ_i (logsumexp(l_i) − l_i,y_i),   dlogits = (softmax(l_i) − onehot(y_i)) / N.
 */
export interface CrossEntropyRef {
  loss: number;
  dlogits: Float64Array;
}

export function crossEntropyRef(logits: ArrayLike<number>, labels: ArrayLike<number>, C: number): CrossEntropyRef {
  const N = labels.length;
  const dlogits = new Float64Array(N * C);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const row = i * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, logits[row + j]);
    let s = 0;
    for (let j = 0; j < C; j++) s += Math.exp(logits[row + j] - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < C; j++) dlogits[row + j] = (Math.exp(logits[row + j] - lse) - (j === labels[i] ? 1 : 0)) / N;
    loss += (lse - logits[row + labels[i]]) / N;
  }
  return { loss, dlogits };
}
