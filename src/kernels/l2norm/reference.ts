import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: rows of length D scaled to unit L2 norm. */
export function l2normRef<T extends Floats>(x: T, D: number): T {
  const y = zerosLike(x, x.length);
  for (let base = 0; base < x.length; base += D) {
    let s = 0;
    for (let i = 0; i < D; i++) s += x[base + i] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < D; i++) y[base + i] = x[base + i] * inv;
  }
  return y;
}

/** L2-normalization backward: with y = x / |x|, dx = (dy − y (y·dy)) / |x| per row of length D. */
export function l2normBackwardRef(x: ArrayLike<number>, dy: ArrayLike<number>, D: number): Float64Array {
  const dx = new Float64Array(x.length);
  for (let base = 0; base < x.length; base += D) {
    let ss = 0,
      xd = 0;
    for (let i = 0; i < D; i++) {
      ss += x[base + i] ** 2;
      xd += x[base + i] * dy[base + i];
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < D; i++) dx[base + i] = (dy[base + i] - x[base + i] * (xd / ss)) * inv;
  }
  return dx;
}
