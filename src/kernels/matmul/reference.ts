import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: y = alpha · x·Wᵀ + b, accumulated in float64. */
export function matmulRef<T extends Floats>(
  x: T,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  M: number,
  N: number,
  K: number,
  alpha = 1,
): T {
  const y = zerosLike(x, M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[m * K + k] * w[n * K + k];
      y[m * N + n] = alpha * s + (bias ? bias[n] : 0);
    }
  }
  return y;
}

// ---- backward (y = alpha · x·Wᵀ + b; dY [M, N]) -----------------------------------------------

/** dX = alpha · dY·W: dY [M, N], W [N, K] -> [M, K]. */
export function matmulBackwardInputRef(
  dy: ArrayLike<number>,
  w: ArrayLike<number>,
  M: number,
  N: number,
  K: number,
  alpha = 1,
): Float64Array {
  const dx = new Float64Array(M * K);
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let n = 0; n < N; n++) s += dy[m * N + n] * w[n * K + k];
      dx[m * K + k] = alpha * s;
    }
  }
  return dx;
}

/** dW = alpha · dYᵀ·X: dY [M, N], X [M, K] -> [N, K]. */
export function matmulBackwardWeightRef(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  M: number,
  N: number,
  K: number,
  alpha = 1,
): Float64Array {
  const dw = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += dy[m * N + n] * x[m * K + k];
      dw[n * K + k] = alpha * s;
    }
  }
  return dw;
}

/** db = Σ over rows of dY: dY [M, N] -> [N]. */
export function matmulBackwardBiasRef(dy: ArrayLike<number>, M: number, N: number): Float64Array {
  const db = new Float64Array(N);
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) db[n] += dy[m * N + n];
  return db;
}
