/**
 * safetensors dtypes we understand, and bit-exact conversion of their little-endian bytes to
 * Float32Array (±0, ±inf, NaN and subnormals survive because we build f32 bit patterns directly).
 */

/** I8: the quantized weight matrices of converted folders (`<name>_scale` F32 beside each, see README). */
export type Dtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I8';
export type FloatDtype = 'F32' | 'F16' | 'BF16' | 'F64';

export const ITEM_SIZE: Readonly<Record<Dtype, number>> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I8: 1 };

export function isKnownDtype(d: unknown): d is Dtype {
  return typeof d === 'string' && Object.hasOwn(ITEM_SIZE, d);
}

export function isFloatDtype(d: string): d is FloatDtype {
  return d === 'F32' || d === 'F16' || d === 'BF16' || d === 'F64';
}

// The half-float bit conversions live with the kernels (matmul's compact weights use them too).
import { f16BitsToF32Bits } from '../../kernels/half.ts';

export { f16BitsToF32Bits, f32ToBf16Bits, f32ToF16Bits } from '../../kernels/half.ts';

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let f16Table: Uint32Array | undefined;
/** 256 KiB lookup table: converting a 300 MB F16 checkpoint is then one load per element. */
function f16ToF32Table(): Uint32Array {
  if (!f16Table) {
    f16Table = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32Bits(h);
  }
  return f16Table;
}

/** A fresh, 8-aligned copy: safetensors offsets need not be aligned for typed-array views. */
function aligned(bytes: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return buf;
}

/** Little-endian bytes of `dtype` -> a new Float32Array with `count` elements. */
export function bytesToF32(dtype: FloatDtype, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  if (!LITTLE_ENDIAN) {
    // Rare: big-endian hosts go through DataView.
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      if (dtype === 'F32') bits[i] = dv.getUint32(4 * i, true);
      else if (dtype === 'F16') bits[i] = f16BitsToF32Bits(dv.getUint16(2 * i, true));
      else if (dtype === 'BF16') bits[i] = dv.getUint16(2 * i, true) << 16;
      else out[i] = dv.getFloat64(8 * i, true);
    }
    return out;
  }
  switch (dtype) {
    case 'F32':
      new Uint8Array(out.buffer).set(bytes);
      break;
    case 'F16': {
      const src = new Uint16Array(aligned(bytes)),
        table = f16ToF32Table();
      for (let i = 0; i < count; i++) bits[i] = table[src[i]];
      break;
    }
    case 'BF16': {
      const src = new Uint16Array(aligned(bytes)); // bf16 is the top half of an f32
      for (let i = 0; i < count; i++) bits[i] = src[i] << 16;
      break;
    }
    case 'F64':
      out.set(new Float64Array(aligned(bytes))); // rounds to nearest f32
      break;
  }
  return out;
}

export function bytesToI64(bytes: Uint8Array, count: number): BigInt64Array {
  if (LITTLE_ENDIAN) return new BigInt64Array(aligned(bytes));
  const out = new BigInt64Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = dv.getBigInt64(8 * i, true);
  return out;
}
