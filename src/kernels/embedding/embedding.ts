import { grid, type Pass, type Tensor } from '../runtime.ts';
import { weightFormatOf, type WeightFormat } from '../matmul/weight-formats.ts';
import source from './embedding.wgsl?raw';
import compactSource from './embedding-compact.wgsl?raw';

/** table_value(row, e) per compact format: the same unpacking as matmul's compact loads. */
const TABLE_VALUE: Record<Exclude<WeightFormat, 'f32'>, string> = {
  f16: 'fn table_value(row: u32, e: u32) -> f32 { return unpack2x16float(table[e >> 1u])[e & 1u]; }',
  // bf16 is the top half of an f32: shift it into place.
  bf16: 'fn table_value(row: u32, e: u32) -> f32 { return bitcast<f32>((table[e >> 1u] >> (16u * (e & 1u))) << 16u); }',
  // Sign-extend the byte (shift it to the top, arithmetic shift back), then the row's scale.
  int8: `@group(0) @binding(5) var<storage, read> scale: array<f32>; // [V]
fn table_value(row: u32, e: u32) -> f32 {
  return f32(bitcast<i32>(table[e >> 2u] << (24u - 8u * (e & 3u))) >> 24u) * scale[row];
}`,
};

/** The compact-table shader of a format. */
export function compactEmbeddingCode(format: Exclude<WeightFormat, 'f32'>): string {
  return compactSource.replace('// TABLE_VALUE', TABLE_VALUE[format]);
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
  const workgroups = grid(Math.ceil((B * T * D) / 256));
  if (format === 'f32') {
    pass.dispatch(ctx.pipeline('embedding', source), ctx.uniform([B, T, D]), [ids, table, pos, y], workgroups);
    return y;
  }
  if (format === 'int8' && table.scale?.size !== V)
    throw new Error(`embedding: an int8 table [${table.shape}] needs ${V} scales`);
  const tensors = [ids, table, pos, y, ...(format === 'int8' ? [table.scale!] : [])];
  pass.dispatch(
    ctx.pipeline(`embedding-${format}`, compactEmbeddingCode(format)),
    ctx.uniform([B, T, D]),
    tensors,
    workgroups,
  );
  return y;
}
