import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: softmax over rows of length N. */
export function softmaxRef<T extends Floats>(x: T, N: number): T {
  const y = zerosLike(x, x.length);
  for (let base = 0; base < x.length; base += N) {
    let m = -Infinity;
    for (let i = 0; i < N; i++) m = Math.max(m, x[base + i]);
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.exp(x[base + i] - m);
    for (let i = 0; i < N; i++) y[base + i] = Math.exp(x[base + i] - m) / s;
  }
  return y;
}

/** Softmax backward from its output y: dx = y ⊙ (dy − Σ y·dy) per row of length N. */
export function softmaxBackwardRef(y: ArrayLike<number>, dy: ArrayLike<number>, N: number): Float64Array {
  const dx = new Float64Array(y.length);
  for (let base = 0; base < y.length; base += N) {
    let dot = 0;
    for (let i = 0; i < N; i++) dot += y[base + i] * dy[base + i];
    for (let i = 0; i < N; i++) dx[base + i] = y[base + i] * (dy[base + i] - dot);
  }
  return dx;
}
