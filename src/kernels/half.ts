/**
 * f16 and bf16 bit patterns <-> f32 values, exact and round-to-nearest-even: shared by the safetensors
 * reader/writer and matmul's compact weight formats (its CPU packing and reference).
 */

/** f16 bits -> f32 bits. */
export function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let man = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (man << 13)) >>> 0; // inf / NaN (payload kept)
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (man << 13)) >>> 0; // rebias 15 -> 127
  if (man === 0) return sign >>> 0; // ±0
  // Subnormal f16 = man * 2^-24: normalize into an f32 normal.
  let e = 113;
  while ((man & 0x400) === 0) {
    man <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((man & 0x3ff) << 13)) >>> 0;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** f32 value -> f16 bits, round to nearest even (as torch's `.half()`). */
export function f32ToF16Bits(v: number): number {
  f32Scratch[0] = v;
  return f32BitsToF16Bits(u32Scratch[0]);
}

/** f32 bits -> f16 bits (f32ToF16Bits on bits: converting a whole matrix needs no scratch write per value). */
export function f32BitsToF16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 | (man >>> 13) : 0); // inf / quiet NaN
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> inf
  if (e <= 0) {
    if (e < -10) return sign; // underflows to ±0
    // Subnormal: shift the implicit-1 mantissa into place, rounding to nearest even.
    const m = man | 0x800000,
      shift = 14 - e;
    const half = 1 << (shift - 1),
      rest = m & ((1 << shift) - 1);
    let r = m >>> shift;
    if (rest > half || (rest === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && r & 1)) r++; // may carry into exp: still correct
  return sign | r;
}

/** f32 value -> bf16 bits, round to nearest even (NaN stays a quiet NaN). */
export function f32ToBf16Bits(v: number): number {
  f32Scratch[0] = v;
  const x = u32Scratch[0];
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
