/**
 * The array types of the CPU oracles (`reference.ts` in each op's folder). Forward oracles return
 * the type they are given: Float32Array against the GPU, Float64Array for the gradient checks
 * (central differences need float64 outputs). Backward oracles take any numbers and return
 * Float64Array.
 */
export type Floats = Float32Array | Float64Array;

/** A zeroed array of `n` values of the same type as `like`. */
export function zerosLike<T extends Floats>(like: T, n: number): T {
  return (like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as T;
}
