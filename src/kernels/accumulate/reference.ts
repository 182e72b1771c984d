/** CPU oracle: dst[dstOffset + i] += src[srcOffset + i] for i < n, in place. */
export function accumulateRef(
  dst: Float64Array | Float32Array,
  src: ArrayLike<number>,
  n = src.length,
  dstOffset = 0,
  srcOffset = 0,
): void {
  for (let i = 0; i < n; i++) dst[dstOffset + i] += src[srcOffset + i];
}
