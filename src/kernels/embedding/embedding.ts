import { grid, type Pass, type Tensor } from '../runtime.ts';
import { weightFormatOf, type WeightFormat } from '../matmul/weight-formats.ts';
import source from './embedding.wgsl?raw';

const PACKED = '@group(0) @binding(2) var<storage, read> table: array<u32>; // [V, D] packed';

/** The table's binding and table_value(row, e) per format: compact ones unpack as matmul's compact loads. */
const TABLE: Record<WeightFormat, string> = {
  f32: `@group(0) @binding(2) var<storage, read> table: array<f32>; // [V, D]
fn table_value(row: u32, e: u32) -> f32 { return table[e]; }`,
  f16: `${PACKED}
fn table_value(row: u32, e: u32) -> f32 { return unpack2x16float(table[e >> 1u])[e & 1u]; }`,
  // bf16 is the top half of an f32: shift it into place.
  bf16: `${PACKED}
fn table_value(row: u32, e: u32) -> f32 { return bitcast<f32>((table[e >> 1u] >> (16u * (e & 1u))) << 16u); }`,
  // Sign-extend the byte (shift it to the top, arithmetic shift back), then the row's scale.
  int8: `${PACKED}
@group(0) @binding(5) var<storage, read> scale: array<f32>; // [V]
fn table_value(row: u32, e: u32) -> f32 {
  return f32(bitcast<i32>(table[e >> 2u] << (24u - 8u * (e & 3u))) >> 24u) * scale[row];
}`,
};

/** The embedding shader for a table in `format`. */
export function embeddingCode(format: WeightFormat): string {
  return source.replace('// TABLE', TABLE[format]);
}

/**
 * ids [B, T] (u32, each < vocab), table [V, D], pos [maxT, D] -> [B, T, D]. The table may be compact
 * (f16, bf16, or i8 with one scale per row, as compact matrices are packed): rows unpack to the f32 the
 * CPU reference gets from unpackMatrix.
 */
export function embedding(pass: Pass, ids: Tensor, table: Tensor, pos: Tensor): Tensor {
  const [B, T] = ids.shape;
  const [V, D] = table.shape;
  if (pos.size < T * D) throw new Error(`embedding: positions [${pos.shape}] for ${T} tokens`);
  const y = pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  const format = weightFormatOf(table.dtype);
  if (format === 'int8' && table.scale?.size !== V)
    throw new Error(`embedding: an int8 table [${table.shape}] needs ${V} scales`);
  const name = format === 'f32' ? 'embedding' : `embedding-${format}`;
  pass.dispatch(
    ctx.pipeline(name, embeddingCode(format)),
    ctx.uniform([B, T, D]),
    [ids, table, pos, y, ...(format === 'int8' ? [table.scale!] : [])],
    grid(Math.ceil((B * T * D) / 256)),
  );
  return y;
}
