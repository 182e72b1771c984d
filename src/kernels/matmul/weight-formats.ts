/**
 * Compact weight matrices for matmul's W [N, K], and their CPU reference (pack, then dequantize).
 * Every format packs the matrix's row-major elements little-endian into u32 words, so the bytes are
 * those of a safetensors F16 / BF16 / I8 tensor and upload as they are:
 * - `f16`, `bf16`: two per word, rounded to nearest even; unpacked exactly to f32 in the loads.
 * - `int8`: four per word, symmetric per output row: q = round(w / s), s = max|w[n, :]| / 127;
 *   the loads give q as f32 and the epilogue multiplies the F32 accumulator by s[n].
 */
import type { DType } from '../runtime.ts';
import { f16BitsToF32Bits, f32BitsToF16Bits, f32ToBf16Bits } from '../half.ts';

export type WeightFormat = 'f32' | 'f16' | 'bf16' | 'int8';
export const WEIGHT_FORMATS: readonly WeightFormat[] = ['f32', 'f16', 'bf16', 'int8'];

/** The tensor dtype that holds each format on the GPU. */
export const WEIGHT_DTYPE: Readonly<Record<WeightFormat, DType>> = { f32: 'f32', f16: 'f16', bf16: 'bf16', int8: 'i8' };

export function weightFormatOf(dtype: DType): WeightFormat {
  const f = WEIGHT_FORMATS.find((x) => WEIGHT_DTYPE[x] === dtype);
  if (!f) throw new Error(`matmul: W of dtype ${dtype} is not a weight format`);
  return f;
}

export interface PackedMatrix {
  format: WeightFormat;
  rows: number;
  cols: number;
  /** The elements packed little-endian (f32: the values' bits). */
  words: Uint32Array;
  /** int8: one scale per row. */
  scale: Float32Array | null;
}

const f32Bits = (v: Float32Array) => new Uint32Array(v.buffer, v.byteOffset, v.length);

/** W [rows, cols] -> its compact form (the one quantizer: load-time conversion and `convert` both use it). */
export function packMatrix(w: Float32Array, rows: number, cols: number, format: WeightFormat): PackedMatrix {
  const n = rows * cols;
  if (w.length !== n) throw new Error(`packMatrix: ${w.length} values for [${rows}, ${cols}]`);
  if (format === 'f32') return { format, rows, cols, words: Uint32Array.from(f32Bits(w)), scale: null };
  if (format === 'f16' || format === 'bf16') {
    const half = new Uint16Array(2 * Math.ceil(n / 2));
    if (format === 'bf16') for (let i = 0; i < n; i++) half[i] = f32ToBf16Bits(w[i]);
    else for (let i = 0, bits = f32Bits(w); i < n; i++) half[i] = f32BitsToF16Bits(bits[i]);
    return { format, rows, cols, words: new Uint32Array(half.buffer), scale: null };
  }
  const q = new Int8Array(4 * Math.ceil(n / 4));
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(w[r * cols + c]));
    const s = (scale[r] = Math.fround(max / 127));
    if (s === 0) continue;
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.max(-127, Math.min(127, Math.round(w[r * cols + c] / s)));
  }
  return { format, rows, cols, words: new Uint32Array(q.buffer), scale };
}

/** The CPU reference of every compact load: the f32 values matmul computes with (q · s for int8). */
export function unpackMatrix(p: PackedMatrix): Float32Array {
  const n = p.rows * p.cols;
  const out = new Float32Array(n);
  if (p.format === 'f32') {
    f32Bits(out).set(p.words.subarray(0, n));
  } else if (p.format === 'f16' || p.format === 'bf16') {
    const half = new Uint16Array(p.words.buffer, p.words.byteOffset, n);
    const bits = f32Bits(out);
    for (let i = 0; i < n; i++) bits[i] = p.format === 'f16' ? f16BitsToF32Bits(half[i]) : half[i] << 16;
  } else {
    const q = new Int8Array(p.words.buffer, p.words.byteOffset, n);
    for (let i = 0; i < n; i++) out[i] = q[i] * p.scale![Math.floor(i / p.cols)];
  }
  return out;
}

/**
 * How far the packed matrix is from W: the relative RMS error ‖W − unpack‖ / ‖W‖, and whether every
 * unpacked value is finite (an f16 overflow becomes ±inf): the load-time guard against silent error.
 */
export function packingError(w: Float32Array, p: PackedMatrix): { relRms: number; finite: boolean } {
  const u = unpackMatrix(p);
  let err = 0,
    ref = 0,
    finite = true;
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(u[i])) finite = false;
    err += (w[i] - u[i]) ** 2;
    ref += w[i] ** 2;
  }
  return { relRms: ref > 0 ? Math.sqrt(err / ref) : 0, finite };
}
