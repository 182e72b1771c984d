import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: a + b. */
export function addRef<T extends Floats>(a: T, b: ArrayLike<number>): T {
  const y = zerosLike(a, a.length);
  for (let i = 0; i < a.length; i++) y[i] = a[i] + b[i];
  return y;
}
